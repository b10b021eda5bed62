// LOC RDATA (RFC 1876): position, altitude and precision of a location.
// Wire (RFC 1876 2): version, size, horizontal and vertical precision (each a
// base-and-power-of-ten nibble pair in centimetres), latitude and longitude in
// thousandths of an arc second offset by 2^31, altitude in centimetres above
// 100 000 m below the WGS 84 reference spheroid.
import { Buffer } from 'node:buffer';
import { WireError } from '../types.js';
import type { ByteBuilder } from '../byte-builder.js';
import type { FieldCodec } from './field-kind.js';
import type { TextCursor } from './text-cursor.js';

const EQUATOR = 2 ** 31;
const MAS_PER_DEGREE = 3600 * 1000;
const ALTITUDE_BASE_CM = 10_000_000;
/** RFC 1876 3: defaults when size, hp or vp are omitted (1 m, 10 000 m, 10 m). */
const DEFAULT_SIZE = 0x12;
const DEFAULT_HP = 0x16;
const DEFAULT_VP = 0x13;

/** Codec for the whole LOC RDATA. */
export const locCodec: FieldCodec = {
  check(buf: Uint8Array, pos: number, end: number, what: string): number {
    if (end - pos !== 16) throw new WireError('BAD_RDLENGTH', `${what} is ${end - pos} bytes, not 16`, pos);
    // RFC 1876 2: "VERSION ... MUST be zero"; other versions have an unknown layout.
    if (buf[pos] !== 0) throw new WireError('BAD_RDATA', `${what} version ${buf[pos]} is not 0`, pos);
    for (let i = 1; i <= 3; i++) {
      const v = buf[pos + i]!;
      if (v >> 4 > 9 || (v & 15) > 9) {
        throw new WireError('BAD_RDATA', `${what} precision byte 0x${v.toString(16)} has a digit above 9`, pos + i);
      }
    }
    const lat = readU32(buf, pos + 4);
    const lon = readU32(buf, pos + 8);
    if (Math.abs(lat - EQUATOR) > 90 * MAS_PER_DEGREE) throw new WireError('BAD_RDATA', `${what} latitude is beyond 90 degrees`, pos + 4);
    if (Math.abs(lon - EQUATOR) > 180 * MAS_PER_DEGREE) throw new WireError('BAD_RDATA', `${what} longitude is beyond 180 degrees`, pos + 8);
    return end;
  },

  fromText(cur: TextCursor, what: string, out: ByteBuilder): void {
    const lat = readCoordinate(cur, what, 'latitude', 90, 'N', 'S');
    const lon = readCoordinate(cur, what, 'longitude', 180, 'E', 'W');
    const altText = cur.take(`${what} altitude`).text;
    const alt = metresToCm(altText, true);
    if (alt === null || alt < -ALTITUDE_BASE_CM || alt + ALTITUDE_BASE_CM > 0xffffffff) {
      cur.fail(`${what} altitude "${altText}" is not metres between -100000.00 and 42849672.95`);
    }
    const precisions = [DEFAULT_SIZE, DEFAULT_HP, DEFAULT_VP];
    const names = ['size', 'horizontal precision', 'vertical precision'];
    for (let i = 0; i < 3 && !cur.done; i++) {
      const text = cur.take(`${what} ${names[i]}`).text;
      const cm = metresToCm(text, false);
      if (cm === null || cm > 9e9) cur.fail(`${what} ${names[i]} "${text}" is not metres between 0 and 90000000.00`);
      precisions[i] = precisionToByte(cm);
    }
    out.u8(0);
    for (const p of precisions) out.u8(p);
    out.u32(EQUATOR + lat);
    out.u32(EQUATOR + lon);
    out.u32(alt + ALTITUDE_BASE_CM);
  },

  toText(buf: Uint8Array, pos: number, end: number): string {
    // A zero precision with a non-zero exponent has no text form of its own (the
    // text "0m" encodes as 0x00); RFC 3597 5 generic form keeps the bytes exact.
    for (let i = 1; i <= 3; i++) {
      const v = buf[pos + i]!;
      if (v >> 4 === 0 && v !== 0) return `\\# 16 ${Buffer.from(buf.subarray(pos, end)).toString('hex')}`;
    }
    const lat = readU32(buf, pos + 4) - EQUATOR;
    const lon = readU32(buf, pos + 8) - EQUATOR;
    const alt = readU32(buf, pos + 12) - ALTITUDE_BASE_CM;
    return [
      coordinateToText(lat, 'N', 'S'),
      coordinateToText(lon, 'E', 'W'),
      altitudeToText(alt),
      precisionToText(buf[pos + 1]!),
      precisionToText(buf[pos + 2]!),
      precisionToText(buf[pos + 3]!),
    ].join(' ');
  },
};

