// The query we send upstream for a client's question: RD set (we ask a resolver to
// recurse), CD and DO as the client asked, and an OPT record advertising a UDP size
// that avoids fragmentation (1232, the DNS Flag Day 2020 value; a larger answer comes
// back with TC and is fetched over TCP).
import { encodeMessage, type Question } from '../wire/index.js';

/** The UDP payload size we advertise upstream. */
export const UPSTREAM_UDP_SIZE = 1232;

/** An encoded upstream query with ID 0; each try copies it and writes a fresh random ID. */
export interface UpstreamQuery {
  readonly bytes: Uint8Array;
  /** Where the question section ends (12 + name length + 4). */
  readonly questionEnd: number;
}

/** Encodes the upstream query for `question` with the client's DO and CD bits. */
export function buildUpstreamQuery(question: Question, dnssecOk: boolean, checkingDisabled: boolean): UpstreamQuery {
  const bytes = encodeMessage(
    {
      header: { id: 0, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, z: false, ad: false, cd: checkingDisabled },
      rcode: 0,
      questions: [question],
      answers: [],
      authorities: [],
      additionals: [],
      edns: { udpSize: UPSTREAM_UDP_SIZE, version: 0, do: dnssecOk, z: 0, options: [] },
    },
    512,
  );
  return { bytes, questionEnd: 12 + question.name.length + 4 };
}

/** A copy of the query with `id` written into its header. */
export function withQueryId(query: UpstreamQuery, id: number): Uint8Array {
  const copy = new Uint8Array(query.bytes);
  copy[0] = id >>> 8;
  copy[1] = id & 0xff;
  return copy;
}
