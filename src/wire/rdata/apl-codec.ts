// APL RDATA (RFC 3123): a list of address prefixes, "[!]afi:address/prefix".
import { WireError } from '../types.js';
import type { ByteBuilder } from '../byte-builder.js';
import type { FieldCodec } from './field-kind.js';
import type { TextCursor } from './text-cursor.js';
import { ipv4FromText, ipv4ToText, ipv6FromText, ipv6ToText } from './ip-address.js';

/** Address families APL items may use (RFC 3123 4, IANA address family numbers). */
const FAMILY_BYTES: Readonly<Record<number, number>> = { 1: 4, 2: 16 };

/** Codec for APL items running to the end of the RDATA (zero items is valid). */
export const aplCodec: FieldCodec = {
  check(buf: Uint8Array, pos: number, end: number, what: string): number {
    while (pos < end) {
      if (pos + 4 > end) throw new WireError('BAD_RDLENGTH', `rdata ends inside an item of ${what}`, pos);
      const family = (buf[pos]! << 8) | buf[pos + 1]!;
      const prefix = buf[pos + 2]!;
      const afdLength = buf[pos + 3]! & 0x7f;
      const size = FAMILY_BYTES[family];
      if (size === undefined) throw new WireError('BAD_RDATA', `${what} address family ${family} is not 1 or 2`, pos);
      if (prefix > size * 8) throw new WireError('BAD_RDATA', `${what} prefix /${prefix} is too long for family ${family}`, pos + 2);
      if (afdLength > size) throw new WireError('BAD_RDATA', `${what} address part of ${afdLength} bytes is too long`, pos + 3);
      if (pos + 4 + afdLength > end) throw new WireError('BAD_RDLENGTH', `${what} address part runs past the rdata`, pos + 3);
      // RFC 3123 4: trailing zero octets of the address part are not sent.
      if (afdLength > 0 && buf[pos + 3 + afdLength] === 0) {
        throw new WireError('BAD_RDATA', `${what} address part ends in a zero octet`, pos + 3 + afdLength);
      }
      pos += 4 + afdLength;
    }
    return end;
  },

  fromText(cur: TextCursor, what: string, out: ByteBuilder): void {
    while (!cur.done) {
      const text = cur.take(what).text;
      const m = /^(!?)([0-9]+):([^/]+)\/([0-9]{1,3})$/.exec(text);
      const family = m === null ? 0 : Number(m[2]);
      const size = FAMILY_BYTES[family];
      if (m === null || size === undefined) cur.fail(`${what} item "${text}" is not [!]1:ipv4/prefix or [!]2:ipv6/prefix`);
      const addr = size === 4 ? ipv4FromText(m[3]!) : ipv6FromText(m[3]!);
      const prefix = Number(m[4]);
      if (addr === null || prefix > size * 8) cur.fail(`${what} item "${text}" has a bad address or prefix length`);
      let len = addr.length;
      while (len > 0 && addr[len - 1] === 0) len--;
      out.u16(family);
      out.u8(prefix);
      out.u8((m[1] === '!' ? 0x80 : 0) | len);
      out.bytes(addr.subarray(0, len));
    }
  },

  toText(buf: Uint8Array, pos: number, end: number): string {
    const items: string[] = [];
    while (pos + 4 <= end) {
      const family = (buf[pos]! << 8) | buf[pos + 1]!;
      const prefix = buf[pos + 2]!;
      const negate = (buf[pos + 3]! & 0x80) !== 0;
      const afdLength = buf[pos + 3]! & 0x7f;
      const addr = new Uint8Array(FAMILY_BYTES[family] ?? 16);
      addr.set(buf.subarray(pos + 4, pos + 4 + afdLength));
      const text = family === 1 ? ipv4ToText(addr, 0) : ipv6ToText(addr, 0);
      items.push(`${negate ? '!' : ''}${family}:${text}/${prefix}`);
      pos += 4 + afdLength;
    }
    return items.join(' ');
  },
};
