// The engine's decisions for names in none of our zones (issue 5): forward for an
// admitted client that asked for recursion, otherwise REFUSED with an EDE that says
// why; RA set exactly where recursion is available to the client. The port here is
// scripted so each branch can be reached; test/forward-e2e.test.ts runs the real
// forwarder against real upstreams.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EdeCode, RRType, Rcode, decodeMessage, encodeMessage, nameFromText, parseEdeOption, parseZoneFile, rdataFromText,
  type Message, type Question,
} from '../wire/index.js';
import { buildZoneSnapshot, ZoneTable } from '../zone/index.js';
import { createQueryEngine, type ForwardOutcome, type ForwardPort, type RequestContext } from './index.js';

const ORIGIN = nameFromText('example.com.');
const ZONE = `
$TTL 300
@   SOA ns1 hostmaster 1 7200 900 1209600 300
@   NS  ns1
ns1 A   192.0.2.1
www A   192.0.2.3
`;

function zones(): ZoneTable {
  const table = new ZoneTable();
  table.set(buildZoneSnapshot(ORIGIN, parseZoneFile(ZONE, { origin: ORIGIN, fileName: 'z' }).records));
  return table;
}

const ALLOWED: RequestContext = { transport: 'udp', remoteAddress: '127.0.0.1', remotePort: 5353 };
const OUTSIDER: RequestContext = { transport: 'udp', remoteAddress: '198.51.100.7', remotePort: 5353 };

/** A port that admits 127.0.0.1 only and answers every question with one A record (or the given outcome). */
function port(outcome?: ForwardOutcome): ForwardPort & { asked: Question[] } {
  const asked: Question[] = [];
  return {
    enabled: true,
    asked,
    isRecursionAllowed: (address) => address === '127.0.0.1',
    respondFromRequest: () => null,
    resolve: async (question) => {
      asked.push(question);
      return outcome ?? {
        kind: 'answer', rcode: Rcode.NOERROR, authenticData: false, ede: null, authorities: [], additionals: [],
        answers: [{ name: question.name, type: RRType.A, class: 1, ttl: 60, rdata: rdataFromText(RRType.A, [{ text: '203.0.113.5', quoted: false }], ORIGIN) }],
      };
    },
  };
}

function query(qname: string, o: { rd?: boolean; edns?: boolean } = {}): Uint8Array {
  const msg: Message = {
    header: { id: 7, qr: false, opcode: 0, aa: false, tc: false, rd: o.rd ?? true, ra: false, z: false, ad: false, cd: false },
    rcode: 0, questions: [{ name: nameFromText(qname), type: RRType.A, class: 1 }], answers: [], authorities: [], additionals: [],
    edns: o.edns === false ? null : { udpSize: 1232, version: 0, do: false, z: 0, options: [] },
  };
  return encodeMessage(msg);
}

async function ask(engine: ReturnType<typeof createQueryEngine>, bytes: Uint8Array, ctx: RequestContext): Promise<Message> {
  const reply = await engine.handle(bytes, ctx);
  assert.ok(reply instanceof Uint8Array, 'one reply');
  return decodeMessage(reply);
}

function ede(m: Message): { infoCode: number; text: string } | null {
  const opt = m.edns?.options.find((o) => o.code === 15);
  return opt === undefined ? null : parseEdeOption(opt);
}

test('without forwarding, a name outside our zones is REFUSED with EDE 20 and RA clear', async () => {
  const engine = createQueryEngine({ zones: zones() });
  const m = await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(m.rcode, Rcode.REFUSED);
  assert.equal(m.header.ra, false);
  assert.deepEqual(ede(m), { infoCode: EdeCode.NOT_AUTHORITATIVE, text: 'not authoritative and forwarding disabled' });
});

test('a client outside allow_recursion is REFUSED with EDE 18, and that refusal is not cached for others', async () => {
  const p = port();
  const engine = createQueryEngine({ zones: zones(), forward: p });
  const refused = await ask(engine, query('www.example.org.'), OUTSIDER);
  assert.equal(refused.rcode, Rcode.REFUSED);
  assert.equal(refused.header.ra, false, 'no recursion for this client, so no RA');
  assert.deepEqual(ede(refused), { infoCode: EdeCode.PROHIBITED, text: 'recursion not allowed for this client' });
  assert.equal(p.asked.length, 0, 'nothing was forwarded');
  const answered = await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(answered.rcode, Rcode.NOERROR);
  assert.equal(p.asked.length, 1);
});

test('an admitted client gets the upstream answer with AA clear and RA set', async () => {
  const p = port();
  const engine = createQueryEngine({ zones: zones(), forward: p });
  const m = await ask(engine, query('Www.Example.Org.'), ALLOWED);
  assert.equal(m.rcode, Rcode.NOERROR);
  assert.equal(m.header.aa, false);
  assert.equal(m.header.ra, true);
  assert.equal(m.answers.length, 1);
  assert.equal(engine.stats.forwarded, 1);
});

test('RD clear outside our zones is REFUSED with EDE 20 (recursion not desired)', async () => {
  const engine = createQueryEngine({ zones: zones(), forward: port() });
  const m = await ask(engine, query('www.example.org.', { rd: false }), ALLOWED);
  assert.equal(m.rcode, Rcode.REFUSED);
  assert.equal(ede(m)?.infoCode, EdeCode.NOT_AUTHORITATIVE);
});

test('a client without EDNS gets the bare REFUSED (an EDE needs OPT)', async () => {
  const engine = createQueryEngine({ zones: zones(), forward: port() });
  const m = await ask(engine, query('www.example.org.', { edns: false }), OUTSIDER);
  assert.equal(m.rcode, Rcode.REFUSED);
  assert.equal(m.edns, null);
});

test('authoritative answers carry RA only for clients recursion is available to, cache hits included', async () => {
  const engine = createQueryEngine({ zones: zones(), forward: port() });
  for (let i = 0; i < 2; i++) {
    const inside = await ask(engine, query('www.example.com.'), ALLOWED);
    const outside = await ask(engine, query('www.example.com.'), OUTSIDER);
    assert.equal(inside.header.aa && inside.header.ra, true, `admitted client, round ${i}`);
    assert.equal(outside.header.aa, true);
    assert.equal(outside.header.ra, false, `outsider, round ${i}`);
  }
  assert.ok(engine.stats.cacheHits >= 2);
});

test('when every upstream fails the answer is SERVFAIL with the forwarder\'s EDE', async () => {
  const failure: ForwardOutcome = { kind: 'failure', reason: 'all-upstreams-failed', ede: { code: EdeCode.NO_REACHABLE_AUTHORITY, text: 'no upstream resolver answered' } };
  const engine = createQueryEngine({ zones: zones(), forward: port(failure) });
  const m = await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(m.rcode, Rcode.SERVFAIL);
  assert.deepEqual(ede(m), { infoCode: EdeCode.NO_REACHABLE_AUTHORITY, text: 'no upstream resolver answered' });
});

test('a forward the engine was closed during sends nothing', async () => {
  const engine = createQueryEngine({ zones: zones(), forward: port({ kind: 'failure', reason: 'closed', ede: { code: 0, text: '' } }) });
  assert.equal(await engine.handle(query('www.example.org.'), ALLOWED), null);
});
