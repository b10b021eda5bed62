// THE table of RR types: every type we know by name, and for those we can parse,
// the fields their RDATA is made of. It drives wire decode (with decompression),
// encode (with compression), validation and the text forms. A new type is one row.
// Types named here without fields are RFC 3597 opaque data (`\# len hex`).
import type { FieldKind, RdataField, RdataTypeInfo } from './field-kind.js';

const f = (kind: FieldKind, label: string): RdataField => ({ kind, label });

const DS_FIELDS = [f('u16', 'key tag'), f('alg', 'algorithm'), f('u8', 'digest type'), f('hex', 'digest')];
const DNSKEY_FIELDS = [f('u16', 'flags'), f('u8', 'protocol'), f('alg', 'algorithm'), f('base64', 'public key')];
const TLSA_FIELDS = [f('u8', 'certificate usage'), f('u8', 'selector'), f('u8', 'matching type'), f('hex', 'certificate data')];
const SVCB_FIELDS = [f('u16', 'priority'), f('name-nc', 'target'), f('svc-params', 'parameters')];
const SIG_FIELDS = (signer: FieldKind): RdataField[] => [
  f('rrtype', 'type covered'), f('alg', 'algorithm'), f('u8', 'labels'), f('u32', 'original ttl'),
  f('time', 'expiration'), f('time', 'inception'), f('u16', 'key tag'), f(signer, "signer's name"),
  f('base64', 'signature'),
];

// [type, mnemonic, fields or null for opaque]. Name field kinds follow RFC 3597 4:
// 'name' (compressed) only in RFC 1035 types; 'name-dc' for the types receivers
// "SHOULD also decompress" (RP, AFSDB, RT, SIG, PX, NAPTR, SRV) and for DNAME,
// whose target RFC 6672 2.1 says "MUST be sent in uncompressed form" (we still
// accept RFC 2672-era compressed ones); 'name-nc' for everything newer.
const ROWS: readonly (readonly [number, string, readonly RdataField[] | null])[] = [
  [1, 'A', [f('ipv4', 'address')]],
  [2, 'NS', [f('name', 'name server')]],
  [3, 'MD', [f('name', 'mail destination')]],
  [4, 'MF', [f('name', 'mail forwarder')]],
  [5, 'CNAME', [f('name', 'target')]],
  [6, 'SOA', [
    f('name', 'mname'), f('name', 'rname'), f('u32', 'serial'), f('period', 'refresh'),
    f('period', 'retry'), f('period', 'expire'), f('period', 'minimum'),
  ]],
  [7, 'MB', [f('name', 'mailbox host')]],
  [8, 'MG', [f('name', 'mail group member')]],
  [9, 'MR', [f('name', 'new mailbox')]],
  [10, 'NULL', null],
  [11, 'WKS', null],
  [12, 'PTR', [f('name', 'target')]],
  [13, 'HINFO', [f('char-string', 'cpu'), f('char-string', 'os')]],
  [14, 'MINFO', [f('name', 'responsible mailbox'), f('name', 'error mailbox')]],
  [15, 'MX', [f('u16', 'preference'), f('name', 'exchange')]],
  [16, 'TXT', [f('char-strings', 'text')]],
  [17, 'RP', [f('name-dc', 'mailbox'), f('name-dc', 'text name')]],
  [18, 'AFSDB', [f('u16', 'subtype'), f('name-dc', 'hostname')]],
  [19, 'X25', [f('char-string', 'psdn address')]],
  [20, 'ISDN', null],
  [21, 'RT', [f('u16', 'preference'), f('name-dc', 'intermediate host')]],
  [22, 'NSAP', null],
  [23, 'NSAP-PTR', null],
  [24, 'SIG', SIG_FIELDS('name-dc')],
  [25, 'KEY', null],
  [26, 'PX', [f('u16', 'preference'), f('name-dc', 'map822'), f('name-dc', 'mapx400')]],
  [27, 'GPOS', null],
  [28, 'AAAA', [f('ipv6', 'address')]],
  [29, 'LOC', [f('loc', 'location')]],
  [30, 'NXT', null],
  [31, 'EID', null],
  [32, 'NIMLOC', null],
  [33, 'SRV', [f('u16', 'priority'), f('u16', 'weight'), f('u16', 'port'), f('name-dc', 'target')]],
  [34, 'ATMA', null],
  [35, 'NAPTR', [
    f('u16', 'order'), f('u16', 'preference'), f('char-string', 'flags'), f('char-string', 'services'),
    f('char-string', 'regexp'), f('name-dc', 'replacement'),
  ]],
  [36, 'KX', [f('u16', 'preference'), f('name-nc', 'exchanger')]],
  [37, 'CERT', [f('u16', 'certificate type'), f('u16', 'key tag'), f('alg', 'algorithm'), f('base64', 'certificate')]],
  [38, 'A6', null],
  [39, 'DNAME', [f('name-dc', 'target')]],
  [40, 'SINK', null],
  [41, 'OPT', null],
  [42, 'APL', [f('apl', 'address prefixes')]],
  [43, 'DS', DS_FIELDS],
  [44, 'SSHFP', [f('u8', 'algorithm'), f('u8', 'fingerprint type'), f('hex', 'fingerprint')]],
  [45, 'IPSECKEY', null],
  [46, 'RRSIG', SIG_FIELDS('name-nc')],
  [47, 'NSEC', [f('name-nc', 'next domain name'), f('type-bitmap', 'type bit map')]],
  [48, 'DNSKEY', DNSKEY_FIELDS],
  [49, 'DHCID', [f('base64', 'digest')]],
  [50, 'NSEC3', [
    f('u8', 'hash algorithm'), f('u8', 'flags'), f('u16', 'iterations'), f('hex-u8-len', 'salt'),
    f('base32hex-u8-len', 'next hashed owner'), f('type-bitmap', 'type bit map'),
  ]],
  [51, 'NSEC3PARAM', [f('u8', 'hash algorithm'), f('u8', 'flags'), f('u16', 'iterations'), f('hex-u8-len', 'salt')]],
  [52, 'TLSA', TLSA_FIELDS],
  [53, 'SMIMEA', TLSA_FIELDS],
  [55, 'HIP', null],
  [56, 'NINFO', null],
  [57, 'RKEY', null],
  [58, 'TALINK', null],
  [59, 'CDS', DS_FIELDS],
  [60, 'CDNSKEY', DNSKEY_FIELDS],
  [61, 'OPENPGPKEY', [f('base64', 'public key')]],
  [62, 'CSYNC', [f('u32', 'serial'), f('u16', 'flags'), f('type-bitmap', 'type bit map')]],
  [63, 'ZONEMD', [f('u32', 'serial'), f('u8', 'scheme'), f('u8', 'hash algorithm'), f('hex', 'digest')]],
  [64, 'SVCB', SVCB_FIELDS],
  [65, 'HTTPS', SVCB_FIELDS],
  [99, 'SPF', [f('char-strings', 'text')]],
  [100, 'UINFO', null],
  [101, 'UID', null],
  [102, 'GID', null],
  [103, 'UNSPEC', null],
  [104, 'NID', null],
  [105, 'L32', [f('u16', 'preference'), f('ipv4', 'locator')]],
  [106, 'L64', null],
  [107, 'LP', [f('u16', 'preference'), f('name-nc', 'fqdn')]],
  [108, 'EUI48', [f('eui48', 'address')]],
  [109, 'EUI64', [f('eui64', 'address')]],
  [249, 'TKEY', null],
  [250, 'TSIG', null],
  [251, 'IXFR', null],
  [252, 'AXFR', null],
  [253, 'MAILB', null],
  [254, 'MAILA', null],
  [255, 'ANY', null],
  [256, 'URI', [f('u16', 'priority'), f('u16', 'weight'), f('text-rest', 'target')]],
  [257, 'CAA', [f('u8', 'flags'), f('caa-tag', 'tag'), f('text-rest', 'value')]],
  [258, 'AVC', [f('char-strings', 'text')]],
  [260, 'AMTRELAY', null],
  [261, 'RESINFO', [f('char-strings', 'text')]],
  [32768, 'TA', DS_FIELDS],
  [32769, 'DLV', DS_FIELDS],
];

