// The shapes every layer shares: DNS constants, names, records and messages.
// Pure data; the codec functions that work on them live beside this file.

/** Resource record types we know by name (RFC 1035 3.2.2 and later registrations). */
export const RRType = {
  A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, HINFO: 13, MX: 15, TXT: 16, RP: 17, AFSDB: 18,
  AAAA: 28, LOC: 29, SRV: 33, NAPTR: 35, DNAME: 39, OPT: 41, DS: 43, SSHFP: 44, RRSIG: 46,
  NSEC: 47, DNSKEY: 48, DHCID: 49, NSEC3: 50, NSEC3PARAM: 51, TLSA: 52, CDS: 59, CDNSKEY: 60,
  OPENPGPKEY: 61, SVCB: 64, HTTPS: 65, SPF: 99, TSIG: 250, IXFR: 251, AXFR: 252, ANY: 255,
  URI: 256, CAA: 257,
} as const;
export type RRType = (typeof RRType)[keyof typeof RRType];

/** Classes (RFC 1035 3.2.4, RFC 2136 for NONE/ANY in updates). */
export const RRClass = { IN: 1, CH: 3, HS: 4, NONE: 254, ANY: 255 } as const;
export type RRClass = (typeof RRClass)[keyof typeof RRClass];

/** Opcodes (RFC 1035 4.1.1, RFC 1996, RFC 2136). */
export const Opcode = { QUERY: 0, IQUERY: 1, STATUS: 2, NOTIFY: 4, UPDATE: 5 } as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** Response codes, including the extended ones carried in OPT (RFC 6891 6.1.3). */
export const Rcode = {
  NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5,
  YXDOMAIN: 6, YXRRSET: 7, NXRRSET: 8, NOTAUTH: 9, NOTZONE: 10, BADVERS: 16,
} as const;
export type Rcode = (typeof Rcode)[keyof typeof Rcode];

/**
 * A domain name in uncompressed wire form held as a latin1 ("binary") string:
 * each label is a length byte followed by its bytes, and the name ends with "\0".
 * The root is "\0". Case is kept as given; compare with `nameLower` applied.
 * Wire form makes label walking exact (an escaped dot inside a label is just a byte)
 * and makes a name a cheap Map key. Text form exists only at the edges.
 */
export type Name = string & { readonly __name: unique symbol };

/** One question (RFC 1035 4.1.2). */
export interface Question {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
}

/**
 * One resource record. `rdata` is always uncompressed wire form with names in the
 * case they were given; the encoder compresses where RFC 3597 4 allows it.
 */
export interface ResourceRecord {
  readonly name: Name;
  readonly type: number;
  readonly class: number;
  readonly ttl: number;
  readonly rdata: Uint8Array;
}

/** One EDNS option (RFC 6891 6.1.2), kept as bytes. */
export interface EdnsOption {
  readonly code: number;
  readonly data: Uint8Array;
}

/** The OPT pseudo-record, decoded (RFC 6891 6.1). */
export interface Edns {
  /** Requestor's UDP payload size (the OPT CLASS field). */
  readonly udpSize: number;
  readonly version: number;
  /** DNSSEC OK (RFC 3225). */
  readonly do: boolean;
  /** The other 15 Z bits, as received (must be zero when sent by us). */
  readonly z: number;
  readonly options: readonly EdnsOption[];
}

/** Header flags and codes (RFC 1035 4.1.1, RFC 4035 3.2 for AD/CD). */
export interface Header {
  readonly id: number;
  readonly qr: boolean;
  readonly opcode: number;
  readonly aa: boolean;
  readonly tc: boolean;
  readonly rd: boolean;
  readonly ra: boolean;
  /** The reserved Z bit (must be zero). */
  readonly z: boolean;
  readonly ad: boolean;
  readonly cd: boolean;
}

/**
 * A whole message. `rcode` is the full 12-bit code: the encoder splits it between
 * the header and OPT, and the decoder joins them. The OPT record is never in
 * `additionals`; it is `edns`. A TSIG record stays last in `additionals`.
 */
export interface Message {
  readonly header: Header;
  readonly rcode: number;
  readonly questions: readonly Question[];
  readonly answers: readonly ResourceRecord[];
  readonly authorities: readonly ResourceRecord[];
  readonly additionals: readonly ResourceRecord[];
  readonly edns: Edns | null;
}

/** Why a message or a piece of one could not be decoded or encoded. */
export type WireErrorCode =
  | 'TRUNCATED'          // ran past the end of the buffer
  | 'TRAILING_BYTES'     // bytes left after the last record
  | 'BAD_POINTER'        // a compression pointer to itself or forward
  | 'POINTER_LOOP'       // too many pointers followed
  | 'BAD_LABEL_TYPE'     // label type 0x40 or 0x80 (RFC 6891 5 deprecates extended labels)
  | 'LABEL_TOO_LONG'     // more than 63 bytes
  | 'NAME_TOO_LONG'      // more than 255 bytes in wire form
  | 'BAD_RDLENGTH'       // RDATA shorter or longer than its fields
  | 'BAD_RDATA'          // a field value out of range or malformed
  | 'BAD_OPT'            // OPT not at the root, more than one OPT, or a malformed option
  | 'BAD_TEXT'           // presentation (text) form that does not parse
  | 'TOO_LARGE';         // more than 65535 bytes when encoded

/** The wire layer's error: a stable code, a lowercase message, and where it happened. */
export class WireError extends Error {
  readonly code: WireErrorCode;
  /** Byte offset in the message (decode) or token index (text), when known. */
  readonly offset: number | undefined;
  constructor(code: WireErrorCode, message: string, offset?: number) {
    super(message);
    this.name = 'WireError';
    this.code = code;
    this.offset = offset;
  }
}

/**
 * One token of presentation-format RDATA as the zone-file tokenizer yields it:
 * quotes removed (with `quoted` set), backslash escapes left in place for the
 * RDATA parser to interpret per field (a `\.` means something else in a name
 * than in a character-string).
 */
export interface TextToken {
  readonly text: string;
  readonly quoted: boolean;
}
