// One codec per field kind: how it is checked on the wire, parsed from text and
// printed. The RR type table (rdata-types.ts) names kinds; this maps them to code.
import { WireError, type Name } from '../types.js';
import { nameFromText, nameToText } from '../name.js';
import { checkUncompressedName, latin1Slice } from '../read-name.js';
import type { ByteBuilder } from '../byte-builder.js';
import type { FieldCodec, FieldKind } from './field-kind.js';
import type { TextCursor } from './text-cursor.js';
import { aplCodec } from './apl-codec.js';
import { base32hexFromText, base32hexToText, base64FromText, base64ToText, hexFromText, hexToText } from './binary-text.js';
import { charStringFromText, charStringToText } from './char-string.js';
import { ipv4FromText, ipv4ToText, ipv6FromText, ipv6ToText } from './ip-address.js';
import { locCodec } from './loc-codec.js';
import { decimalUpTo, typeFromText, typeToText } from './rdata-types.js';
import { svcParamsCodec } from './svc-params.js';
import { typeBitmapCodec } from './type-bitmap.js';

function need(pos: number, n: number, end: number, what: string): number {
  if (pos + n > end) throw new WireError('BAD_RDLENGTH', `rdata ends inside ${what}`, pos);
  return pos + n;
}

function readU16(buf: Uint8Array, pos: number): number {
  return (buf[pos]! << 8) | buf[pos + 1]!;
}

function readU32(buf: Uint8Array, pos: number): number {
  return ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
}

/** A fixed-size unsigned integer in decimal. */
function unsigned(bytes: 1 | 2 | 4): FieldCodec {
  const max = bytes === 1 ? 255 : bytes === 2 ? 65535 : 4294967295;
  return {
    check: (_buf, pos, end, what) => need(pos, bytes, end, what),
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      const v = decimalUpTo(text, max);
      if (v === null) cur.fail(`${what} "${text}" is not a number 0-${max}`);
      writeUnsigned(out, bytes, v);
    },
    toText: (buf, pos) => String(bytes === 1 ? buf[pos]! : bytes === 2 ? readU16(buf, pos) : readU32(buf, pos)),
  };
}

function writeUnsigned(out: ByteBuilder, bytes: 1 | 2 | 4, v: number): void {
  if (bytes === 1) out.u8(v);
  else if (bytes === 2) out.u16(v);
  else out.u32(v);
}

const UNIT_SECONDS: Readonly<Record<string, number>> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };

/** Seconds as a plain number or BIND duration ("1w2d", "3600", "1h30m"); null when neither. */
function periodFromText(text: string): number | null {
  const plain = decimalUpTo(text, 4294967295);
  if (plain !== null) return plain;
  const m = /^(?:[0-9]+[wdhms])+$/i.exec(text);
  if (m === null) return null;
  let total = 0;
  for (const part of text.matchAll(/([0-9]+)([wdhms])/gi)) {
    total += Number(part[1]) * UNIT_SECONDS[part[2]!.toLowerCase()]!;
  }
  return total <= 4294967295 ? total : null;
}

/** RFC 4034 A.1 algorithm mnemonics (plus RFC 8080, RFC 6605). */
const ALGORITHMS: Readonly<Record<string, number>> = {
  RSAMD5: 1, DH: 2, DSA: 3, RSASHA1: 5, 'DSA-NSEC3-SHA1': 6, 'RSASHA1-NSEC3-SHA1': 7, RSASHA256: 8,
  RSASHA512: 10, 'ECC-GOST': 12, ECDSAP256SHA256: 13, ECDSAP384SHA384: 14, ED25519: 15, ED448: 16,
  INDIRECT: 252, PRIVATEDNS: 253, PRIVATEOID: 254,
};

/** "YYYYMMDDHHmmSS" (UTC) to seconds modulo 2^32, RFC 4034 3.2; null when not a valid date. */
function dateToSeconds(text: string): number | null {
  const m = /^([0-9]{4})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})([0-9]{2})$/.exec(text);
  if (m === null) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(ms).getUTCDate() !== d) return null; // 31 February and the like
  return (ms / 1000) % 2 ** 32;
}

function secondsToDate(seconds: number): string {
  const iso = new Date(seconds * 1000).toISOString(); // "2026-11-22T18:01:00.000Z"
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
}

/** A domain name field; all three name kinds look the same in stored (uncompressed) RDATA. */
const nameCodec: FieldCodec = {
  check: (buf, pos, end, what) => checkUncompressedName(buf, pos, end, what),
  fromText(cur: TextCursor, what: string, out: ByteBuilder) {
    const text = cur.take(what).text;
    let name: Name;
    try {
      name = nameFromText(text, cur.origin);
    } catch (e) {
      if (e instanceof WireError) cur.fail(`${what} ${e.message}`);
      throw e;
    }
    out.latin1(name);
  },
  toText: (buf, pos, end) => nameToText(latin1Slice(buf, pos, end) as Name),
};