const BY_TYPE = new Map<number, RdataTypeInfo>();
const MNEMONIC_BY_TYPE = new Map<number, string>();
const TYPE_BY_MNEMONIC = new Map<string, number>();
for (const [type, mnemonic, fields] of ROWS) {
  MNEMONIC_BY_TYPE.set(type, mnemonic);
  TYPE_BY_MNEMONIC.set(mnemonic, type);
  if (fields === null) continue;
  BY_TYPE.set(type, {
    type,
    mnemonic,
    fields,
    whats: fields.map((x) => `${mnemonic} ${x.label}`),
    compress: fields.some((x) => x.kind === 'name'),
    decompress: fields.some((x) => x.kind === 'name' || x.kind === 'name-dc'),
  });
}

/** The table entry of a type whose fields we know, or undefined (opaque, RFC 3597). */
export function rdataTypeInfo(type: number): RdataTypeInfo | undefined {
  return BY_TYPE.get(type);
}

/** The mnemonic of a type ("A", "HTTPS"), or "TYPEnnn" (RFC 3597 5) when it has none. */
export function typeToText(type: number): string {
  return MNEMONIC_BY_TYPE.get(type) ?? `TYPE${type}`;
}

/** A type from its mnemonic or "TYPEnnn", case-insensitive; null when neither. */
export function typeFromText(text: string): number | null {
  const upper = text.toUpperCase();
  const known = TYPE_BY_MNEMONIC.get(upper);
  if (known !== undefined) return known;
  if (upper.startsWith('TYPE')) return decimalUpTo(upper.slice(4), 65535);
  return null;
}

/** Classes by mnemonic (RFC 1035 3.2.4, RFC 2136 2.4 for NONE and ANY). */
const CLASS_ROWS: readonly (readonly [number, string])[] = [[1, 'IN'], [3, 'CH'], [4, 'HS'], [254, 'NONE'], [255, 'ANY']];

/** The mnemonic of a class ("IN"), or "CLASSnnn" (RFC 3597 5). */
export function classToText(rrclass: number): string {
  for (const [value, mnemonic] of CLASS_ROWS) if (value === rrclass) return mnemonic;
  return `CLASS${rrclass}`;
}

/** A class from its mnemonic or "CLASSnnn", case-insensitive; null when neither. */
export function classFromText(text: string): number | null {
  const upper = text.toUpperCase();
  for (const [value, mnemonic] of CLASS_ROWS) if (mnemonic === upper) return value;
  if (upper === 'CHAOS') return 3;
  if (upper === 'HESIOD') return 4;
  if (upper.startsWith('CLASS')) return decimalUpTo(upper.slice(5), 65535);
  return null;
}

/** A plain decimal number no larger than `max` (no sign, no leading "+"), or null. */
export function decimalUpTo(text: string, max: number): number | null {
  if (text.length === 0 || text.length > 10) return null;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return null;
    v = v * 10 + c;
  }
  return v <= max ? v : null;
}
