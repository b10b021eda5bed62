// RDATA as the rest of the server sees it: text to wire and back, validation,
// the names the query engine follows, and SOA field access. One table of types
// (rdata/rdata-types.ts) drives all of it.
import { WireError, type Name, type TextToken } from './types.js';
import { ByteBuilder } from './byte-builder.js';
import { checkUncompressedName, latin1Slice } from './read-name.js';
import { hexFromText } from './rdata/binary-text.js';
import { FIELD_CODECS } from './rdata/field-codecs.js';
import { decimalUpTo, rdataTypeInfo, typeToText } from './rdata/rdata-types.js';
import { checkFields } from './rdata/rdata-wire.js';
import { TextCursor } from './rdata/text-cursor.js';

export { classFromText, classToText, typeFromText, typeToText } from './rdata/rdata-types.js';
export { SvcParamKey } from './rdata/svc-params.js';

/**
 * Parses the presentation form of one record's RDATA (RFC 1035 5.1 and each
 * type's RFC) into uncompressed wire bytes. Tokens are as the zone-file tokenizer
 * yields them; relative names are completed with `origin`. The RFC 3597 5
 * generic form `\# <length> <hex>` is accepted for every type, and checked
 * against the type's fields when we know them. Throws WireError BAD_TEXT with
 * `offset` set to the index of the offending token.
 */
export function rdataFromText(type: number, tokens: readonly TextToken[], origin: Name): Uint8Array {
  const first = tokens[0];
  const info = rdataTypeInfo(type);
  if (first !== undefined && !first.quoted && first.text === '\\#') return genericFromText(type, tokens);
  const mnemonic = typeToText(type);
  if (info === undefined) {
    throw new WireError('BAD_TEXT', `${mnemonic} rdata must be in the RFC 3597 generic form "\\# length hex"`, 0);
  }
  const cur = new TextCursor(tokens, origin);
  const out = new ByteBuilder();
  for (let i = 0; i < info.fields.length; i++) {
    FIELD_CODECS[info.fields[i]!.kind].fromText(cur, info.whats[i]!, out);
  }
  if (!cur.done) cur.fail(`${mnemonic} rdata has extra text "${tokens[cur.index]!.text}"`, cur.index);
  const rdata = out.finish();
  if (rdata.length > 65535) cur.fail(`${mnemonic} rdata of ${rdata.length} bytes exceeds 65535`, 0);
  try {
    checkFields(info, rdata, 0, rdata.length);
  } catch (e) {
    if (e instanceof WireError) throw new WireError('BAD_TEXT', e.message, 0);
    throw e;
  }
  return rdata;
}

/** RFC 3597 5: `\# <length> <hex words...>`, the length in decimal. */
function genericFromText(type: number, tokens: readonly TextToken[]): Uint8Array {
  const lengthText = tokens[1]?.text;
  if (lengthText === undefined) throw new WireError('BAD_TEXT', 'generic rdata "\\#" needs a length', 1);
  const length = decimalUpTo(lengthText, 65535);
  if (length === null) throw new WireError('BAD_TEXT', `generic rdata length "${lengthText}" is not a number 0-65535`, 1);
  let hex = '';
  for (let i = 2; i < tokens.length; i++) hex += tokens[i]!.text;
  const rdata = hexFromText(hex);
  if (rdata === null) throw new WireError('BAD_TEXT', 'generic rdata is not hex', 2);
  if (rdata.length !== length) {
    throw new WireError('BAD_TEXT', `generic rdata has ${rdata.length} bytes of hex but its length says ${length}`, 1);
  }
  try {
    rdataValidate(type, rdata);
  } catch (e) {
    if (e instanceof WireError) throw new WireError('BAD_TEXT', `generic rdata is not valid ${typeToText(type)}: ${e.message}`, 2);
    throw e;
  }
  return rdata;
}

/**
 * The presentation form of RDATA: names absolute with a trailing dot, strings
 * quoted and escaped, and `\# len hex` (RFC 3597 5) for types we do not parse.
 * Re-parses to the same bytes. Throws WireError when the bytes are not a valid
 * instance of a known type.
 */
export function rdataToText(type: number, rdata: Uint8Array): string {
  const info = rdataTypeInfo(type);
  if (info === undefined) return genericToText(rdata);
  const { fields, whats } = info;
  const end = rdata.length;
  const parts: string[] = [];
  let pos = 0;
  for (let i = 0; i < fields.length; i++) {
    const codec = FIELD_CODECS[fields[i]!.kind];
    const after = codec.check(rdata, pos, end, whats[i]!);
    const text = codec.toText(rdata, pos, after);
    if (text !== '') parts.push(text);
    pos = after;
  }
  if (pos !== end) throw new WireError('BAD_RDLENGTH', `${info.mnemonic} rdata has ${end - pos} bytes after its last field`, pos);
  return parts.join(' ');
}

