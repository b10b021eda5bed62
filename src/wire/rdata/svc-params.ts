// SVCB/HTTPS SvcParams (RFC 9460 2.2, 7, 8 and Appendix A): key=value pairs,
// strictly increasing keys on the wire, each value checked by its key's rules.
import { WireError } from '../types.js';
import type { ByteBuilder } from '../byte-builder.js';
import type { FieldCodec } from './field-kind.js';
import type { TextCursor } from './text-cursor.js';
import { base64FromText, base64ToText } from './binary-text.js';
import { charStringFromText, escapeCharString } from './char-string.js';
import { ipv4FromText, ipv4ToText, ipv6FromText, ipv6ToText } from './ip-address.js';
import { decimalUpTo } from './rdata-types.js';

/** SvcParamKeys (RFC 9460 14.3.2, RFC 9461 for dohpath, RFC 9540 for ohttp). */
export const SvcParamKey = {
  MANDATORY: 0, ALPN: 1, NO_DEFAULT_ALPN: 2, PORT: 3, IPV4HINT: 4, ECH: 5, IPV6HINT: 6, DOHPATH: 7, OHTTP: 8,
} as const;
export type SvcParamKey = (typeof SvcParamKey)[keyof typeof SvcParamKey];

const KEY_NAMES = ['mandatory', 'alpn', 'no-default-alpn', 'port', 'ipv4hint', 'ech', 'ipv6hint', 'dohpath', 'ohttp'];

/** RFC 9460 14.3.2: key 65535 is "Reserved ('Invalid key')". */
const INVALID_KEY = 65535;

function keyToText(key: number): string {
  return KEY_NAMES[key] ?? `key${key}`;
}

function keyFromText(text: string): number | null {
  const i = KEY_NAMES.indexOf(text);
  if (i >= 0) return i;
  // RFC 9460 2.1: "keyNNNNN" with the number in decimal, no leading zeros.
  if (/^key(0|[1-9][0-9]{0,4})$/.test(text)) return decimalUpTo(text.slice(3), 65534);
  return null;
}

function u16(buf: Uint8Array, pos: number): number {
  return (buf[pos]! << 8) | buf[pos + 1]!;
}

/** Why a value is malformed for its key, or null when it is fine (wire form). */
function valueProblem(key: number, buf: Uint8Array, pos: number, len: number): string | null {
  switch (key) {
    case SvcParamKey.MANDATORY: {
      if (len === 0 || len % 2 !== 0) return 'mandatory needs a non-empty list of 2-byte keys';
      let last = -1;
      for (let i = 0; i < len; i += 2) {
        const k = u16(buf, pos + i);
        // RFC 9460 8: "the keys ... MUST be in strictly increasing numeric order"; "mandatory" itself MUST NOT appear.
        if (k <= last) return 'mandatory keys are not in strictly increasing order';
        if (k === SvcParamKey.MANDATORY) return 'mandatory lists itself';
        last = k;
      }
      return null;
    }
    case SvcParamKey.ALPN: {
      if (len === 0) return 'alpn is empty';
      let i = 0;
      while (i < len) {
        const n = buf[pos + i]!;
        if (n === 0) return 'alpn has an empty protocol id';
        i += 1 + n;
      }
      return i === len ? null : 'alpn protocol id runs past the value';
    }
    case SvcParamKey.NO_DEFAULT_ALPN:
    case SvcParamKey.OHTTP:
      return len === 0 ? null : `${keyToText(key)} must have an empty value`;
    case SvcParamKey.PORT:
      return len === 2 ? null : 'port is not 2 bytes';
    case SvcParamKey.IPV4HINT:
      return len > 0 && len % 4 === 0 ? null : 'ipv4hint is not a non-empty list of 4-byte addresses';
    case SvcParamKey.IPV6HINT:
      return len > 0 && len % 16 === 0 ? null : 'ipv6hint is not a non-empty list of 16-byte addresses';
    default:
      return null;
  }
}

