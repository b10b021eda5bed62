// Builds the responses the fake upstreams send, with dns-packet (independent of
// mcns's codec): a proper answer to a query, or the same with something wrong.
import dnsPacket from 'dns-packet';

/** What to put in a scripted response. */
export interface ScriptedAnswer {
  readonly rcode?: 'NOERROR' | 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN';
  /** A records for the question name. */
  readonly addresses?: readonly string[];
  readonly ttl?: number;
  /** Override the ID (a spoofer guessing wrong). */
  readonly id?: number;
  /** Override the question name (a response to another query). */
  readonly questionName?: string;
}

/** A response to `query` (raw bytes as received) shaped by `how`. */
export function scriptedAnswer(query: Uint8Array, how: ScriptedAnswer): Buffer {
  const asked = dnsPacket.decode(Buffer.from(query));
  const question = asked.questions![0]!;
  const name = how.questionName ?? question.name;
  const rcodeBits = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 }[how.rcode ?? 'NOERROR'];
  return dnsPacket.encode({
    type: 'response',
    id: how.id ?? asked.id!,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcodeBits,
    questions: [{ name, type: question.type, class: question.class }],
    answers: (how.addresses ?? []).map((data) => ({ name, type: 'A' as const, ttl: how.ttl ?? 300, data })),
  });
}

/** The ID and question name of a raw query. */
export function queryInfo(query: Uint8Array): { id: number; name: string } {
  const asked = dnsPacket.decode(Buffer.from(query));
  return { id: asked.id!, name: asked.questions![0]!.name };
}
