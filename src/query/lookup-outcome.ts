// What resolving a name in one zone yields (step 4 of the query path): a value,
// never an exception. buildResponse switches over every kind.
import type { Name } from '../wire/index.js';
import type { RRset, ZoneNode, ZoneSnapshot } from '../zone/index.js';

/** One RRset as placed in the answer section, with the owner it is given there. */
export interface AnswerPart {
  /** The stored owner, or the name looked up when the RRset is synthesized (wildcard, DNAME). */
  readonly owner: Name;
  readonly rrset: RRset;
}

/**
 * The result of RFC 1034 4.3.2 for one question in one zone. Every kind carries
 * the answer parts gathered on the way (CNAME and DNAME steps, possibly none).
 */
export type LookupOutcome =
  /** The type was found: `answers` ends with it (with every RRset of the node for a full ANY). */
  | { readonly kind: 'answer'; readonly zone: ZoneSnapshot; readonly answers: readonly AnswerPart[]; readonly wildcard: boolean }
  /**
   * A CNAME or DNAME chain that stops before reaching the type: its last target is
   * outside this zone (`loop` false, the resolver continues from there) or the chain
   * loops or exceeds the restart limit (`loop` true: SERVFAIL, as BIND answers).
   */
  | { readonly kind: 'cname-chain'; readonly zone: ZoneSnapshot; readonly answers: readonly AnswerPart[]; readonly loop: boolean }
  /** RFC 6672 2.2: the DNAME substitution would exceed 255 bytes (YXDOMAIN). */
  | { readonly kind: 'dname-overflow'; readonly zone: ZoneSnapshot; readonly answers: readonly AnswerPart[] }
  /** The name is at or below a zone cut: the cut's NS go in authority, AA clear. */
  | { readonly kind: 'referral'; readonly zone: ZoneSnapshot; readonly answers: readonly AnswerPart[]; readonly cut: ZoneNode; readonly ns: RRset }
  /** The name exists (maybe as an empty non-terminal or through a wildcard) without the type. */
  | { readonly kind: 'nodata'; readonly zone: ZoneSnapshot; readonly answers: readonly AnswerPart[]; readonly wildcard: boolean }
  /** The name does not exist and no wildcard covers it. */
  | { readonly kind: 'nxdomain'; readonly zone: ZoneSnapshot; readonly answers: readonly AnswerPart[] };

/** The kinds of LookupOutcome. */
export type LookupKind = LookupOutcome['kind'];

/**
 * Whether a response puts the apex NS RRset in authority. We match BIND 9.18's
 * default `minimal-responses no-auth-recursive`: positive answers carry the apex
 * NS (and their addresses in additional) only when the query did not ask for
 * recursion (RD clear); with RD set, authority holds only what is required
 * (referrals, negative answers). The NS RRset is not repeated there when it is
 * the answer.
 */
export function wantsApexNs(outcome: LookupOutcome, qtype: number, rd: boolean): boolean {
  // BIND adds them to answers only: not to a chain that leaves the zone, nor to
  // negative answers, whose authority is the SOA, nor to DS answers (the data of
  // a cut, answered from the parent side).
  if (rd || outcome.kind !== 'answer' || qtype === 43 /* DS */) return false;
  const apexNs = outcome.zone.nodes.get(outcome.zone.origin)?.rrsets.get(2 /* NS */);
  if (apexNs === undefined) return false;
  for (const part of outcome.answers) if (part.rrset === apexNs) return false;
  return true;
}