/** Codec for SvcParams running to the end of the RDATA. */
export const svcParamsCodec: FieldCodec = {
  check(buf: Uint8Array, pos: number, end: number, what: string): number {
    let last = -1;
    const start = pos;
    let mandatoryAt = -1;
    while (pos < end) {
      if (pos + 4 > end) throw new WireError('BAD_RDLENGTH', `rdata ends inside a key of ${what}`, pos);
      const key = u16(buf, pos);
      const len = u16(buf, pos + 2);
      if (pos + 4 + len > end) throw new WireError('BAD_RDLENGTH', `${what} ${keyToText(key)} runs past the rdata`, pos);
      // RFC 9460 2.2: "SvcParamKeys SHALL appear in increasing numeric order"; duplicates are malformed.
      if (key <= last) throw new WireError('BAD_RDATA', `${what} key ${keyToText(key)} is out of order or repeated`, pos);
      if (key === INVALID_KEY) throw new WireError('BAD_RDATA', `${what} uses the reserved key 65535`, pos);
      const problem = valueProblem(key, buf, pos + 4, len);
      if (problem !== null) throw new WireError('BAD_RDATA', `${what}: ${problem}`, pos);
      if (key === SvcParamKey.MANDATORY) mandatoryAt = pos;
      last = key;
      pos += 4 + len;
    }
    if (mandatoryAt >= 0) {
      const present = presentKeys(buf, start, end);
      const len = u16(buf, mandatoryAt + 2);
      for (let i = 0; i < len; i += 2) {
        const k = u16(buf, mandatoryAt + 4 + i);
        // RFC 9460 8: every key listed in mandatory must be present in the RR.
        if (!present.has(k)) throw new WireError('BAD_RDATA', `${what} lists ${keyToText(k)} as mandatory but it is absent`, mandatoryAt);
      }
    }
    return end;
  },

  fromText(cur: TextCursor, what: string, out: ByteBuilder): void {
    const params: [number, Uint8Array][] = [];
    while (!cur.done) {
      const token = cur.take(what);
      const at = cur.index - 1;
      const text = token.text;
      let value: string | null = null;
      const eq = text.indexOf('=');
      let keyText = text;
      if (eq >= 0) {
        keyText = text.slice(0, eq);
        value = text.slice(eq + 1);
        if (value === '' && !cur.done && cur.tokens[cur.index]!.quoted) {
          // `key="value"` split by the tokenizer into `key=` and a quoted token.
          value = cur.take(what).text;
        } else if (!token.quoted && value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
          // `key="value"` kept whole by the tokenizer.
          value = value.slice(1, -1);
        }
      }
      const key = keyFromText(keyText.toLowerCase());
      if (key === null || key === INVALID_KEY) cur.fail(`${what} key "${keyText}" is not known (use keyNNNNN)`, at);
      const bytes = charStringFromText(value ?? '');
      if (typeof bytes === 'string') cur.fail(`${what} ${keyText} value ${bytes}`, at);
      const wire = valueFromText(key, value === null ? null : bytes, (why) => cur.fail(`${what} ${keyText} ${why}`, at));
      params.push([key, wire]);
    }
    params.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < params.length; i++) {
      if (params[i]![0] === params[i - 1]![0]) cur.fail(`${what} key ${keyToText(params[i]![0])} appears twice`, 0);
    }
    const start = out.length;
    for (const [key, wire] of params) {
      out.u16(key);
      out.u16(wire.length);
      out.bytes(wire);
    }
    // The same rules as on the wire (order, mandatory keys present).
    const built = out.finish();
    try {
      svcParamsCodec.check(built, start, built.length, what);
    } catch (e) {
      if (e instanceof WireError) cur.fail(e.message, 0);
      throw e;
    }
  },

  toText(buf: Uint8Array, pos: number, end: number): string {
    const parts: string[] = [];
    while (pos + 4 <= end) {
      const key = u16(buf, pos);
      const len = u16(buf, pos + 2);
      const v = pos + 4;
      parts.push(paramToText(key, buf, v, v + len));
      pos = v + len;
    }
    return parts.join(' ');
  },
};

function presentKeys(buf: Uint8Array, pos: number, end: number): Set<number> {
  const keys = new Set<number>();
  while (pos + 4 <= end) {
    keys.add(u16(buf, pos));
    pos += 4 + u16(buf, pos + 2);
  }
  return keys;
}

/** RFC 9460 A.1: splits a value-list on commas not escaped with a backslash. */
function splitValueList(bytes: Uint8Array): Uint8Array[] | string {
  const items: Uint8Array[] = [];
  let item: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0x5c) {
      if (i + 1 >= bytes.length) return 'ends in a lone backslash';
      item.push(bytes[++i]!);
    } else if (c === 0x2c) {
      items.push(Uint8Array.from(item));
      item = [];
    } else {
      item.push(c);
    }
  }
  items.push(Uint8Array.from(item));
  return items;
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode.apply(null, bytes as unknown as number[]);
}

