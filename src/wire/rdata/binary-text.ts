// Strict text encodings of binary fields: hex (RFC 4648 8), base64 (RFC 4648 4,
// padded) and base32hex (RFC 4648 7, unpadded as in RFC 5155 3.3). Node's
// Buffer decoders skip bad characters silently, so the input is checked first.
import { Buffer } from 'node:buffer';

/** Decodes hex digits (either case); null when the text is not whole bytes of hex. */
export function hexFromText(text: string): Uint8Array | null {
  if (text.length % 2 !== 0) return null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return null;
  }
  return new Uint8Array(Buffer.from(text, 'hex'));
}

/** Uppercase hex of bytes [start, end), as BIND prints digests. */
export function hexToText(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('hex').toUpperCase();
}

/** Decodes padded base64; null when the text is not canonical-length base64. */
export function base64FromText(text: string): Uint8Array | null {
  if (text.length % 4 !== 0) return null;
  let pad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3d /* = */) {
      pad++;
      continue;
    }
    if (pad > 0) return null;
    const ok = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    if (!ok) return null;
  }
  if (pad > 2) return null;
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Padded base64 of bytes [start, end). */
export function base64ToText(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('base64');
}

const BASE32HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

/** Decodes unpadded base32hex (either case); null when malformed or with non-zero spare bits. */
export function base32hexFromText(text: string): Uint8Array | null {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let v: number;
    if (c >= 0x30 && c <= 0x39) v = c - 0x30;
    else if (c >= 0x41 && c <= 0x56) v = c - 0x41 + 10;
    else if (c >= 0x61 && c <= 0x76) v = c - 0x61 + 10;
    else return null;
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
      acc &= (1 << bits) - 1;
    }
  }
  // Only lengths a whole number of bytes encode to, with the spare bits zero.
  if (bits >= 5 || acc !== 0) return null;
  return Uint8Array.from(out);
}

/** Unpadded uppercase base32hex of bytes [start, end). */
export function base32hexToText(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    acc = (acc << 8) | buf[i]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32HEX[(acc >>> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32HEX[(acc << (5 - bits)) & 31];
  return out;
}