function readU32(buf: Uint8Array, pos: number): number {
  return ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0;
}

/** Reads "d [m [s.sss]] H" and returns signed thousandths of an arc second. */
function readCoordinate(cur: TextCursor, what: string, axis: string, maxDeg: number, pos: string, neg: string): number {
  const parts: string[] = [];
  for (;;) {
    const token = cur.take(`${what} ${axis}`);
    const upper = token.text.toUpperCase();
    if (upper === pos || upper === neg) {
      if (parts.length === 0) cur.fail(`${what} ${axis} has no degrees before "${token.text}"`);
      const [d, m = '0', s = '0'] = parts;
      const deg = wholeNumber(d!, maxDeg);
      const min = wholeNumber(m, 59);
      const mas = secondsToMas(s);
      if (deg === null || min === null || mas === null) {
        cur.fail(`${what} ${axis} "${parts.join(' ')}" is not degrees, minutes 0-59 and seconds 0-59.999`);
      }
      const total = deg * MAS_PER_DEGREE + min * 60_000 + mas;
      if (total > maxDeg * MAS_PER_DEGREE) cur.fail(`${what} ${axis} "${parts.join(' ')}" exceeds ${maxDeg} degrees`);
      return upper === pos ? total : -total;
    }
    if (parts.length === 3) cur.fail(`${what} ${axis} expects "${pos}" or "${neg}", not "${token.text}"`);
    parts.push(token.text);
  }
}

function wholeNumber(text: string, max: number): number | null {
  if (!/^[0-9]{1,9}$/.test(text)) return null;
  const v = Number(text);
  return v <= max ? v : null;
}

function secondsToMas(text: string): number | null {
  const m = /^([0-9]{1,2})(?:\.([0-9]{1,3}))?$/.exec(text);
  if (m === null) return null;
  const whole = Number(m[1]);
  if (whole > 59) return null;
  return whole * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
}

/** "12.34m", "-5", "0.5m" -> centimetres; null when malformed or negative where not allowed. */
function metresToCm(text: string, signed: boolean): number | null {
  const m = /^(-?)([0-9]{1,9})(?:\.([0-9]{1,2}))?[mM]?$/.exec(text);
  if (m === null || (m[1] === '-' && !signed)) return null;
  const cm = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] === '-' ? -cm : cm;
}

/**
 * RFC 1876 2: precision as a base digit times a power of ten, in centimetres.
 * Values that are not exactly representable round down, as RFC 1876's sample
 * code and BIND do.
 */
function precisionToByte(cm: number): number {
  let exponent = 0;
  while (exponent < 9 && cm >= 10 ** (exponent + 1)) exponent++;
  const base = Math.min(9, Math.floor(cm / 10 ** exponent));
  return (base << 4) | exponent;
}

/** As BIND prints it: whole metres from 1 m up ("30m"), else centimetres ("0.50m"). */
function precisionToText(b: number): string {
  const base = b >> 4;
  const exponent = b & 15;
  if (exponent >= 2) return `${base * 10 ** (exponent - 2)}m`;
  return `0.${String(base * 10 ** exponent).padStart(2, '0')}m`;
}

function coordinateToText(mas: number, pos: string, neg: string): string {
  const hemisphere = mas < 0 ? neg : pos;
  let rest = Math.abs(mas);
  const deg = Math.floor(rest / MAS_PER_DEGREE);
  rest -= deg * MAS_PER_DEGREE;
  const min = Math.floor(rest / 60_000);
  rest -= min * 60_000;
  const sec = Math.floor(rest / 1000);
  const frac = rest - sec * 1000;
  return `${deg} ${min} ${sec}.${String(frac).padStart(3, '0')} ${hemisphere}`;
}

/** Centimetres as metres with two decimals: "-24.05m", "0.00m". */
function altitudeToText(cm: number): string {
  const abs = Math.abs(cm);
  return `${cm < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}m`;
}
