// Step 5 of the query path: additional-section records (RFC 1034 4.3.2 step 6,
// RFC 1035 3.3.9 / 3.3.11, RFC 2782): addresses of the names that NS, MX and SRV
// records in the answer or authority point at, when this zone holds them.
import { RRType, nameLower, rdataTargetName, type Name } from '../wire/index.js';
import { NodeFlag, type RRset, type ZoneSnapshot } from '../zone/index.js';
import type { LookupOutcome } from './lookup-outcome.js';

const NO_RRSETS: readonly RRset[] = Object.freeze([]);

/** Nodes whose addresses are not authoritative data: below a cut or a DNAME, or at a cut. */
const NOT_AUTHORITATIVE = NodeFlag.OCCLUDED | NodeFlag.DELEGATION;

/**
 * The A and AAAA RRsets to add for `outcome`: for NS, MX and SRV in the answer,
 * for the NS of a referral (glue, RFC 1034 4.3.2 step 3b), and for the apex NS
 * when they are put in authority (`apexNs`). Addresses below a cut are used only
 * for NS targets (glue); MX and SRV targets must be authoritative data. Wildcards
 * are not expanded for additional data, and an ANY answer gets none but glue (as
 * in BIND).
 */
export function collectAdditional(outcome: LookupOutcome, qtype: number, apexNs: RRset | null): readonly RRset[] {
  let out: RRset[] | null = null;
  const zone = outcome.zone;
  if (outcome.kind === 'referral') out = addTargets(zone, outcome.ns, out);
  if (qtype === RRType.ANY) return out ?? NO_RRSETS;
  const answers = outcome.answers;
  for (let i = 0; i < answers.length; i++) {
    const rrset = answers[i]!.rrset;
    const type = rrset.type;
    if (type === RRType.NS || type === RRType.MX || type === RRType.SRV) out = addTargets(zone, rrset, out);
  }
  if (apexNs !== null) out = addTargets(zone, apexNs, out);
  return out ?? NO_RRSETS;
}

function addTargets(zone: ZoneSnapshot, rrset: RRset, out: RRset[] | null): RRset[] | null {
  const glueOk = rrset.type === RRType.NS;
  const rdatas = rrset.rdatas;
  for (let i = 0; i < rdatas.length; i++) {
    const target = rdataTargetName(rrset.type, rdatas[i]!);
    if (target === null) continue;
    const node = zone.nodes.get(nameLower(target));
    if (node === undefined || (!glueOk && (node.flags & NOT_AUTHORITATIVE) !== 0)) continue;
    const a = node.rrsets.get(RRType.A);
    const aaaa = node.rrsets.get(RRType.AAAA);
    if (a === undefined && aaaa === undefined) continue;
    if (out === null) out = [];
    else if (alreadyAdded(out, a ?? aaaa!)) continue;
    if (a !== undefined) out.push(a);
    if (aaaa !== undefined) out.push(aaaa);
  }
  return out;
}

function alreadyAdded(out: readonly RRset[], rrset: RRset): boolean {
  for (let i = 0; i < out.length; i++) if (out[i] === rrset) return true;
  return false;
}

/** The apex NS RRset of `zone` (for authority sections), or null. */
export function apexNsOf(zone: ZoneSnapshot): RRset | null {
  return zone.nodes.get(zone.origin as Name)?.rrsets.get(RRType.NS) ?? null;
}
