// Step 1 of the query path: is this a request we answer at all, and if not, with
// which RCODE. Runs on the decoded message before anything looks at zones.
import { Opcode, RRClass, RRType, Rcode, type Message } from '../wire/index.js';

/**
 * The verdict of preflight: go on, or answer at once with `rcode`. `bare` answers
 * carry no question and clear RD, as BIND answers opcodes it does not know.
 */
export type Preflight =
  | { readonly verdict: 'accept' }
  | { readonly verdict: 'reject'; readonly rcode: Rcode; readonly bare: boolean };

const ACCEPT: Preflight = { verdict: 'accept' };
const FORMERR: Preflight = { verdict: 'reject', rcode: Rcode.FORMERR, bare: false };
const NOTIMP: Preflight = { verdict: 'reject', rcode: Rcode.NOTIMP, bare: false };
const NOTIMP_BARE: Preflight = { verdict: 'reject', rcode: Rcode.NOTIMP, bare: true };
const REFUSED: Preflight = { verdict: 'reject', rcode: Rcode.REFUSED, bare: false };
const NOTAUTH: Preflight = { verdict: 'reject', rcode: Rcode.NOTAUTH, bare: false };
const BADVERS: Preflight = { verdict: 'reject', rcode: Rcode.BADVERS, bare: false };

/** Meta-types not in RRType (RFC 2930 TKEY, RFC 1035 MAILB/MAILA). */
const TYPE_TKEY = 249;
const TYPE_MAILB = 253;
const TYPE_MAILA = 254;

/**
 * Checks, in order: EDNS version, opcode, question count, class, meta-types as
 * QTYPE, TSIG. A request that arrived as a response (QR set) never gets here: the
 * engine drops it before decoding.
 */
export function preflight(msg: Message): Preflight {
  // RFC 6891 6.1.3: "If a responder does not implement the VERSION level of the
  // request, then it MUST respond with RCODE=BADVERS."
  if (msg.edns !== null && msg.edns.version > 0) return BADVERS;
  const opcode = msg.header.opcode;
  // RFC 1035 4.1.1: NOTIMP, "the name server does not support the requested kind of query".
  if (opcode !== Opcode.QUERY && opcode !== Opcode.NOTIFY && opcode !== Opcode.UPDATE) return NOTIMP_BARE;
  // RFC 1035 4.1.2 allows QDCOUNT > 1 in theory, but no server answers it, and
  // RFC 9619 makes one question the rule for QUERY; NOTIFY and UPDATE carry
  // exactly one zone too.
  if (msg.questions.length !== 1) return FORMERR;
  const question = msg.questions[0]!;
  // Our zones are class IN. The meta-classes NONE and ANY are not a class a zone
  // can have (RFC 6895 3.2); BIND answers a query for them with FORMERR. Other
  // classes (CH for version.bind, HS) are not served: REFUSED.
  if (question.class !== RRClass.IN) {
    return question.class === RRClass.ANY || question.class === RRClass.NONE ? FORMERR : REFUSED;
  }
  if (opcode === Opcode.QUERY) {
    const qtype = question.type;
    // RFC 6895 3.1: meta-types other than the query ones (ANY, AXFR, IXFR) are not
    // questions. BIND answers OPT and TSIG with FORMERR, TKEY and MAILA/MAILB with NOTIMP.
    if (qtype === RRType.OPT || qtype === RRType.TSIG) return FORMERR;
    if (qtype === TYPE_TKEY || qtype === TYPE_MAILA || qtype === TYPE_MAILB) return NOTIMP;
  }
  // RFC 8945 5.2: a server that does not know the key answers NOTAUTH; we have no
  // keys yet (TSIG is a later issue), so every signed request is refused this way.
  const adds = msg.additionals;
  if (adds.length > 0 && adds[adds.length - 1]!.type === RRType.TSIG) return NOTAUTH;
  return ACCEPT;
}
