// The NSEC/NSEC3/CSYNC type bit maps (RFC 4034 4.1.2): window blocks of up to
// 32 octets, each bit one RR type. Text form is the list of type mnemonics.
import { WireError } from '../types.js';
import type { ByteBuilder } from '../byte-builder.js';
import type { FieldCodec } from './field-kind.js';
import type { TextCursor } from './text-cursor.js';
import { typeFromText, typeToText } from './rdata-types.js';

/** Codec for a type bit map running to the end of the RDATA. */
export const typeBitmapCodec: FieldCodec = {
  check(buf: Uint8Array, pos: number, end: number, what: string): number {
    let lastWindow = -1;
    while (pos < end) {
      if (pos + 2 > end) throw new WireError('BAD_RDLENGTH', `rdata ends inside a window header of ${what}`, pos);
      const window = buf[pos]!;
      const len = buf[pos + 1]!;
      // RFC 4034 4.1.2: "Blocks are present in the NSEC RR RDATA in increasing numerical order."
      if (window <= lastWindow) throw new WireError('BAD_RDATA', `${what} window ${window} is out of order`, pos);
      if (len < 1 || len > 32) throw new WireError('BAD_RDATA', `${what} window ${window} has length ${len} (1-32)`, pos + 1);
      if (pos + 2 + len > end) throw new WireError('BAD_RDLENGTH', `rdata ends inside ${what} window ${window}`, pos);
      // RFC 4034 4.1.2: "Trailing zero octets in the bitmap MUST be omitted."
      if (buf[pos + 1 + len] === 0) throw new WireError('BAD_RDATA', `${what} window ${window} ends in a zero octet`, pos + 1 + len);
      lastWindow = window;
      pos += 2 + len;
    }
    return end;
  },

  fromText(cur: TextCursor, what: string, out: ByteBuilder): void {
    const types: number[] = [];
    while (!cur.done) {
      const token = cur.take(what);
      const type = typeFromText(token.text);
      if (type === null) cur.fail(`${what} entry "${token.text}" is not an RR type`);
      types.push(type);
    }
    writeTypeBitmap(types, out);
  },

  toText(buf: Uint8Array, pos: number, end: number): string {
    return typesInBitmap(buf, pos, end).map(typeToText).join(' ');
  },
};

/** Appends the RFC 4034 4.1.2 bit map of a set of types (any order, duplicates ignored). */
export function writeTypeBitmap(types: readonly number[], out: ByteBuilder): void {
  const sorted = [...new Set(types)].sort((a, b) => a - b);
  let i = 0;
  while (i < sorted.length) {
    const window = sorted[i]! >>> 8;
    const bits = new Uint8Array(32);
    let len = 0;
    while (i < sorted.length && sorted[i]! >>> 8 === window) {
      const low = sorted[i]! & 0xff;
      bits[low >>> 3]! |= 0x80 >>> (low & 7);
      len = (low >>> 3) + 1;
      i++;
    }
    out.u8(window);
    out.u8(len);
    out.bytes(bits.subarray(0, len));
  }
}

/** The types present in a (checked) bit map at [pos, end), ascending. */
export function typesInBitmap(buf: Uint8Array, pos: number, end: number): number[] {
  const types: number[] = [];
  while (pos + 2 <= end) {
    const window = buf[pos]!;
    const len = buf[pos + 1]!;
    for (let i = 0; i < len && pos + 2 + i < end; i++) {
      const octet = buf[pos + 2 + i]!;
      for (let bit = 0; bit < 8; bit++) {
        if (octet & (0x80 >>> bit)) types.push((window << 8) | (i << 3) | bit);
      }
    }
    pos += 2 + len;
  }
  return types;
}
