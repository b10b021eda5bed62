// Where the TTLs of an encoded message are: the byte offset of the 32-bit TTL field
// of every record after the question, OPT excepted (its "TTL" holds the extended
// RCODE, the EDNS version and the DO bit, RFC 6891 6.1.3), and where the sections
// begin. The caches that keep encoded answers (the engine's and the forwarder's)
// use these to count TTLs down in place, and to cut sections, without decoding.

/** TTL field offsets (ascending), the smallest TTL among them, and the section bounds. */
export interface TtlFields {
  readonly offsets: readonly number[];
  /** The lowest TTL of the records found; 0 when there are none. */
  readonly minTtl: number;
  /** Offset where the question ends and the answer section begins. */
  readonly questionEnd: number;
  /** Offset where the additional section begins (the message length when it is empty). */
  readonly additionalStart: number;
}

const TYPE_OPT = 41;

/**
 * The offset after the encoded name at `pos` (which may end in a compression
 * pointer, not followed); -1 when it runs off the end or is not a name.
 */
export function skipEncodedName(buf: Uint8Array, pos: number): number {
  for (let labels = 0; labels < 128; labels++) {
    if (pos >= buf.length) return -1;
    const len = buf[pos]!;
    if (len === 0) return pos + 1;
    if ((len & 0xc0) === 0xc0) return pos + 2 <= buf.length ? pos + 2 : -1;
    if ((len & 0xc0) !== 0) return -1;
    pos += len + 1;
  }
  return -1;
}

/**
 * The TTL fields of `message`, or null when its sections do not walk exactly to
 * its end (then the caller keeps nothing).
 */
export function ttlFieldsOf(message: Uint8Array): TtlFields | null {
  if (message.length < 12) return null;
  const questions = (message[4]! << 8) | message[5]!;
  const beforeAdditional = ((message[6]! << 8) | message[7]!) + ((message[8]! << 8) | message[9]!);
  const records = beforeAdditional + ((message[10]! << 8) | message[11]!);
  let pos = 12;
  for (let i = 0; i < questions; i++) {
    pos = skipEncodedName(message, pos);
    if (pos < 0 || pos + 4 > message.length) return null;
    pos += 4;
  }
  const questionEnd = pos;
  let additionalStart = message.length;
  const offsets: number[] = [];
  let minTtl = 0xffffffff;
  for (let i = 0; i < records; i++) {
    if (i === beforeAdditional) additionalStart = pos;
    pos = skipEncodedName(message, pos);
    if (pos < 0 || pos + 10 > message.length) return null;
    const type = (message[pos]! << 8) | message[pos + 1]!;
    if (type !== TYPE_OPT) {
      const at = pos + 4;
      const ttl = ((message[at]! << 24) | (message[at + 1]! << 16) | (message[at + 2]! << 8) | message[at + 3]!) >>> 0;
      offsets.push(at);
      if (ttl < minTtl) minTtl = ttl;
    }
    pos += 10 + ((message[pos + 8]! << 8) | message[pos + 9]!);
    if (pos > message.length) return null;
  }
  if (pos !== message.length) return null;
  return { offsets, minTtl: offsets.length === 0 ? 0 : minTtl, questionEnd, additionalStart };
}
