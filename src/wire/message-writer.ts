// The message encoder's output buffer: fixed scratch memory reused for every
// message, with the name-compression table (RFC 1035 4.1.4).
import { Buffer } from 'node:buffer';
import { WireError, type Name } from './types.js';

/** Largest DNS message (RFC 1035 4.2.2: TCP length prefix is 16 bits). */
export const MAX_MESSAGE_SIZE = 65535;

/** Highest offset a compression pointer can reach (14 bits). */
const MAX_POINTER_TARGET = 0x3fff;

/** Slots in the compression hash table; a power of two well above the targets a 16 KiB prefix can hold. */
const TABLE_SIZE = 1 << 14;
const TABLE_MASK = TABLE_SIZE - 1;

/**
 * Writes one message at a time into preallocated scratch memory. The scratch has
 * room for a whole message plus one more maximal record past the limit, so the
 * encoder writes a record first and rolls it back if it overflowed.
 *
 * Compression works on bytes, not strings: each name suffix written whole is a
 * target, found through a hash of its lowercased labels and confirmed by
 * comparing labels against the message itself byte for byte, so every name keeps
 * the case it was given (BIND's default; its `no-case-compress` is the opt-out).
 * With the question fenced off (`endQuestions(true)`), no name points into the
 * question, so everything after it is the same whatever the client's spelling:
 * the answer cache copies each client's question over a stored response.
 * Nothing is allocated per name.
 */
export class MessageWriter {
  readonly buf: Buffer = Buffer.alloc(2 * MAX_MESSAGE_SIZE + 1024);
  pos = 0;

  // Open-addressing table: a slot is live when its generation is the current one.
  readonly #slotGen = new Uint32Array(TABLE_SIZE);
  readonly #slotHash = new Int32Array(TABLE_SIZE);
  readonly #slotAt = new Int32Array(TABLE_SIZE);
  #gen = 1;
  // Targets in write order, so a rollback can rebuild the table without the dropped ones.
  readonly #targetHash: number[] = [];
  readonly #targetAt: number[] = [];

  // The last compressed name string and where its full form is, for RRsets whose
  // records repeat the owner: the next copy is a pointer without any hashing.
  #lastName = '';
  #lastAt = -1;

  // With the question fenced off, the end of the question section: no match may read a byte before it.
  #fence = 0;

  // Per-name scratch: the name's bytes, label offsets and suffix hashes.
  readonly #name = new Uint8Array(256);
  readonly #labelAt = new Int32Array(128);
  readonly #suffixHash = new Int32Array(129);

  /** Starts a new message. */
  reset(): void {
    this.pos = 0;
    this.#lastAt = -1;
    this.#fence = 0;
    this.#newTable();
    this.#targetHash.length = 0;
    this.#targetAt.length = 0;
  }