/** Bytes to the end of the RDATA in some text encoding, from all remaining tokens. */
function restEncoded(
  encoding: string,
  decode: (text: string) => Uint8Array | null,
  encode: (buf: Uint8Array, start: number, end: number) => string,
): FieldCodec {
  return {
    check(_buf, pos, end, what) {
      if (pos >= end) throw new WireError('BAD_RDLENGTH', `${what} is empty`, pos);
      return end;
    },
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const first = cur.index;
      let text = cur.take(what).text;
      while (!cur.done) text += cur.take(what).text;
      const bytes = decode(text);
      if (bytes === null || bytes.length === 0) cur.fail(`${what} is not ${encoding}`, first);
      out.bytes(bytes);
    },
    toText: encode,
  };
}

/** A u8 length and that many bytes, the bytes in some text encoding (NSEC3 salt and hash). */
function lengthPrefixed(
  encoding: string,
  decode: (text: string) => Uint8Array | null,
  encode: (buf: Uint8Array, start: number, end: number) => string,
  dashForEmpty: boolean,
): FieldCodec {
  return {
    check(buf, pos, end, what) {
      const len = buf[need(pos, 1, end, what) - 1]!;
      if (len === 0 && !dashForEmpty) throw new WireError('BAD_RDATA', `${what} is empty`, pos);
      return need(pos + 1, len, end, what);
    },
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      const bytes = dashForEmpty && text === '-' ? new Uint8Array(0) : decode(text);
      if (bytes === null || bytes.length > 255 || (bytes.length === 0 && text !== '-')) {
        cur.fail(`${what} "${text}" is not ${encoding} of 1-255 bytes${dashForEmpty ? ' or "-"' : ''}`);
      }
      out.u8(bytes.length);
      out.bytes(bytes);
    },
    toText: (buf, pos, end) => (end === pos + 1 ? '-' : encode(buf, pos + 1, end)),
  };
}

/** An EUI-48 or EUI-64 address as hex pairs joined by "-" (RFC 7043 3.2, 4.2). */
function eui(bytes: 6 | 8): FieldCodec {
  return {
    check(_buf, pos, end, what) {
      if (end - pos !== bytes) throw new WireError('BAD_RDLENGTH', `${what} is ${end - pos} bytes, not ${bytes}`, pos);
      return end;
    },
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      const re = bytes === 6 ? /^[0-9a-f]{2}(-[0-9a-f]{2}){5}$/i : /^[0-9a-f]{2}(-[0-9a-f]{2}){7}$/i;
      if (!re.test(text)) cur.fail(`${what} "${text}" is not ${bytes} hex pairs joined by "-"`);
      out.bytes(hexFromText(text.replaceAll('-', ''))!);
    },
    toText: (buf, pos, end) => hexToText(buf, pos, end).toLowerCase().replace(/(..)(?!$)/g, '$1-'),
  };
}

/** Text for bytes to the end of RDATA (URI target, CAA value): one token, quoted on output. */
const textRestCodec: FieldCodec = {
  check: (_buf, _pos, end) => end,
  fromText(cur: TextCursor, what: string, out: ByteBuilder) {
    const text = cur.take(what).text;
    const bytes = charStringFromText(text);
    if (typeof bytes === 'string') cur.fail(`${what} ${bytes}`);
    out.bytes(bytes);
  },
  toText: (buf, pos, end) => charStringToText(buf, pos, end),
};

const charStringCodec: FieldCodec = {
  check(buf, pos, end, what) {
    const len = buf[need(pos, 1, end, what) - 1]!;
    return need(pos + 1, len, end, what);
  },
  fromText(cur: TextCursor, what: string, out: ByteBuilder) {
    const text = cur.take(what).text;
    const bytes = charStringFromText(text);
    if (typeof bytes === 'string') cur.fail(`${what} ${bytes}`);
    // RFC 1035 3.3: "<character-string> is a single length octet followed by that number of characters."
    if (bytes.length > 255) cur.fail(`${what} string of ${bytes.length} bytes exceeds 255; split it into several strings`);
    out.u8(bytes.length);
    out.bytes(bytes);
  },
  toText: (buf, pos, end) => charStringToText(buf, pos + 1, end),
};

