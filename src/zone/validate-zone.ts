// Checks a zone's records against the rules a snapshot relies on and returns every
// problem as a value; the write path refuses a change with any "error" problem.
import {
  RRType, nameIsAtOrBelow, nameIsWildcard, nameLower, nameParent, nameToText, type Name,
} from '../wire/index.js';
import type { RecordData } from './types.js';

/** Stable codes of the problems validateZone reports. */
export type ZoneProblemCode =
  | 'OUT_OF_ZONE'           // owner not at or below the origin
  | 'NO_SOA'                // no SOA at the apex
  | 'MULTIPLE_SOA'          // more than one SOA record at the apex
  | 'SOA_NOT_AT_APEX'       // an SOA below the apex
  | 'NO_APEX_NS'            // no NS RRset at the apex
  | 'CNAME_AT_APEX'         // a CNAME at the apex (which must own SOA and NS)
  | 'CNAME_AND_OTHER_DATA'  // a CNAME beside other data
  | 'MULTIPLE_CNAME'        // more than one record in a CNAME RRset
  | 'MULTIPLE_DNAME'        // more than one record in a DNAME RRset
  | 'BELOW_DNAME'           // data at a name below a DNAME owner
  | 'DNAME_AND_NS'          // a DNAME beside NS below the apex (a cut: the DNAME belongs in the child)
  | 'WILDCARD_NS'           // NS owned by a wildcard name (BIND refuses such a zone too)
  | 'TTL_MISMATCH';         // records of one RRset with different TTLs (the lowest is used)

/** One problem found in a zone's records. */
export interface ZoneProblem {
  /** The owner name concerned (the origin for zone-wide problems). */
  readonly owner: Name;
  /** The type concerned, or null when the problem is about the name. */
  readonly type: number | null;
  readonly reason: ZoneProblemCode;
  /** "error" makes the zone unusable; "warning" is repaired by the builder. */
  readonly severity: 'error' | 'warning';
  /** Lowercase sentence naming the object. */
  readonly message: string;
}

/** Types allowed beside a CNAME (RFC 2181 10.1 and RFC 4035 2.5: the DNSSEC records of the name). */
const CNAME_COMPANIONS: ReadonlySet<number> = new Set([RRType.RRSIG, RRType.NSEC, 24 /* SIG */, 25 /* KEY */, 30 /* NXT */]);

/** Types whose RRset holds at most one record (RFC 2181 10.1 for CNAME, RFC 6672 for DNAME, one SOA per zone). */
const SINGLETON_REASON: ReadonlyMap<number, ZoneProblemCode> = new Map([
  [RRType.CNAME, 'MULTIPLE_CNAME'],
  [RRType.DNAME, 'MULTIPLE_DNAME'],
  [RRType.SOA, 'MULTIPLE_SOA'],
]);

/** What validation keeps of one owner: [type, ttl] pairs, flat, to stay small for large zones. */
interface OwnerTypes {
  readonly name: Name;
  readonly typeTtls: number[];
}

