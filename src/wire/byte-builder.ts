// A growable byte buffer for building RDATA from text and other small outputs
// off the hot path. The message encoder uses its own fixed scratch buffer.

/** Appends bytes to a buffer that grows as needed; `finish` returns an exact-size copy. */
export class ByteBuilder {
  #buf: Uint8Array;
  #len = 0;

  constructor(capacity = 64) {
    this.#buf = new Uint8Array(capacity);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.#len;
  }

  #room(n: number): void {
    const need = this.#len + n;
    if (need <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
  }

  /** Appends one octet. */
  u8(v: number): void {
    this.#room(1);
    this.#buf[this.#len++] = v & 0xff;
  }

  /** Appends a 16-bit big-endian integer. */
  u16(v: number): void {
    this.#room(2);
    this.#buf[this.#len++] = (v >>> 8) & 0xff;
    this.#buf[this.#len++] = v & 0xff;
  }

  /** Appends a 32-bit big-endian integer. */
  u32(v: number): void {
    this.#room(4);
    this.#buf[this.#len++] = (v >>> 24) & 0xff;
    this.#buf[this.#len++] = (v >>> 16) & 0xff;
    this.#buf[this.#len++] = (v >>> 8) & 0xff;
    this.#buf[this.#len++] = v & 0xff;
  }

  /** Appends raw bytes. */
  bytes(data: Uint8Array): void {
    this.#room(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
  }

  /** Appends a latin1 string (each char code is one byte), such as a wire-form name. */
  latin1(s: string): void {
    this.#room(s.length);
    for (let i = 0; i < s.length; i++) this.#buf[this.#len++] = s.charCodeAt(i) & 0xff;
  }

  /** Overwrites one octet already written (a length prefix known only later). */
  setU8(at: number, v: number): void {
    this.#buf[at] = v & 0xff;
  }

  /** Overwrites a 16-bit big-endian integer already written. */
  setU16(at: number, v: number): void {
    this.#buf[at] = (v >>> 8) & 0xff;
    this.#buf[at + 1] = v & 0xff;
  }

  /** An exact-length copy of what was written. */
  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}
