// The vocabulary of the RDATA table: the kinds of fields an RR type is made of,
// and the codec every kind implements (wire check, text parse, text print).
import type { ByteBuilder } from '../byte-builder.js';
import type { TextCursor } from './text-cursor.js';

/** The kinds of fields RDATA is built from; each has one `FieldCodec`. */
export type FieldKind =
  | 'u8' | 'u16' | 'u32'
  | 'period'          // u32; text also as a duration ("1h30m"), as BIND allows in SOA
  | 'alg'             // u8 DNSSEC algorithm; text also as mnemonic (RFC 4034 A.1)
  | 'rrtype'          // u16 RR type; text as mnemonic (RRSIG type covered)
  | 'time'            // u32 seconds; text YYYYMMDDHHmmSS or seconds (RFC 4034 3.2)
  | 'ipv4' | 'ipv6'
  | 'name'            // compressed on encode, decompressed on decode (RFC 1035 types)
  | 'name-dc'         // decompressed on decode, never compressed (RFC 3597 4 "SHOULD decompress")
  | 'name-nc'         // never compressed either way (RRSIG signer, NSEC next, SVCB target)
  | 'char-string'     // one <character-string> (RFC 1035 3.3)
  | 'char-strings'    // one or more, to the end (TXT, SPF)
  | 'text-rest'       // raw bytes to the end, one quoted token in text (URI target, CAA value)
  | 'caa-tag'         // u8 length + ASCII letters and digits (RFC 8659 4.1)
  | 'base64'          // base64 to the end, non-empty
  | 'hex'             // hex to the end, non-empty
  | 'hex-u8-len'      // u8 length + bytes, hex or "-" (NSEC3 salt, RFC 5155 3.3)
  | 'base32hex-u8-len' // u8 length + bytes, base32hex (NSEC3 next hashed owner)
  | 'type-bitmap'     // RFC 4034 4.1.2 window blocks to the end
  | 'svc-params'      // RFC 9460 SvcParams to the end
  | 'loc'             // RFC 1876, the whole RDATA
  | 'apl'             // RFC 3123 items to the end
  | 'eui48' | 'eui64'; // RFC 7043

/** One field of an RR type: its kind and what it is called in error messages. */
export interface RdataField {
  readonly kind: FieldKind;
  readonly label: string;
}

/** The one table entry per known RR type. */
export interface RdataTypeInfo {
  readonly type: number;
  readonly mnemonic: string;
  readonly fields: readonly RdataField[];
  /** Per field, "MNEMONIC label" for error messages, made once. */
  readonly whats: readonly string[];
  /** Some field is a name the encoder compresses (RFC 3597 4: RFC 1035 types only). */
  readonly compress: boolean;
  /** Some field is a name the decoder decompresses. */
  readonly decompress: boolean;
}

/** How one field kind is checked on the wire, parsed from text and printed. */
export interface FieldCodec {
  /**
   * Checks the field at `pos` in uncompressed data ending at `end` and returns
   * the offset after it. Throws WireError BAD_RDLENGTH when it runs past `end`,
   * BAD_RDATA (or a name error) when a value is malformed. `what` names the field.
   */
  check(buf: Uint8Array, pos: number, end: number, what: string): number;
  /** Parses the field's tokens at the cursor and appends its wire bytes. */
  fromText(cur: TextCursor, what: string, out: ByteBuilder): void;
  /** Presentation form of the (already checked) field in [pos, end). */
  toText(buf: Uint8Array, pos: number, end: number): string;
}