/** The codec of every field kind. */
export const FIELD_CODECS: Readonly<Record<FieldKind, FieldCodec>> = {
  u8: unsigned(1),
  u16: unsigned(2),
  u32: unsigned(4),
  period: {
    check: (_buf, pos, end, what) => need(pos, 4, end, what),
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      const v = periodFromText(text);
      if (v === null) cur.fail(`${what} "${text}" is not a number of seconds or a duration like 1h30m`);
      out.u32(v);
    },
    toText: (buf, pos) => String(readU32(buf, pos)),
  },
  alg: {
    check: (_buf, pos, end, what) => need(pos, 1, end, what),
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      const v = decimalUpTo(text, 255) ?? ALGORITHMS[text.toUpperCase()];
      if (v === undefined) cur.fail(`${what} "${text}" is not a number 0-255 or an algorithm mnemonic`);
      out.u8(v);
    },
    toText: (buf, pos) => String(buf[pos]!),
  },
  rrtype: {
    check: (_buf, pos, end, what) => need(pos, 2, end, what),
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      const v = typeFromText(text);
      if (v === null) cur.fail(`${what} "${text}" is not an RR type`);
      out.u16(v);
    },
    toText: (buf, pos) => typeToText(readU16(buf, pos)),
  },
  time: {
    check: (_buf, pos, end, what) => need(pos, 4, end, what),
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      // RFC 4034 3.2: "either as an unsigned decimal integer indicating seconds since
      // 1 January 1970 00:00:00 UTC, or in the form YYYYMMDDHHmmSS in UTC".
      const v = text.length === 14 ? dateToSeconds(text) : decimalUpTo(text, 4294967295);
      if (v === null) cur.fail(`${what} "${text}" is not YYYYMMDDHHmmSS or seconds since 1970`);
      out.u32(v);
    },
    toText: (buf, pos) => secondsToDate(readU32(buf, pos)),
  },
  ipv4: {
    check: (_buf, pos, end, what) => need(pos, 4, end, what),
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      const b = ipv4FromText(text);
      if (b === null) cur.fail(`${what} "${text}" is not an IPv4 address`);
      out.bytes(b);
    },
    toText: (buf, pos) => ipv4ToText(buf, pos),
  },
  ipv6: {
    check: (_buf, pos, end, what) => need(pos, 16, end, what),
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      const b = ipv6FromText(text);
      if (b === null) cur.fail(`${what} "${text}" is not an IPv6 address`);
      out.bytes(b);
    },
    toText: (buf, pos) => ipv6ToText(buf, pos),
  },
  name: nameCodec,
  'name-dc': nameCodec,
  'name-nc': nameCodec,
  'char-string': charStringCodec,
  'char-strings': {
    check(buf, pos, end, what) {
      // RFC 1035 3.3.14: "One or more <character-string>s."
      if (pos >= end) throw new WireError('BAD_RDLENGTH', `${what} has no strings`, pos);
      while (pos < end) pos = charStringCodec.check(buf, pos, end, what);
      return pos;
    },
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      charStringCodec.fromText(cur, what, out);
      while (!cur.done) charStringCodec.fromText(cur, what, out);
    },
    toText(buf, pos, end) {
      const parts: string[] = [];
      while (pos < end) {
        const next = pos + 1 + buf[pos]!;
        parts.push(charStringToText(buf, pos + 1, next));
        pos = next;
      }
      return parts.join(' ');
    },
  },
  'text-rest': textRestCodec,
  'caa-tag': {
    check(buf, pos, end, what) {
      const len = buf[need(pos, 1, end, what) - 1]!;
      // RFC 8659 4.1: "The tag length MUST be at least 1"; tags are ASCII letters and digits.
      if (len === 0) throw new WireError('BAD_RDATA', `${what} is empty`, pos);
      const stop = need(pos + 1, len, end, what);
      for (let i = pos + 1; i < stop; i++) {
        if (!isAlnum(buf[i]!)) throw new WireError('BAD_RDATA', `${what} has a byte other than a letter or digit`, i);
      }
      return stop;
    },
    fromText(cur: TextCursor, what: string, out: ByteBuilder) {
      const text = cur.take(what).text;
      if (!/^[A-Za-z0-9]{1,255}$/.test(text)) cur.fail(`${what} "${text}" is not 1-255 ASCII letters and digits`);
      out.u8(text.length);
      out.latin1(text);
    },
    toText: (buf, pos, end) => latin1Slice(buf, pos + 1, end),
  },
  base64: restEncoded('base64', base64FromText, base64ToText),
  hex: restEncoded('hex', hexFromText, hexToText),
  'hex-u8-len': lengthPrefixed('hex', hexFromText, hexToText, true),
  'base32hex-u8-len': lengthPrefixed('base32hex', base32hexFromText, base32hexToText, false),
  'type-bitmap': typeBitmapCodec,
  'svc-params': svcParamsCodec,
  loc: locCodec,
  apl: aplCodec,
  eui48: eui(6),
  eui64: eui(8),
};

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
