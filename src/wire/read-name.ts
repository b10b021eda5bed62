// Reading names out of wire data: from a message (following compression pointers,
// RFC 1035 4.1.4) and from stored RDATA (uncompressed only).
import { Buffer } from 'node:buffer';
import { WireError, type Name } from './types.js';

const ROOT = '\0' as Name;

/** Most pointers a name may follow; a name has at most 127 labels. */
const MAX_POINTER_HOPS = 127;

type Latin1Slicer = (this: Uint8Array, start: number, end: number) => string;

/**
 * Node's native latin1 decoder (what `Buffer#toString('latin1')` calls), which
 * works on any Uint8Array and is the fastest way to make a one-byte string;
 * `fromCharCode.apply` is the portable fallback.
 */
const nativeLatin1 = (Buffer.prototype as unknown as { latin1Slice?: Latin1Slicer }).latin1Slice;

/** Bytes [start, end) as a latin1 string, without per-byte concatenation. */
export function latin1Slice(buf: Uint8Array, start: number, end: number): string {
  if (end - start === 1) return String.fromCharCode(buf[start]!);
  if (nativeLatin1 !== undefined) return nativeLatin1.call(buf, start, end);
  return String.fromCharCode.apply(null, buf.subarray(start, end) as unknown as number[]);
}

/** Where the last `readNameAt` call stopped in the original byte stream. */
export let lastNameEnd = 0;

/**
 * Reads a possibly compressed name at `offset`; returns it and leaves the position
 * after it (after the first pointer, if any) in `lastNameEnd`. The allocation-free
 * form of `readName` for the decoder's loops.
 *
 * Pointer rule, stricter than RFC 1035 4.1.4 but true of every sane encoder: a
 * pointer must point strictly before the start of the run of labels it ends,
 * so positions only ever decrease and no loop is possible. A pointer to itself or
 * forward is BAD_POINTER; one back into the labels of the same run is POINTER_LOOP.
 */
export function readNameAt(buf: Uint8Array, offset: number): Name {
  const size = buf.length;
  if (offset >= size) throw new WireError('TRUNCATED', 'message ends where a name should start', offset);
  // Fast path: the root.
  if (buf[offset] === 0) {
    lastNameEnd = offset + 1;
    return ROOT;
  }
  let pos = offset;
  let runStart = offset;
  let end = -1;
  let total = 1; // the final root byte
  let hops = 0;
  let out = '';
  for (;;) {
    if (pos >= size) throw new WireError('TRUNCATED', 'message ends inside a name', pos);
    const b = buf[pos]!;
    if (b === 0) {
      out += runStart === pos ? '\0' : latin1Slice(buf, runStart, pos + 1);
      if (end < 0) end = pos + 1;
      break;
    }
    const kind = b & 0xc0;
    if (kind === 0) {
      total += b + 1;
      // RFC 1035 2.3.4: "names - 255 octets or less".
      if (total > 255) throw new WireError('NAME_TOO_LONG', 'name longer than 255 bytes', pos);
      pos += b + 1;
      continue;
    }
    if (kind === 0xc0) {
      if (pos + 1 >= size) throw new WireError('TRUNCATED', 'message ends inside a compression pointer', pos);
      const target = ((b & 0x3f) << 8) | buf[pos + 1]!;
      if (target >= pos) {
        throw new WireError('BAD_POINTER', `compression pointer to ${target} is not strictly backward`, pos);
      }
      if (target >= runStart || ++hops > MAX_POINTER_HOPS) {
        throw new WireError('POINTER_LOOP', `compression pointer to ${target} loops back into the same name`, pos);
      }
      if (pos > runStart) out += latin1Slice(buf, runStart, pos);
      if (end < 0) end = pos + 2;
      pos = target;
      runStart = target;
      continue;
    }
    // RFC 6891 5: extended label types (0x40) are deprecated; 0x80 is reserved.
    throw new WireError('BAD_LABEL_TYPE', `label type 0x${kind.toString(16)} is not supported`, pos);
  }
  lastNameEnd = end;
  return out as Name;
}

/**
 * Reads a name from a message at `offset`, following compression pointers
 * (strictly backward only). Returns the name and the offset just after it.
 * Throws WireError: TRUNCATED, BAD_POINTER, POINTER_LOOP, BAD_LABEL_TYPE, NAME_TOO_LONG.
 */
export function readName(buf: Uint8Array, offset: number): { name: Name; end: number } {
  const name = readNameAt(buf, offset);
  return { name, end: lastNameEnd };
}

/**
 * Checks an uncompressed name inside RDATA at [pos, end) and returns the offset
 * after it. A compression pointer is BAD_RDATA (`what` names the field), running
 * past `end` is BAD_RDLENGTH.
 */
export function checkUncompressedName(buf: Uint8Array, pos: number, end: number, what: string): number {
  let total = 1;
  for (;;) {
    if (pos >= end) throw new WireError('BAD_RDLENGTH', `rdata ends inside ${what}`, pos);
    const b = buf[pos]!;
    if (b === 0) return pos + 1;
    const kind = b & 0xc0;
    if (kind === 0xc0) throw new WireError('BAD_RDATA', `${what} is compressed where compression is not allowed`, pos);
    if (kind !== 0) throw new WireError('BAD_LABEL_TYPE', `label type 0x${kind.toString(16)} in ${what}`, pos);
    total += b + 1;
    if (total > 255) throw new WireError('NAME_TOO_LONG', `${what} is longer than 255 bytes`, pos);
    pos += b + 1;
  }
}
