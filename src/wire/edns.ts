// EDNS(0) option codes and the Extended DNS Errors option (RFC 6891, RFC 8914).
import { Buffer } from 'node:buffer';
import { WireError, type Edns, type EdnsOption } from './types.js';

/** EDNS option codes we use (IANA "DNS EDNS0 Option Codes"). */
export const EdnsOptionCode = {
  /** RFC 5001 */
  NSID: 3,
  /** RFC 7871 */
  CLIENT_SUBNET: 8,
  /** RFC 7873 */
  COOKIE: 10,
  /** RFC 7828 */
  TCP_KEEPALIVE: 11,
  /** RFC 7830 */
  PADDING: 12,
  /** RFC 8914 */
  EDE: 15,
} as const;
export type EdnsOptionCode = (typeof EdnsOptionCode)[keyof typeof EdnsOptionCode];

/** RFC 8914 4 INFO-CODEs (and later IANA registrations). */
export const EdeCode = {
  OTHER: 0,
  UNSUPPORTED_DNSKEY_ALGORITHM: 1,
  UNSUPPORTED_DS_DIGEST_TYPE: 2,
  STALE_ANSWER: 3,
  FORGED_ANSWER: 4,
  DNSSEC_INDETERMINATE: 5,
  DNSSEC_BOGUS: 6,
  SIGNATURE_EXPIRED: 7,
  SIGNATURE_NOT_YET_VALID: 8,
  DNSKEY_MISSING: 9,
  RRSIGS_MISSING: 10,
  NO_ZONE_KEY_BIT_SET: 11,
  NSEC_MISSING: 12,
  CACHED_ERROR: 13,
  NOT_READY: 14,
  BLOCKED: 15,
  CENSORED: 16,
  FILTERED: 17,
  PROHIBITED: 18,
  STALE_NXDOMAIN_ANSWER: 19,
  NOT_AUTHORITATIVE: 20,
  NOT_SUPPORTED: 21,
  NO_REACHABLE_AUTHORITY: 22,
  NETWORK_ERROR: 23,
  INVALID_DATA: 24,
  SIGNATURE_EXPIRED_BEFORE_VALID: 25,
  TOO_EARLY: 26,
  UNSUPPORTED_NSEC3_ITERATIONS: 27,
  UNABLE_TO_CONFORM_TO_POLICY: 28,
  SYNTHESIZED: 29,
  INVALID_QUERY_TYPE: 30,
} as const;
export type EdeCode = (typeof EdeCode)[keyof typeof EdeCode];

/** Builds an Extended DNS Error option: 16-bit info code then UTF-8 extra text (RFC 8914 2). */
export function makeEdeOption(infoCode: number, text = ''): EdnsOption {
  const extra = Buffer.from(text, 'utf8');
  const data = new Uint8Array(2 + extra.length);
  data[0] = infoCode >>> 8;
  data[1] = infoCode & 0xff;
  data.set(extra, 2);
  return { code: EdnsOptionCode.EDE, data };
}

/** Reads an Extended DNS Error option; throws WireError BAD_OPT when it is not one or is shorter than 2 bytes. */
export function parseEdeOption(opt: EdnsOption): { infoCode: number; text: string } {
  if (opt.code !== EdnsOptionCode.EDE) throw new WireError('BAD_OPT', `option ${opt.code} is not an extended DNS error`);
  if (opt.data.length < 2) throw new WireError('BAD_OPT', `extended DNS error option of ${opt.data.length} bytes is shorter than 2`);
  const d = opt.data;
  const text = Buffer.from(d.buffer, d.byteOffset + 2, d.length - 2).toString('utf8');
  return { infoCode: (d[0]! << 8) | d[1]!, text };
}

/** The first option with `code`, or undefined. */
export function findEdnsOption(edns: Edns | null, code: number): EdnsOption | undefined {
  if (edns === null) return undefined;
  for (const o of edns.options) if (o.code === code) return o;
  return undefined;
}
