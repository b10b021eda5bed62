// Step 7 of the query path: the only place a response message is made. Builds it
// section by section (answer, authority, additional) from a LookupOutcome or an
// error RCODE; the encoder fits it to size afterwards (step 8).
import {
  RRClass, RRType, Rcode, makeEdeOption, type Edns, type Message, type Question, type ResourceRecord,
} from '../wire/index.js';
import type { RRset, ZoneSnapshot } from '../zone/index.js';
import type { AnswerPart, LookupOutcome } from './lookup-outcome.js';
import type { EdeText } from './types.js';

/** What the response copies from the request. */
export interface ResponseBasis {
  readonly id: number;
  readonly opcode: number;
  /** RFC 1035 4.1.1: RD "is copied into the response". */
  readonly rd: boolean;
  /** RFC 4035 3.1.6: CD is copied too. */
  readonly cd: boolean;
  /** The question as the client wrote it (its case kept), or null when it could not be read. */
  readonly question: Question | null;
  /** Our OPT when the request carried one (RFC 6891 6.1.1), else null. */
  readonly edns: Edns | null;
}

/**
 * What a response says: an error RCODE (with an Extended DNS Error when there is
 * something to explain), the result of a lookup, or what the upstreams said.
 */
export type ResponseContent =
  | { readonly kind: 'error'; readonly rcode: number; readonly ede?: EdeText }
  | {
    readonly kind: 'forwarded';
    readonly rcode: number;
    readonly answers: readonly ResourceRecord[];
    readonly authorities: readonly ResourceRecord[];
    readonly additionals: readonly ResourceRecord[];
    /** AD to relay: the upstream set it and the client set DO or AD (RFC 6840 5.8). */
    readonly ad: boolean;
    readonly ede: EdeText | null;
  }
  | {
    readonly kind: 'lookup';
    readonly outcome: LookupOutcome;
    /** From collectAdditional (step 5). */
    readonly additional: readonly RRset[];
    /** The apex NS RRset for the authority of a positive answer, or null (see wantsApexNs). */
    readonly apexNs: RRset | null;
  };

const NONE: readonly ResourceRecord[] = Object.freeze([]);
const NO_QUESTIONS: readonly Question[] = Object.freeze([]);

/** Builds the response message for `basis` saying `content`. */
export function buildResponse(basis: ResponseBasis, content: ResponseContent): Message {
  const questions = basis.question === null ? NO_QUESTIONS : [basis.question];
  if (content.kind === 'error') {
    return message(basis, questions, false, content.rcode, NONE, NONE, NONE, content.ede ?? null);
  }
  if (content.kind === 'forwarded') {
    // Relayed from upstream resolvers: not our data, so AA stays clear.
    const m = message(basis, questions, false, content.rcode, content.answers, content.authorities, content.additionals, content.ede);
    return content.ad ? { ...m, header: { ...m.header, ad: true } } : m;
  }
  const outcome = content.outcome;
  const answers = outcome.answers.length === 0 ? NONE : answerRecords(outcome.answers);
  const additional = content.additional.length === 0 ? NONE : rrsetRecords(content.additional);
  switch (outcome.kind) {
    case 'answer':
      return message(basis, questions, true, Rcode.NOERROR, answers,
        content.apexNs === null ? NONE : rrsetRecords([content.apexNs]), additional);
    case 'cname-chain':
      // A chain that leaves the zone is a complete answer from us (the client
      // resolves the rest); a looping or overlong one is SERVFAIL, as in BIND.
      return message(basis, questions, true, outcome.loop ? Rcode.SERVFAIL : Rcode.NOERROR, answers, NONE, additional);
    case 'dname-overflow':
      // RFC 6672 2.2: YXDOMAIN, with the DNAME that could not be applied.
      return message(basis, questions, true, Rcode.YXDOMAIN, answers, NONE, NONE);
    case 'referral':
      // RFC 1034 4.3.2 step 3b: the NS of the cut in authority, glue in additional;
      // AA only when the answer section holds our data (a CNAME before the cut).
      return message(basis, questions, answers.length > 0, Rcode.NOERROR, answers, rrsetRecords([outcome.ns]), additional);
    case 'nodata':
      return message(basis, questions, true, Rcode.NOERROR, answers, negativeSoa(outcome.zone), additional);
    case 'nxdomain':
      // RFC 6604 3: after a CNAME chain the RCODE describes the last name.
      return message(basis, questions, true, Rcode.NXDOMAIN, answers, negativeSoa(outcome.zone), additional);
  }
}

function message(
  basis: ResponseBasis, questions: readonly Question[], aa: boolean, rcode: number,
  answers: readonly ResourceRecord[], authorities: readonly ResourceRecord[], additionals: readonly ResourceRecord[],
  ede: EdeText | null = null,
): Message {
  // RFC 8914 2: the EDE travels in OPT, so only a client that sent OPT gets one.
  const edns = ede === null || basis.edns === null ? basis.edns : { ...basis.edns, options: [makeEdeOption(ede.code, ede.text)] };
  return {
    header: {
      id: basis.id, qr: true, opcode: basis.opcode, aa, tc: false, rd: basis.rd,
      // RA is set by the engine, per client, where recursion is available to it
      // (issue 5); the response itself is the same for every client.
      ra: false, z: false, ad: false, cd: basis.cd,
    },
    // BADVERS and other extended codes need OPT; the request had one for BADVERS.
    rcode: basis.edns === null ? rcode & 0xf : rcode,
    questions,
    answers,
    authorities,
    additionals,
    edns,
  };
}

function answerRecords(parts: readonly AnswerPart[]): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    pushRecords(out, part.owner, part.rrset);
  }
  return out;
}

function rrsetRecords(rrsets: readonly RRset[]): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (let i = 0; i < rrsets.length; i++) {
    const rrset = rrsets[i]!;
    pushRecords(out, rrset.name, rrset);
  }
  return out;
}

function pushRecords(out: ResourceRecord[], owner: ResourceRecord['name'], rrset: RRset): void {
  const rdatas = rrset.rdatas;
  for (let i = 0; i < rdatas.length; i++) {
    out.push({ name: owner, type: rrset.type, class: RRClass.IN, ttl: rrset.ttl, rdata: rdatas[i]! });
  }
}

/**
 * The SOA for a negative answer. RFC 2308 3: "the TTL of this record is set from
 * the minimum of the MINIMUM field of the SOA record and the TTL of the SOA itself".
 * MINIMUM is the last 32 bits of the RDATA (RFC 1035 3.3.13).
 */
function negativeSoa(zone: ZoneSnapshot): ResourceRecord[] {
  const soa = zone.soa;
  const rdata = soa.rdatas[0]!;
  const end = rdata.length;
  const minimum = ((rdata[end - 4]! << 24) | (rdata[end - 3]! << 16) | (rdata[end - 2]! << 8) | rdata[end - 1]!) >>> 0;
  return [{ name: soa.name, type: RRType.SOA, class: RRClass.IN, ttl: Math.min(soa.ttl, minimum), rdata }];
}
