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
  const fail = (message: string): never => {
    throw new ServiceError('INVALID_ARGUMENT', message, field);
  };
  const find = (type: number): RRset | undefined => sets.find((s) => s.type === type);
  // Most owners own one RRset of an ordinary type and pass every rule below but the DNAME-above check.
  if (sets.length === 1 && !isApex && !RULED_TYPES.has(sets[0]!.type)) {
    checkNoDnameAbove(draft, owner, field);
    return;
  }
  // The owner as named in errors: only made when one is thrown.
  const shown = (): string => nameToText(sets.length > 0 ? sets[0]!.name : owner);

  const soa = find(RRType.SOA);
  if (isApex) {
    // RFC 1035 5.2: "Exactly one SOA RR should be present at the top of the zone."
    if (soa === undefined) fail(`the SOA record of zone "${zone}" cannot be deleted`);
    if (soa!.rdatas.length !== 1) fail(`zone "${zone}" must have exactly one SOA record, not ${soa!.rdatas.length}`);
    // RFC 1034 4.2.1: the apex owns the zone's NS RRset.
    if (find(RRType.NS) === undefined) fail(`the NS records at the apex of zone "${zone}" cannot all be deleted`);
  } else if (soa !== undefined) {
    fail(`"${shown()}" cannot own an SOA record: only the apex of zone "${zone}" does`);
  }

  const cname = find(RRType.CNAME);
  if (cname !== undefined) {
    if (isApex) fail(`the apex of zone "${zone}" cannot own a CNAME record (it owns SOA and NS)`);
    // RFC 2181 10.1: "If a CNAME RR is present at a node, no other data should be present".
    const other = sets.find((s) => s.type !== RRType.CNAME && !CNAME_COMPANIONS.has(s.type));
    if (other !== undefined) fail(`"${shown()}" cannot own a CNAME record beside ${typeToText(other.type)} records (RFC 2181 10.1)`);
    // RFC 2181 10.1: "there should only be one CNAME RR at a node".
    if (cname.rdatas.length > 1) fail(`"${shown()}" may own one CNAME record, not ${cname.rdatas.length}`);
  }

  const dname = find(RRType.DNAME);
  if (dname !== undefined) {
    // RFC 6672 2.4: one DNAME RR per owner.
    if (dname.rdatas.length > 1) fail(`"${shown()}" may own one DNAME record, not ${dname.rdatas.length}`);
    // RFC 6672 2.3: below the apex, NS make a cut and the DNAME belongs at the child's apex.
    if (!isApex && find(RRType.NS) !== undefined) fail(`"${shown()}" cannot own a DNAME record beside NS records below the apex`);
    // RFC 6672 2.4: "Resource records MUST NOT exist at any subdomain of the owner of a DNAME RR."
    if (draft.hasDataBelow(owner)) fail(`"${shown()}" cannot own a DNAME record: names below it own records (RFC 6672 2.4)`);
  }

  // RFC 4592 4.2: a wildcard owning NS is a delegation nobody can follow usefully.
  if (find(RRType.NS) !== undefined && nameIsWildcard(owner)) fail(`wildcard "${shown()}" cannot own NS records`);

  if (sets.length > 0 && !isApex) checkNoDnameAbove(draft, owner, field);
}

/** Types some rule above is about (a lone RRset of another type below the apex breaks none of them). */
const RULED_TYPES: ReadonlySet<number> = new Set([RRType.SOA, RRType.CNAME, RRType.DNAME, RRType.NS]);

/** RFC 6672 2.4: "Resource records MUST NOT exist at any subdomain of the owner of a DNAME RR." `owner` owns data and is below the apex. */
function checkNoDnameAbove(draft: ZoneDraft, owner: Name, field: string): void {
  for (let ancestor = nameParent(owner); ancestor !== null; ancestor = nameParent(ancestor)) {
    if (draft.get(ancestor, RRType.DNAME) !== null) {
      const sets = draft.rrsetsAt(owner);
      const text = nameToText(sets[0]?.name ?? owner);
      throw new ServiceError('INVALID_ARGUMENT',
        `"${text}" is below the DNAME at "${nameToText(ancestor)}"; no records may exist there (RFC 6672 2.4)`, field);
    }
    if (ancestor === draft.origin) break;
  }
}
