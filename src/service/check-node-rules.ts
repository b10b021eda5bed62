// The rules one owner's RRsets must keep after a change (the per-name part of
// validateZone, checked against the zone's draft so a change costs the size of
// the change): SOA and NS at the apex, CNAME alone, one CNAME or DNAME record,
// nothing below a DNAME, no DNAME beside NS below the apex, no NS at a wildcard.
// The same rules as validateZone, which whole-zone imports go through.
import { RRType, nameIsWildcard, nameParent, nameToText, typeToText, type Name } from '../wire/index.js';
import type { RRset } from '../zone/index.js';
import { ServiceError } from './types.js';
import type { ZoneDraft } from './zone-draft.js';

/** Types allowed beside a CNAME: the DNSSEC records of the name (RFC 2181 10.1, RFC 4035 2.5). */
const CNAME_COMPANIONS: ReadonlySet<number> = new Set([RRType.RRSIG, RRType.NSEC, 24 /* SIG */, 25 /* KEY */, 30 /* NXT */]);

/**
 * Throws INVALID_ARGUMENT (naming `field`) when `owner` (lowercased) breaks a rule
 * in `draft` of zone `zone` (presentation form).
 */
export function checkNodeRules(draft: ZoneDraft, owner: Name, field: string, zone: string): void {
  const sets = draft.rrsetsAt(owner);
  const isApex = owner === draft.origin;
  const text = sets.length > 0 ? nameToText(sets[0]!.name) : nameToText(owner);
  const fail = (message: string): never => {
    throw new ServiceError('INVALID_ARGUMENT', message, field);
  };
  const find = (type: number): RRset | undefined => sets.find((s) => s.type === type);

  const soa = find(RRType.SOA);
  if (isApex) {
    // RFC 1035 5.2: "Exactly one SOA RR should be present at the top of the zone."
    if (soa === undefined) fail(`the SOA record of zone "${zone}" cannot be deleted`);
    if (soa!.rdatas.length !== 1) fail(`zone "${zone}" must have exactly one SOA record, not ${soa!.rdatas.length}`);
    // RFC 1034 4.2.1: the apex owns the zone's NS RRset.
    if (find(RRType.NS) === undefined) fail(`the NS records at the apex of zone "${zone}" cannot all be deleted`);
  } else if (soa !== undefined) {
    fail(`"${text}" cannot own an SOA record: only the apex of zone "${zone}" does`);
  }

  const cname = find(RRType.CNAME);
  if (cname !== undefined) {
    if (isApex) fail(`the apex of zone "${zone}" cannot own a CNAME record (it owns SOA and NS)`);
    // RFC 2181 10.1: "If a CNAME RR is present at a node, no other data should be present".
    const other = sets.find((s) => s.type !== RRType.CNAME && !CNAME_COMPANIONS.has(s.type));
    if (other !== undefined) fail(`"${text}" cannot own a CNAME record beside ${typeToText(other.type)} records (RFC 2181 10.1)`);
    // RFC 2181 10.1: "there should only be one CNAME RR at a node".
    if (cname.rdatas.length > 1) fail(`"${text}" may own one CNAME record, not ${cname.rdatas.length}`);
  }

  const dname = find(RRType.DNAME);
  if (dname !== undefined) {
    // RFC 6672 2.4: one DNAME RR per owner.
    if (dname.rdatas.length > 1) fail(`"${text}" may own one DNAME record, not ${dname.rdatas.length}`);
    // RFC 6672 2.3: below the apex, NS make a cut and the DNAME belongs at the child's apex.
    if (!isApex && find(RRType.NS) !== undefined) fail(`"${text}" cannot own a DNAME record beside NS records below the apex`);
    // RFC 6672 2.4: "Resource records MUST NOT exist at any subdomain of the owner of a DNAME RR."
    if (draft.hasDataBelow(owner)) fail(`"${text}" cannot own a DNAME record: names below it own records (RFC 6672 2.4)`);
  }

  // RFC 4592 4.2: a wildcard owning NS is a delegation nobody can follow usefully.
  if (find(RRType.NS) !== undefined && nameIsWildcard(owner)) fail(`wildcard "${text}" cannot own NS records`);

  if (sets.length > 0 && !isApex) {
    for (let ancestor = nameParent(owner); ancestor !== null; ancestor = nameParent(ancestor)) {
      if (draft.get(ancestor, RRType.DNAME) !== null) {
        fail(`"${text}" is below the DNAME at "${nameToText(ancestor)}"; no records may exist there (RFC 6672 2.4)`);
      }
      if (ancestor === draft.origin) break;
    }
  }
}
