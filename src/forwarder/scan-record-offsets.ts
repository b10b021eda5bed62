// Walks an encoded response once, when it enters the cache, to find where each
// record's TTL lives and where the additional section starts. A cache hit then
// rewrites TTLs in place at these offsets (and can drop the additional section to
// fit a small client) without decoding anything.
import { skipEncodedName } from '../wire/index.js';

/** Byte positions inside one encoded response. */
export interface RecordOffsets {
  /** Offset of the TTL field of every record after the question, ascending. */
  readonly ttlOffsets: Uint32Array;
  /** Offset where the question ends and the answer section begins. */
  readonly questionEnd: number;
  /** Offset where the additional section begins (the message length when it is empty). */
  readonly additionalStart: number;
}

/**
 * Finds the TTL offsets of a message our own encoder produced (so it is well formed).
 * Returns null if the bytes do not walk cleanly, which a caller treats as "do not cache".
 */
export function scanRecordOffsets(buf: Uint8Array): RecordOffsets | null {
  if (buf.length < 12) return null;
  const qd = (buf[4]! << 8) | buf[5]!;
  const an = (buf[6]! << 8) | buf[7]!;
  const ns = (buf[8]! << 8) | buf[9]!;
  const ar = (buf[10]! << 8) | buf[11]!;
  let pos = 12;
  for (let i = 0; i < qd; i++) {
    pos = skipEncodedName(buf, pos);
    if (pos < 0 || pos + 4 > buf.length) return null;
    pos += 4;
  }
  const questionEnd = pos;
  const ttls = new Uint32Array(an + ns + ar);
  let additionalStart = buf.length;
  for (let i = 0; i < an + ns + ar; i++) {
    if (i === an + ns) additionalStart = pos;
    pos = skipEncodedName(buf, pos);
    if (pos < 0 || pos + 10 > buf.length) return null;
    ttls[i] = pos + 4;
    const rdlength = (buf[pos + 8]! << 8) | buf[pos + 9]!;
    pos += 10 + rdlength;
    if (pos > buf.length) return null;
  }
  if (pos !== buf.length) return null;
  return { ttlOffsets: ttls, questionEnd, additionalStart };
}