/** Value text (escapes already decoded; null when there was no "=") to wire bytes. */
function valueFromText(key: number, bytes: Uint8Array | null, fail: (why: string) => never): Uint8Array {
  const simpleList = (): string[] => {
    if (bytes === null || bytes.length === 0) fail('needs a value');
    return latin1(bytes).split(',');
  };
  switch (key) {
    case SvcParamKey.MANDATORY: {
      const keys: number[] = [];
      for (const name of simpleList()) {
        const k = keyFromText(name.toLowerCase());
        if (k === null) fail(`lists unknown key "${name}"`);
        if (keys.includes(k)) fail(`lists key "${name}" twice`);
        keys.push(k);
      }
      keys.sort((a, b) => a - b);
      const out = new Uint8Array(keys.length * 2);
      keys.forEach((k, i) => {
        out[2 * i] = k >> 8;
        out[2 * i + 1] = k & 0xff;
      });
      return out;
    }
    case SvcParamKey.ALPN: {
      if (bytes === null || bytes.length === 0) fail('needs a value');
      const items = splitValueList(bytes);
      if (typeof items === 'string') fail(items);
      const out: number[] = [];
      for (const id of items) {
        if (id.length === 0 || id.length > 255) fail('has a protocol id that is empty or longer than 255 bytes');
        out.push(id.length, ...id);
      }
      return Uint8Array.from(out);
    }
    case SvcParamKey.NO_DEFAULT_ALPN:
    case SvcParamKey.OHTTP:
      if (bytes !== null && bytes.length > 0) fail('takes no value');
      return new Uint8Array(0);
    case SvcParamKey.PORT: {
      const port = bytes === null ? null : decimalUpTo(latin1(bytes), 65535);
      if (port === null) fail('is not a number 0-65535');
      return Uint8Array.of(port >> 8, port & 0xff);
    }
    case SvcParamKey.IPV4HINT:
    case SvcParamKey.IPV6HINT: {
      const v4 = key === SvcParamKey.IPV4HINT;
      const out: number[] = [];
      for (const addr of simpleList()) {
        const b = v4 ? ipv4FromText(addr) : ipv6FromText(addr);
        if (b === null) fail(`has "${addr}", not an ${v4 ? 'IPv4' : 'IPv6'} address`);
        out.push(...b);
      }
      return Uint8Array.from(out);
    }
    case SvcParamKey.ECH: {
      if (bytes === null) fail('needs a value');
      const b = base64FromText(latin1(bytes));
      if (b === null) fail('is not base64');
      return b;
    }
    default:
      return bytes ?? new Uint8Array(0);
  }
}

/** RFC 9460 A.1 escaping of one value-list item: backslash and comma get a backslash. */
function escapeListItem(buf: Uint8Array, start: number, end: number): Uint8Array {
  const out: number[] = [];
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c === 0x5c || c === 0x2c) out.push(0x5c);
    out.push(c);
  }
  return Uint8Array.from(out);
}

function paramToText(key: number, buf: Uint8Array, v: number, end: number): string {
  const name = keyToText(key);
  switch (key) {
    case SvcParamKey.MANDATORY: {
      const keys: string[] = [];
      for (let i = v; i + 1 < end; i += 2) keys.push(keyToText(u16(buf, i)));
      return `${name}=${keys.join(',')}`;
    }
    case SvcParamKey.ALPN: {
      const items: string[] = [];
      let i = v;
      while (i < end) {
        const n = buf[i]!;
        const item = escapeListItem(buf, i + 1, i + 1 + n);
        items.push(escapeCharString(item, 0, item.length));
        i += 1 + n;
      }
      return `${name}="${items.join(',')}"`;
    }
    case SvcParamKey.NO_DEFAULT_ALPN:
    case SvcParamKey.OHTTP:
      return name;
    case SvcParamKey.PORT:
      return `${name}=${u16(buf, v)}`;
    case SvcParamKey.IPV4HINT: {
      const addrs: string[] = [];
      for (let i = v; i + 4 <= end; i += 4) addrs.push(ipv4ToText(buf, i));
      return `${name}=${addrs.join(',')}`;
    }
    case SvcParamKey.IPV6HINT: {
      const addrs: string[] = [];
      for (let i = v; i + 16 <= end; i += 16) addrs.push(ipv6ToText(buf, i));
      return `${name}=${addrs.join(',')}`;
    }
    case SvcParamKey.ECH:
      return `${name}="${base64ToText(buf, v, end)}"`;
    default:
      return end === v ? name : `${name}="${escapeCharString(buf, v, end)}"`;
  }
}
