// Step 2 of the query path: what kind of request this is, decided once so the
// engine can dispatch with one switch.
import { Opcode, RRType, type Message } from '../wire/index.js';

/** The kinds of request the engine tells apart. */
export type RequestKind = 'query' | 'axfr' | 'ixfr' | 'notify' | 'update';

/** Classifies a request that passed preflight (one question; opcode QUERY, NOTIFY or UPDATE). */
export function classifyRequest(msg: Message): RequestKind {
  switch (msg.header.opcode) {
    case Opcode.NOTIFY:
      return 'notify';
    case Opcode.UPDATE:
      return 'update';
    default: {
      const qtype = msg.questions[0]!.type;
      if (qtype === RRType.AXFR) return 'axfr';
      if (qtype === RRType.IXFR) return 'ixfr';
      return 'query';
    }
  }
}
