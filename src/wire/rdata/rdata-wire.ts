// RDATA inside messages: the decoder's read (validating, decompressing where RFC
// 3597 4 allows) and the encoder's write (compressing only RFC 1035 types).
// Internal to the wire layer; not re-exported by index.ts.
import { WireError } from '../types.js';
import { checkUncompressedName, lastNameEnd, readNameAt } from '../read-name.js';
import type { MessageWriter } from '../message-writer.js';
import type { RdataTypeInfo } from './field-kind.js';
import { FIELD_CODECS } from './field-codecs.js';
import { rdataTypeInfo } from './rdata-types.js';

const EMPTY = new Uint8Array(0);
const CLASS_NONE = 254;
const CLASS_ANY = 255;

/** Decompressed RDATA is built here, then copied out at its exact size. */
const scratch = new Uint8Array(65535 + 1024);

/**
 * A copy of [start, end), never a view: the caller may reuse the message buffer
 * (and Buffer#slice returns a view). Small copies by hand, as V8 keeps typed
 * arrays of up to 64 bytes on its heap and a subarray costs more than the copy.
 */
export function copyBytes(buf: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n > 64) return new Uint8Array(buf.subarray(start, end));
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = buf[start + i]!;
  return out;
}

/**
 * Checks every field of a known type in [start, end) of `buf` (uncompressed) and
 * that nothing is left over. Errors carry offsets in `buf`.
 */
export function checkFields(info: RdataTypeInfo, buf: Uint8Array, start: number, end: number): void {
  const { fields, whats } = info;
  let pos = start;
  for (let i = 0; i < fields.length; i++) {
    pos = FIELD_CODECS[fields[i]!.kind].check(buf, pos, end, whats[i]!);
  }
  if (pos !== end) {
    throw new WireError('BAD_RDLENGTH', `${info.mnemonic} rdata has ${end - pos} bytes after its last field`, pos);
  }
}

/**
 * Reads the RDATA of one record at [start, end) of a message: validates known
 * types, decompresses their names where allowed, and returns an uncompressed copy.
 * Empty RDATA is accepted for class NONE and ANY (RFC 2136 2.4, 2.5 updates).
 */
export function readRdataFromMessage(msg: Uint8Array, start: number, end: number, type: number, rrclass: number): Uint8Array {
  if (start === end && (rrclass === CLASS_ANY || rrclass === CLASS_NONE)) return EMPTY;
  const info = rdataTypeInfo(type);
  if (info === undefined) return copyBytes(msg, start, end);
  if (!info.decompress) {
    checkFields(info, msg, start, end);
    return copyBytes(msg, start, end);
  }
  const { fields, whats } = info;
  let pos = start;
  let out = 0;
  for (let i = 0; i < fields.length; i++) {
    const kind = fields[i]!.kind;
    if (kind === 'name' || kind === 'name-dc') {
      const name = readNameAt(msg, pos);
      const after = lastNameEnd;
      if (after > end) throw new WireError('BAD_RDLENGTH', `rdata ends inside ${whats[i]}`, pos);
      for (let j = 0; j < name.length; j++) scratch[out++] = name.charCodeAt(j);
      pos = after;
    } else {
      const after = FIELD_CODECS[kind].check(msg, pos, end, whats[i]!);
      scratch.set(msg.subarray(pos, after), out);
      out += after - pos;
      pos = after;
    }
  }
  if (pos !== end) {
    throw new WireError('BAD_RDLENGTH', `${info.mnemonic} rdata has ${end - pos} bytes after its last field`, pos);
  }
  return copyBytes(scratch, 0, out);
}

/**
 * Writes RDATA into a message. RFC 3597 4: "servers MUST NOT compress domain names
 * embedded in the RDATA of types that are class-specific or not well-known", so
 * only 'name' fields (RFC 1035 types) are compressed; everything else is copied.
 */
export function writeRdataToMessage(w: MessageWriter, type: number, rdata: Uint8Array): void {
  const info = rdataTypeInfo(type);
  if (info === undefined || !info.compress || rdata.length === 0) {
    w.bytes(rdata);
    return;
  }
  const { fields, whats } = info;
  const end = rdata.length;
  let pos = 0;
  for (let i = 0; i < fields.length; i++) {
    const kind = fields[i]!.kind;
    if (kind === 'name') {
      const after = checkUncompressedName(rdata, pos, end, whats[i]!);
      w.nameFromBytes(rdata, pos);
      pos = after;
    } else {
      const after = FIELD_CODECS[kind].check(rdata, pos, end, whats[i]!);
      w.bytes(rdata, pos, after);
      pos = after;
    }
  }
  if (pos !== end) throw new WireError('BAD_RDLENGTH', `${info.mnemonic} rdata has ${end - pos} bytes after its last field`);
}
