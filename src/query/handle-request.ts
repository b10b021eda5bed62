// The query path, top to bottom (DESIGN.md "The query path"): decode, then the
// numbered steps, each a function in its own file, called here in order.
import {
  Rcode, WireError, decodeMessage, nameLower, peekHeader, type Edns, type Message,
} from '../wire/index.js';
import type { ZoneTable } from '../zone/index.js';
import { buildResponse, type ResponseBasis, type ResponseContent } from './build-response.js';
import { classifyRequest } from './classify-request.js';
import { apexNsOf, collectAdditional } from './collect-additional.js';
import { findZone } from './find-zone.js';
import { fitResponse, responseSizeLimit } from './fit-response.js';
import { wantsApexNs } from './lookup-outcome.js';
import { preflight } from './preflight.js';
import { refusalFor } from './refusal-for.js';
import { resolveName } from './resolve-name.js';
import type { ForwardOutcome, ForwardPort, RequestContext } from './types.js';

/** What the query path needs besides the request: the engine's settings. */
export interface QueryEnv {
  readonly zones: ZoneTable;
  /** Our EDNS UDP payload size, also the cap on UDP responses. */
  readonly maxUdpSize: number;
  /** Answer ANY with every RRset (BIND's default) instead of one (RFC 8482). */
  readonly fullAny: boolean;
  /** The OPT we send: our payload size, version 0, DO clear, no options. */
  readonly responseEdns: Edns;
  /** The same with DO set, for requests that set it. */
  readonly responseEdnsDo: Edns;
  /** Forwarding for names in none of our zones, or null when there is none. */
  readonly forward: ForwardPort | null;
}

/**
 * The reply (a promise only when the question was forwarded to upstreams), and
 * whether the answer cache may keep it for this question.
 */
export interface HandledRequest {
  readonly reply: Uint8Array | Promise<ForwardedReply> | null;
  readonly cacheable: boolean;
}

/**
 * A reply made from what the upstreams said: null to send nothing; `fresh` when it
 * relays a fresh answer (not a failure, not stale data), which the answer cache
 * may keep while its TTLs last.
 */
export interface ForwardedReply {
  readonly bytes: Uint8Array | null;
  readonly fresh: boolean;
}

const NOTHING: ForwardedReply = { bytes: null, fresh: false };

const DROP: HandledRequest = { reply: null, cacheable: false };

/** RFC 1035 4.1.1 header bits in the second 16-bit word. */
const FLAG_RD = 0x0100;
const FLAG_CD = 0x0010;

/**
 * Answers one request. Throws only on a broken invariant (the engine turns that
 * into SERVFAIL); every DNS outcome, malformed input included, is a reply.
 */
