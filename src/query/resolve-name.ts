// Step 4 of the query path: RFC 1034 4.3.2 in one zone's snapshot, with DNAME
// (RFC 6672), wildcards (RFC 4592) and DS at a cut (RFC 4035 3.1.4.1). Reads only
// precomputed node flags and Map lookups; no closures, no exceptions.
import {
  RRType, nameLower, nameReplaceSuffix, nameToBytes, rdataTargetName, type Name,
} from '../wire/index.js';
import { NodeFlag, type RRset, type ZoneNode, type ZoneSnapshot, type ZoneTable } from '../zone/index.js';
import type { AnswerPart, LookupOutcome } from './lookup-outcome.js';

/**
 * How many times a lookup restarts at a CNAME or DNAME target before it gives up
 * with SERVFAIL, as BIND 9.18 does (its restart limit is 11).
 */
export const MAX_RESTARTS = 11;

/** Flags that stop the walk from the closest encloser: a cut or a DNAME above the name. */
const CUT_OR_DNAME = NodeFlag.DELEGATION | NodeFlag.DNAME;

/**
 * Resolves `qname` (case as asked) and `qtype` in `zone`, following CNAME and
 * DNAME chains while they stay inside the zone: while `zones` finds this same
 * zone for the target. `fullAny` answers ANY with every RRset of the node;
 * otherwise with the one of the lowest type (RFC 8482 4.1).
 */
export function resolveName(zones: ZoneTable, zone: ZoneSnapshot, qname: Name, qtype: number, fullAny: boolean): LookupOutcome {
  const nodes = zone.nodes;
  const answers: AnswerPart[] = [];
  let name = qname;
  let lower = nameLower(qname);
  let restarts = 0;

  for (;;) {
    const node = nodes.get(lower);
    let next: Name | null;

    if (node !== undefined && (node.flags & NodeFlag.OCCLUDED) === 0) {
      // RFC 1034 4.3.2 step 3a: the whole name matched.
      if ((node.flags & NodeFlag.DELEGATION) !== 0) {
        // RFC 4035 3.1.4.1: DS lives on the parent side of the cut, so a DS query at
        // a delegation point is answered here, authoritatively.
        if (qtype === RRType.DS) return positiveOrNodata(zone, answers, node.name, node.rrsets.get(RRType.DS), false);
        return referral(zone, answers, node);
      }
      if (qtype === RRType.ANY) return anyAnswer(zone, answers, node.name, node, fullAny, false);
      const rrset = node.rrsets.get(qtype);
      if (rrset !== undefined) return positiveOrNodata(zone, answers, node.name, rrset, false);
      if ((node.flags & NodeFlag.CNAME) === 0) return { kind: 'nodata', zone, answers, wildcard: false };
      // "If the data at the node is a CNAME, and QTYPE doesn't match CNAME, copy the
      // CNAME RR into the answer section of the response, change QNAME to the
      // canonical name in the CNAME RR, and go back to step 1."
      const cname = node.rrsets.get(RRType.CNAME)!;
      answers.push({ owner: node.name, rrset: cname });
      next = rdataTargetName(RRType.CNAME, cname.rdatas[0]!);
    } else {
      // Step 3b/3c: walk up to the closest existing ancestor. Every name between an
      // owner and the apex exists (empty non-terminals are nodes), so the first hit
      // is the closest encloser; an occluded one leads on up to its cut or DNAME.
      let encloser: ZoneNode;
      let encloserLower: Name;
      if (node !== undefined) {
        encloser = node;
        encloserLower = lower;
      } else {
        encloserLower = lower;
        let found: ZoneNode | undefined;
        do {
          encloserLower = encloserLower.slice(encloserLower.charCodeAt(0) + 1) as Name;
          found = nodes.get(encloserLower);
        } while (found === undefined && encloserLower.length > 1);
        if (found === undefined) return { kind: 'nxdomain', zone, answers }; // not in this zone at all
        encloser = found;
      }
      while ((encloser.flags & NodeFlag.OCCLUDED) !== 0) {
        encloserLower = encloserLower.slice(encloserLower.charCodeAt(0) + 1) as Name;
        encloser = nodes.get(encloserLower)!;
      }

      if ((encloser.flags & CUT_OR_DNAME) === 0) {
        // Step 3c: no cut and no DNAME above the name: a wildcard child of the
        // closest encloser, if any, is the source of synthesis (RFC 4592 3.3).
        if ((encloser.flags & NodeFlag.HAS_WILDCARD_CHILD) === 0) return { kind: 'nxdomain', zone, answers };
        const source = nodes.get(('\x01*' + encloserLower) as Name);
        // RFC 4592 4.2: a wildcard owning NS is a delegation point, not a source of synthesis.
        if (source === undefined || (source.flags & NodeFlag.DELEGATION) !== 0) return { kind: 'nxdomain', zone, answers };
        // The synthesized RRsets are owned by the name asked for (RFC 4592).
        if (qtype === RRType.ANY) return anyAnswer(zone, answers, name, source, fullAny, true);
        const rrset = source.rrsets.get(qtype);
        if (rrset !== undefined) return positiveOrNodata(zone, answers, name, rrset, true);
        if ((source.flags & NodeFlag.CNAME) === 0) return { kind: 'nodata', zone, answers, wildcard: true };
        const cname = source.rrsets.get(RRType.CNAME)!;
        answers.push({ owner: name, rrset: cname });
        next = rdataTargetName(RRType.CNAME, cname.rdatas[0]!);
      } else if ((encloser.flags & NodeFlag.DELEGATION) !== 0) {
        // Step 3b: "If a match would take us out of the authoritative data, we have a referral."
        return referral(zone, answers, encloser);
      } else {
        // RFC 6672 2.2: below a DNAME, substitute its target for its owner and go on.
        const dname = encloser.rrsets.get(RRType.DNAME)!;
        answers.push({ owner: encloser.name, rrset: dname });
        const target = rdataTargetName(RRType.DNAME, dname.rdatas[0]!);
        if (target === null) return { kind: 'cname-chain', zone, answers, loop: false };
        next = nameReplaceSuffix(name, encloserLower, target);
        // RFC 6672 2.2: a substitution longer than 255 octets cannot be made; the
        // answer is YXDOMAIN with the DNAME.
        if (next === null) return { kind: 'dname-overflow', zone, answers };
        // The CNAME a resolver without DNAME support follows; it takes the DNAME's TTL (RFC 6672).
        answers.push({ owner: name, rrset: { name, type: RRType.CNAME, ttl: dname.ttl, rdatas: [nameToBytes(next)] } });
      }
    }

    // Restart at the target while it stays in this zone. BIND does not follow a
    // chain into another zone, even one it serves: not into a child zone served
    // here either, though a target below a cut it does not serve gets the referral.
    if (next === null) return { kind: 'cname-chain', zone, answers, loop: false };
    const nextLower = nameLower(next);
    if (!isInZone(nextLower, zone.origin) || zones.find(nextLower) !== zone) return { kind: 'cname-chain', zone, answers, loop: false };
    if (restarts === MAX_RESTARTS || visited(answers, nextLower)) return { kind: 'cname-chain', zone, answers, loop: true };
    restarts++;
    name = next;
    lower = nextLower;
  }
}

