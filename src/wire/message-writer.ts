// The message encoder's output buffer: fixed scratch memory reused for every
// message, with the name-compression table (RFC 1035 4.1.4).
import { WireError, type Name } from './types.js';

/** Largest DNS message (RFC 1035 4.2.2: TCP length prefix is 16 bits). */
export const MAX_MESSAGE_SIZE = 65535;

/** Highest offset a compression pointer can reach (14 bits). */
const MAX_POINTER_TARGET = 0x3fff;

/**
 * Writes one message at a time into preallocated scratch memory. The scratch has
 * room for a whole message plus one more maximal record past the limit, so the
 * encoder writes a record first and rolls it back if it overflowed.
 */
export class MessageWriter {
  readonly buf = new Uint8Array(2 * MAX_MESSAGE_SIZE + 1024);
  pos = 0;
  /** Lowercased name suffix -> offset of the first copy written (RFC 4343 case-insensitive). */
  readonly #targets = new Map<string, number>();
  /** Suffixes added, in write order, so a rollback can remove them. */
  readonly #added: string[] = [];
  readonly #addedAt: number[] = [];

  /** Starts a new message. */
  reset(): void {
    this.pos = 0;
    if (this.#added.length > 0) {
      this.#targets.clear();
      this.#added.length = 0;
      this.#addedAt.length = 0;
    }
  }

  /** Drops everything written at or after `mark`, compression targets included. */
  rollback(mark: number): void {
    this.pos = mark;
    let n = this.#added.length;
    while (n > 0 && this.#addedAt[n - 1]! >= mark) {
      n--;
      this.#targets.delete(this.#added[n]!);
    }
    this.#added.length = n;
    this.#addedAt.length = n;
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
    if (end - start < 16) {
      const b = this.buf;
      let p = this.pos;
      for (let i = start; i < end; i++) b[p++] = data[i]!;
      this.pos = p;
    } else {
      this.buf.set(data.subarray(start, end), this.pos);
      this.pos += end - start;
    }
  }

  /** Writes a latin1 string, one byte per char code (a whole uncompressed name). */
  latin1(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /**
   * Writes a name. With `compress`, ends it with a pointer to the longest suffix
   * already written (matched case-insensitively; the bytes written first win) and
   * records its own suffixes as targets. Without, writes it whole and records
   * nothing, as names that must not be compressed must not be targets either.
   */
  name(name: Name, compress: boolean): void {
    if (!compress) {
      this.latin1(name);
      return;
    }
    const targets = this.#targets;
    const lower = lowerAscii(name);
    let off = 0;
    for (;;) {
      const len = name.charCodeAt(off);
      if (len === 0 || off >= name.length) {
        this.buf[this.pos++] = 0;
        return;
      }
      const suffix = off === 0 ? lower : lower.slice(off);
      const at = targets.get(suffix);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.pos <= MAX_POINTER_TARGET) {
        targets.set(suffix, this.pos);
        this.#added.push(suffix);
        this.#addedAt.push(this.pos);
      }
      const b = this.buf;
      let p = this.pos;
      b[p++] = len;
      for (let i = off + 1, stop = off + 1 + len; i < stop; i++) b[p++] = name.charCodeAt(i);
      this.pos = p;
      off += 1 + len;
    }
  }

  /** An exact-length copy of the message written so far. */
  finish(): Uint8Array {
    if (this.pos > MAX_MESSAGE_SIZE) throw new WireError('TOO_LARGE', `message of ${this.pos} bytes exceeds 65535`);
    return this.buf.slice(0, this.pos);
  }
}

/** ASCII lowercase without allocating when there is nothing to fold (RFC 4343). */
function lowerAscii(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) return foldFrom(s, i);
  }
  return s;
}

function foldFrom(s: string, start: number): string {
  const codes = new Array<number>(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    codes[i] = i >= start && c >= 0x41 && c <= 0x5a ? c + 32 : c;
  }
  return String.fromCharCode.apply(null, codes);
}