export function handleRequest(request: Uint8Array, ctx: RequestContext, env: QueryEnv): HandledRequest {
  const transport = ctx.transport;
  const peek = peekHeader(request);
  // Shorter than a header: nothing to answer with.
  if (peek === null) return DROP;
  // RFC 1035 4.1.1: QR set means a response; answering it could start a loop.
  if (peek.qr) return DROP;

  let msg: Message;
  try {
    msg = decodeMessage(request);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    // Malformed: FORMERR with the ID and opcode we could read, no question.
    const basis: ResponseBasis = {
      id: peek.id, opcode: peek.opcode, rd: (peek.flagsWord & FLAG_RD) !== 0, cd: (peek.flagsWord & FLAG_CD) !== 0,
      question: null, edns: null,
    };
    return reply(basis, { kind: 'error', rcode: Rcode.FORMERR }, responseSizeLimit(transport, null, env.maxUdpSize), false);
  }

  const header = msg.header;
  const basis: ResponseBasis = {
    id: header.id, opcode: header.opcode, rd: header.rd, cd: header.cd,
    question: msg.questions.length === 1 ? msg.questions[0]! : null,
    // RFC 3225 3: "The DO bit of the query MUST be copied in the response." (BIND
    // copies it for unsigned zones too.)
    edns: msg.edns === null ? null : msg.edns.do ? env.responseEdnsDo : env.responseEdns,
  };
  const limit = responseSizeLimit(transport, msg.edns === null ? null : msg.edns.udpSize, env.maxUdpSize);

  // 1. preflight
  const verdict = preflight(msg);
  if (verdict.verdict === 'reject') {
    const answered = verdict.bare ? { ...basis, rd: false, question: null } : basis;
    return reply(answered, { kind: 'error', rcode: verdict.rcode }, limit, false);
  }

  // 2. classify once, then one switch
  switch (classifyRequest(msg)) {
    case 'query':
      break;
    case 'axfr':
    case 'ixfr':
      // Zone transfers are a later issue; until then we refuse them, as a server
      // whose transfer ACL admits nobody does.
      return reply(basis, { kind: 'error', rcode: Rcode.REFUSED }, limit, false);
    case 'notify':
    case 'update':
      // NOTIFY (RFC 1996) and UPDATE (RFC 2136) are later issues.
      return reply(basis, { kind: 'error', rcode: Rcode.NOTIMP }, limit, false);
  }

  const question = msg.questions[0]!;
  // 3. find the zone
  const zone = findZone(env.zones, nameLower(question.name), question.type);
  if (zone === null) return notOurs(msg, basis, ctx, limit, env.forward);

  // 4. resolve in the zone's snapshot
  const outcome = resolveName(env.zones, zone, question.name, question.type, env.fullAny);
  // 5. additional-section records
  const apexNs = wantsApexNs(outcome, question.type, header.rd) ? apexNsOf(zone) : null;
  const additional = collectAdditional(outcome, question.type, apexNs);
  // 6. DNSSEC records when DO is set: a later issue (we clear DO and sign nothing).
  // 7. build the response, 8. fit it to the client's size
  return reply(basis, { kind: 'lookup', outcome, additional, apexNs }, limit, true);
}

/**
 * A name in none of our zones: forwarded for an admitted client that asked for
 * recursion, otherwise REFUSED with an Extended DNS Error that says why (RFC 8914;
 * seed 004's most common support call is a client pointed at the authoritative
 * server). Refusals that depend on the client's address are not cached.
 */
function notOurs(msg: Message, basis: ResponseBasis, ctx: RequestContext, limit: number, forward: ForwardPort | null): HandledRequest {
  if (forward === null || !forward.enabled) return reply(basis, refusalFor('forwarding-disabled'), limit, true);
  if (!msg.header.rd) return reply(basis, refusalFor('recursion-not-desired'), limit, true);
  if (!forward.isRecursionAllowed(ctx.remoteAddress)) return reply(basis, refusalFor('recursion-not-allowed'), limit, false);
  const dnssecOk = msg.edns !== null && msg.edns.do;
  // RFC 6840 5.8: relay AD only to a client that set DO or AD.
  const wantsAd = dnssecOk || msg.header.ad;
  const pending = forward.resolve(basis.question!, { dnssecOk, checkingDisabled: msg.header.cd })
    .then((outcome) => forwardedReply(basis, outcome, limit, wantsAd));
  return { reply: pending, cacheable: false };
}

/** The reply for what the upstreams said: their records (AA clear), or SERVFAIL with the reason. */
function forwardedReply(basis: ResponseBasis, outcome: ForwardOutcome, limit: number, wantsAd: boolean): ForwardedReply {
  if (outcome.kind === 'failure') {
    // The engine is closing, or the caller gave up: there is no one to answer.
    if (outcome.reason === 'aborted' || outcome.reason === 'closed') return NOTHING;
    return { bytes: fitResponse(buildResponse(basis, { kind: 'error', rcode: Rcode.SERVFAIL, ede: outcome.ede }), limit), fresh: false };
  }
  const bytes = fitResponse(buildResponse(basis, {
    kind: 'forwarded', rcode: outcome.rcode, answers: outcome.answers, authorities: outcome.authorities,
    additionals: outcome.additionals, ad: outcome.authenticData && wantsAd, ede: outcome.ede,
  }), limit);
  // An EDE marks stale data (RFC 8767).
  return { bytes, fresh: outcome.ede === null };
}

function reply(basis: ResponseBasis, content: ResponseContent, limit: number, cacheable: boolean): HandledRequest {
  return { reply: fitResponse(buildResponse(basis, content), limit), cacheable };
}