function positiveOrNodata(zone: ZoneSnapshot, answers: AnswerPart[], owner: Name, rrset: RRset | undefined, wildcard: boolean): LookupOutcome {
  if (rrset === undefined) return { kind: 'nodata', zone, answers, wildcard };
  answers.push({ owner, rrset });
  return { kind: 'answer', zone, answers, wildcard };
}

function referral(zone: ZoneSnapshot, answers: AnswerPart[], cut: ZoneNode): LookupOutcome {
  return { kind: 'referral', zone, answers, cut, ns: cut.rrsets.get(RRType.NS)! };
}

/**
 * RFC 8482 4.1: a responder "can choose to respond with a subset of the RRsets".
 * Minimal ANY answers the RRset of the lowest type; full ANY every RRset (BIND's
 * default, `minimal-any no`).
 */
function anyAnswer(zone: ZoneSnapshot, answers: AnswerPart[], owner: Name, node: ZoneNode, fullAny: boolean, wildcard: boolean): LookupOutcome {
  if (node.rrsets.size === 0) return { kind: 'nodata', zone, answers, wildcard };
  if (fullAny) {
    for (const rrset of node.rrsets.values()) answers.push({ owner, rrset });
  } else {
    let lowest: RRset | undefined;
    for (const rrset of node.rrsets.values()) if (lowest === undefined || rrset.type < lowest.type) lowest = rrset;
    answers.push({ owner, rrset: lowest! });
  }
  return { kind: 'answer', zone, answers, wildcard };
}

/** True when `lower` was already an owner in the chain (a CNAME or DNAME loop). */
function visited(answers: readonly AnswerPart[], lower: Name): boolean {
  for (let i = 0; i < answers.length; i++) {
    const owner = answers[i]!.owner;
    if (owner.length === lower.length && nameLower(owner) === lower) return true;
  }
  return false;
}

/** `lower` is `originLower` or below it at a label boundary; both lowercased. */
function isInZone(lower: Name, originLower: Name): boolean {
  const start = lower.length - originLower.length;
  if (start < 0 || !lower.endsWith(originLower)) return false;
  let i = 0;
  while (i < start) i += lower.charCodeAt(i) + 1;
  return i === start;
}