/** RFC 3597 5 generic presentation: `\# 0` or `\# <len> <hex>`. */
function genericToText(rdata: Uint8Array): string {
  if (rdata.length === 0) return '\\# 0';
  let hex = '';
  for (let i = 0; i < rdata.length; i++) hex += (rdata[i]! < 16 ? '0' : '') + rdata[i]!.toString(16);
  return `\\# ${rdata.length} ${hex}`;
}

/**
 * Throws WireError (BAD_RDLENGTH, BAD_RDATA or a name error) unless `rdata` is a
 * valid uncompressed instance of `type`. Opaque types only need to fit 65535 bytes.
 */
export function rdataValidate(type: number, rdata: Uint8Array): void {
  if (rdata.length > 65535) throw new WireError('BAD_RDLENGTH', `rdata of ${rdata.length} bytes exceeds 65535`, 0);
  const info = rdataTypeInfo(type);
  if (info !== undefined) checkFields(info, rdata, 0, rdata.length);
}

/** Where the followed name starts in each type's RDATA. */
const TARGET_OFFSET = new Map<number, number>([
  [5, 0], // CNAME
  [39, 0], // DNAME
  [2, 0], // NS
  [12, 0], // PTR
  [15, 2], // MX exchange
  [18, 2], // AFSDB hostname
  [33, 6], // SRV target
  [64, 2], // SVCB target
  [65, 2], // HTTPS target
]);

/**
 * The name the query engine follows or adds additional data for: the CNAME or
 * DNAME target, NS, PTR, MX exchange, SRV target, AFSDB hostname, SVCB/HTTPS
 * target. Null for other types, for a "." SVCB/HTTPS target (RFC 9460 2.5), and
 * for malformed RDATA (never thrown on the query path).
 */
export function rdataTargetName(type: number, rdata: Uint8Array): Name | null {
  const at = TARGET_OFFSET.get(type);
  if (at === undefined || at >= rdata.length) return null;
  if ((type === 64 || type === 65) && rdata[at] === 0) return null;
  try {
    const end = checkUncompressedName(rdata, at, rdata.length, 'target');
    return latin1Slice(rdata, at, end) as Name;
  } catch {
    return null;
  }
}

/** The fields of SOA RDATA (RFC 1035 3.3.13). */
export interface SoaFields {
  readonly mname: Name;
  readonly rname: Name;
  readonly serial: number;
  readonly refresh: number;
  readonly retry: number;
  readonly expire: number;
  readonly minimum: number;
}

function soaSerialOffset(rdata: Uint8Array): number {
  const afterMname = checkUncompressedName(rdata, 0, rdata.length, 'SOA mname');
  const afterRname = checkUncompressedName(rdata, afterMname, rdata.length, 'SOA rname');
  if (rdata.length - afterRname !== 20) {
    throw new WireError('BAD_RDLENGTH', `SOA rdata has ${rdata.length - afterRname} bytes after the names, not 20`, afterRname);
  }
  return afterRname;
}

function u32At(b: Uint8Array, p: number): number {
  return ((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) >>> 0;
}

/** Splits SOA RDATA into its fields; throws WireError when malformed. */
export function soaFields(rdata: Uint8Array): SoaFields {
  const s = soaSerialOffset(rdata);
  const afterMname = checkUncompressedName(rdata, 0, rdata.length, 'SOA mname');
  return {
    mname: latin1Slice(rdata, 0, afterMname) as Name,
    rname: latin1Slice(rdata, afterMname, s) as Name,
    serial: u32At(rdata, s),
    refresh: u32At(rdata, s + 4),
    retry: u32At(rdata, s + 8),
    expire: u32At(rdata, s + 12),
    minimum: u32At(rdata, s + 16),
  };
}

/** A copy of SOA RDATA with the serial replaced (the caller does RFC 1982 arithmetic). */
export function soaWithSerial(rdata: Uint8Array, serial: number): Uint8Array {
  const s = soaSerialOffset(rdata);
  const out = new Uint8Array(rdata);
  out[s] = serial >>> 24;
  out[s + 1] = serial >>> 16;
  out[s + 2] = serial >>> 8;
  out[s + 3] = serial;
  return out;
}