  #newTable(): void {
    this.#gen = (this.#gen + 1) >>> 0;
    if (this.#gen === 0) {
      this.#slotGen.fill(0);
      this.#gen = 1;
    }
  }

  /** Drops everything written at or after `mark`, compression targets included. */
  rollback(mark: number): void {
    this.pos = mark;
    if (this.#lastAt >= mark) this.#lastAt = -1;
    const at = this.#targetAt;
    const hash = this.#targetHash;
    if (at.length === 0 || at[at.length - 1]! < mark) return;
    let n = at.length;
    while (n > 0 && at[n - 1]! >= mark) n--;
    at.length = n;
    hash.length = n;
    this.#newTable();
    for (let i = 0; i < n; i++) this.#insert(hash[i]!, at[i]!);
  }

  /** Writes one octet. */
  u8(v: number): void {
    this.buf[this.pos++] = v;
  }

  /** Writes a 16-bit big-endian integer. */
  u16(v: number): void {
    const b = this.buf;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v;
  }

  /** Writes a 32-bit big-endian integer. */
  u32(v: number): void {
    const b = this.buf;
    b[this.pos++] = v >>> 24;
    b[this.pos++] = v >>> 16;
    b[this.pos++] = v >>> 8;
    b[this.pos++] = v;
  }

  /** Overwrites a 16-bit integer already written. */
  setU16(at: number, v: number): void {
    this.buf[at] = v >>> 8;
    this.buf[at + 1] = v;
  }

  /** Writes raw bytes [start, end) of `data`. */
  bytes(data: Uint8Array, start = 0, end = data.length): void {
    if (end - start < 32) {
      const b = this.buf;
      let p = this.pos;
      for (let i = start; i < end; i++) b[p++] = data[i]!;
      this.pos = p;
    } else {
      this.buf.set(data.subarray(start, end), this.pos);
      this.pos += end - start;
    }
  }

  /**
   * Writes a name held as a latin1 string. With `compress`, ends it with a pointer
   * to the longest suffix already written (matched case-insensitively; the bytes
   * written first win) and records its own suffixes as targets. Without, writes it
   * whole and records nothing: names that must not be compressed are not targets.
   */
  name(name: Name, compress: boolean): void {
    const len = name.length;
    if (!compress) {
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < len; i++) b[p++] = name.charCodeAt(i);
      this.pos = p;
      return;
    }
    if (name === this.#lastName && this.#lastAt >= 0) {
      this.buf[this.pos++] = 0xc0 | (this.#lastAt >>> 8);
      this.buf[this.pos++] = this.#lastAt & 0xff;
      return;
    }
    const src = this.#name;
    for (let i = 0; i < len && i < 256; i++) src[i] = name.charCodeAt(i);
    this.#lastName = name;
    this.#lastAt = this.#compressed(src, 0);
  }

  /** Marks the end of the question section; with `fence`, later names never point into it (see the class comment). */
  endQuestions(fence: boolean): void {
    if (!fence) return;
    this.#fence = this.pos;
    this.#lastAt = -1;
  }

  /** Writes the uncompressed name at `start` of `src` (a name inside RDATA), compressing it. */
  nameFromBytes(src: Uint8Array, start: number): void {
    this.#compressed(src, start);
  }

  /** Writes a name with compression; returns the offset of a full copy of it, or -1 if unreachable by pointers. */
  #compressed(src: Uint8Array, start: number): number {
    // Label offsets, leftmost first.
    const labelAt = this.#labelAt;
    let count = 0;
    let p = start;
    for (;;) {
      const len = src[p]!;
      if (len === 0 || count === 127) break;
      labelAt[count++] = p;
      p += 1 + len;
    }
    // Suffix hashes, rightmost first: hash(k) covers labels k..count-1, lowercased.
    const suffixHash = this.#suffixHash;
    suffixHash[count] = 0;
    for (let k = count - 1; k >= 0; k--) {
      let h = suffixHash[k + 1]! ^ 0x9e3779b9;
      const at = labelAt[k]!;
      const end = at + 1 + src[at]!;
      for (let i = at; i < end; i++) {
        let c = src[i]!;
        if (c >= 0x41 && c <= 0x5a) c += 32;
        h = Math.imul(h ^ c, 0x01000193);
      }
      suffixHash[k] = h;
    }
    // The longest suffix already in the message, searched from the whole name down.
    let match = -1;
    let matchAt = 0;
    for (let k = 0; k < count; k++) {
      const found = this.#find(suffixHash[k]!, src, labelAt[k]!);
      if (found >= 0) {
        match = k;
        matchAt = found;
        break;
      }
    }
    const stop = match < 0 ? count : match;
    const b = this.buf;
    let out = this.pos;
    const whole = match === 0 ? matchAt : out <= MAX_POINTER_TARGET ? out : -1;
    for (let k = 0; k < stop; k++) {
      const at = labelAt[k]!;
      if (out <= MAX_POINTER_TARGET) this.#add(suffixHash[k]!, out);
      const end = at + 1 + src[at]!;
      for (let i = at; i < end; i++) b[out++] = src[i]!;
    }
    if (match < 0) {
      b[out++] = 0;
    } else {
      b[out++] = 0xc0 | (matchAt >>> 8);
      b[out++] = matchAt & 0xff;
    }
    this.pos = out;
    return whole;
  }

  #add(hash: number, at: number): void {
    this.#targetHash.push(hash);
    this.#targetAt.push(at);
    this.#insert(hash, at);
  }

  #insert(hash: number, at: number): void {
    const gen = this.#gen;
    let slot = hash & TABLE_MASK;
    while (this.#slotGen[slot] === gen) slot = (slot + 1) & TABLE_MASK;
    this.#slotGen[slot] = gen;
    this.#slotHash[slot] = hash;
    this.#slotAt[slot] = at;
  }

  /** Offset of a written suffix equal (byte for byte) to the one at `srcAt`, or -1. */
  #find(hash: number, src: Uint8Array, srcAt: number): number {
    const gen = this.#gen;
    let slot = hash & TABLE_MASK;
    while (this.#slotGen[slot] === gen) {
      if (this.#slotHash[slot] === hash) {
        const at = this.#slotAt[slot]!;
        if (this.#sameSuffix(at, src, srcAt)) return at;
      }
      slot = (slot + 1) & TABLE_MASK;
    }
    return -1;
  }

  /**
   * Compares the (possibly compressed) name in the message at `at` with an
   * uncompressed one, byte for byte; a match that would read a fenced-off byte
   * does not count.
   */
  #sameSuffix(at: number, src: Uint8Array, s: number): boolean {
    const b = this.buf;
    const fence = this.#fence;
    for (;;) {
      let len = b[at]!;
      while ((len & 0xc0) === 0xc0) {
        at = ((len & 0x3f) << 8) | b[at + 1]!;
        len = b[at]!;
      }
      if (at < fence) return false;
      if (len !== src[s]) return false;
      if (len === 0) return true;
      for (let i = 1; i <= len; i++) {
        if (b[at + i] !== src[s + i]) return false;
      }
      at += len + 1;
      s += len + 1;
    }
  }

  /** An exact-length copy of the message written so far (from Node's buffer pool). */
  finish(): Uint8Array {
    if (this.pos > MAX_MESSAGE_SIZE) throw new WireError('TOO_LARGE', `message of ${this.pos} bytes exceeds 65535`);
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }
}