/** Every problem with `records` as the content of zone `origin`; empty when the zone is usable. */
export function validateZone(origin: Name, records: Iterable<RecordData>): ZoneProblem[] {
  const originLower = nameLower(origin);
  const originText = nameToText(origin);
  const problems: ZoneProblem[] = [];
  const owners = new Map<Name, OwnerTypes>();
  const mismatched: { owner: Name; type: number }[] = [];
  /** Distinct RDATA of the singleton types, keyed by owner and type (rare, so kept apart). */
  const singletons = new Map<string, { owner: Name; type: number; seen: Set<string> }>();
  const dnameOwners = new Set<Name>();

  for (const record of records) {
    const lower = nameLower(record.name);
    let owner = owners.get(lower);
    if (owner === undefined) {
      if (!nameIsAtOrBelow(lower, originLower)) {
        problems.push(problem(record.name, record.type, 'OUT_OF_ZONE', 'error',
          `"${nameToText(record.name)}" is outside zone "${originText}"`));
        continue;
      }
      owner = { name: record.name, typeTtls: [record.type, record.ttl] };
      owners.set(lower, owner);
    } else {
      noteTtl(owner, record, mismatched);
    }
    const singleton = SINGLETON_REASON.has(record.type);
    if (singleton) {
      const key = lower + String.fromCharCode(record.type);
      let entry = singletons.get(key);
      if (entry === undefined) singletons.set(key, (entry = { owner: owner.name, type: record.type, seen: new Set() }));
      entry.seen.add(Buffer.from(record.rdata.buffer, record.rdata.byteOffset, record.rdata.byteLength).toString('latin1'));
    }
    if (record.type === RRType.DNAME) dnameOwners.add(lower);
  }

  const apex = owners.get(originLower);
  if (apex === undefined || !ownsType(apex, RRType.SOA)) {
    problems.push(problem(origin, RRType.SOA, 'NO_SOA', 'error', `zone "${originText}" has no SOA record at its apex`));
  }
  if (apex === undefined || !ownsType(apex, RRType.NS)) {
    problems.push(problem(origin, RRType.NS, 'NO_APEX_NS', 'error', `zone "${originText}" has no NS records at its apex`));
  }

  for (const [lower, owner] of owners) {
    const isApex = lower === originLower;
    const types = owner.typeTtls;
    // Most names own one ordinary type and need no further check.
    if (types.length === 2 && types[0] !== RRType.SOA && types[0] !== RRType.CNAME
      && !(types[0] === RRType.NS && nameIsWildcard(lower)) && (dnameOwners.size === 0 || isApex)) continue;
    const text = nameToText(owner.name);
    if (!isApex && ownsType(owner, RRType.SOA)) {
      problems.push(problem(owner.name, RRType.SOA, 'SOA_NOT_AT_APEX', 'error', `"${text}" has an SOA record but is not the apex`));
    }
    if (ownsType(owner, RRType.CNAME)) {
      if (isApex) {
        problems.push(problem(owner.name, RRType.CNAME, 'CNAME_AT_APEX', 'error', `apex "${text}" has a CNAME record`));
      }
      // RFC 2181 10.1: "If a CNAME RR is present at a node, no other data should be present".
      for (let i = 0; i < types.length; i += 2) {
        const type = types[i]!;
        if (type !== RRType.CNAME && !CNAME_COMPANIONS.has(type)) {
          problems.push(problem(owner.name, type, 'CNAME_AND_OTHER_DATA', 'error', `"${text}" has a CNAME and type ${type} records`));
        }
      }
    }
    if (ownsType(owner, RRType.NS) && nameIsWildcard(lower)) {
      // RFC 4592 4.2: a wildcard owning NS is a delegation nobody can follow
      // usefully, and no answer is synthesized from it; BIND will not load it.
      problems.push(problem(owner.name, RRType.NS, 'WILDCARD_NS', 'error', `wildcard "${text}" has NS records`));
    }
    if (!isApex && ownsType(owner, RRType.DNAME) && ownsType(owner, RRType.NS)) {
      // RFC 6672 2.3: a DNAME may share its name with NS only at the apex; below it
      // the NS make a cut and the DNAME belongs at the child's apex.
      problems.push(problem(owner.name, RRType.DNAME, 'DNAME_AND_NS', 'error', `"${text}" has a DNAME and NS records below the apex`));
    }
    if (dnameOwners.size > 0 && !isApex && !onlyDenialTypes(owner)) {
      // RFC 6672 2.4: "Resource records MUST NOT exist at any subdomain of the owner
      // of a DNAME RR." The DNSSEC denial records are not data a name answers with
      // (an apex DNAME puts every NSEC3 below it), so they do not count.
      let ancestor: Name = lower;
      while (ancestor !== originLower) {
        ancestor = nameParent(ancestor)!;
        if (dnameOwners.has(ancestor)) {
          problems.push(problem(owner.name, null, 'BELOW_DNAME', 'error', `"${text}" is below the DNAME at "${nameToText(ancestor)}"`));
          break;
        }
      }
    }
  }
  for (const { owner, type, seen } of singletons.values()) {
    if (seen.size > 1) {
      problems.push(problem(owner, type, SINGLETON_REASON.get(type)!, 'error',
        `"${nameToText(owner)}" has ${seen.size} records of type ${type} where one is allowed`));
    }
  }
  for (const { owner, type } of mismatched) {
    problems.push(problem(owner, type, 'TTL_MISMATCH', 'warning',
      `"${nameToText(owner)}" type ${type} records have different TTLs; the lowest is used (RFC 2181 5.2)`));
  }
  return problems;
}

/** Records the type's TTL, or notes a mismatch with the TTL seen first (once per RRset). */
function noteTtl(owner: OwnerTypes, record: RecordData, mismatched: { owner: Name; type: number }[]): void {
  const types = owner.typeTtls;
  for (let i = 0; i < types.length; i += 2) {
    if (types[i] !== record.type) continue;
    if (types[i + 1] !== record.ttl && types[i + 1] !== -1) {
      types[i + 1] = -1;
      mismatched.push({ owner: owner.name, type: record.type });
    }
    return;
  }
  types.push(record.type, record.ttl);
}

/** Types that describe the zone's shape for DNSSEC rather than answer for a name. */
const DENIAL_TYPES: ReadonlySet<number> = new Set([RRType.RRSIG, RRType.NSEC, RRType.NSEC3, RRType.NSEC3PARAM]);

function onlyDenialTypes(owner: OwnerTypes): boolean {
  const types = owner.typeTtls;
  for (let i = 0; i < types.length; i += 2) if (!DENIAL_TYPES.has(types[i]!)) return false;
  return true;
}

function ownsType(owner: OwnerTypes, type: number): boolean {
  const types = owner.typeTtls;
  for (let i = 0; i < types.length; i += 2) if (types[i] === type) return true;
  return false;
}

function problem(owner: Name, type: number | null, reason: ZoneProblemCode, severity: 'error' | 'warning', message: string): ZoneProblem {
  return { owner, type, reason, severity, message };
}
