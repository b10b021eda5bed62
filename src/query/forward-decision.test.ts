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

/**
 * A port that admits 127.0.0.1 only and answers every question with one A record
 * of TTL 60 (or the given outcome); `generation` and `hits` are for the tests to move and read.
 */
function port(outcome?: ForwardOutcome): ForwardPort & { asked: Question[]; generation: number; hits: number } {
  const asked: Question[] = [];
  return {
    enabled: true,
    asked,
    isRecursionAllowed: (address) => address === '127.0.0.1',
    generation: 0,
    hits: 0,
    noteCacheHit() {
      this.hits++;
    },
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

function query(qname: string, o: { rd?: boolean; edns?: boolean; ad?: boolean; id?: number } = {}): Uint8Array {
  const msg: Message = {
    header: { id: o.id ?? 7, qr: false, opcode: 0, aa: false, tc: false, rd: o.rd ?? true, ra: false, z: false, ad: o.ad ?? false, cd: false },
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

// Forwarded replies kept in the engine's answer cache (ADR 0003): one probe answers
// a repeated forwarded question, as for an authoritative one.

/** A clock the test moves, in ms. */
function clock(): { now: () => number; advance: (seconds: number) => void } {
  let ms = 1_700_000_000_000;
  return { now: () => ms, advance: (seconds) => { ms += seconds * 1000; } };
}

test('a fresh forwarded answer is kept: the repeat is answered from the answer cache with its TTL counted down, RA set, the hit counted', async () => {
  const p = port();
  const t = clock();
  const engine = createQueryEngine({ zones: zones(), forward: p, now: t.now });
  const first = await ask(engine, query('www.example.org.', { id: 1 }), ALLOWED);
  assert.equal(first.answers[0]!.ttl, 60);
  t.advance(25);
  const reply = engine.handle(query('www.example.org.', { id: 2 }), ALLOWED);
  assert.ok(reply instanceof Uint8Array, 'answered at once, without a promise');
  const second = decodeMessage(reply);
  assert.equal(p.asked.length, 1, 'the upstreams were asked once');
  assert.equal(second.header.id, 2);
  assert.equal(second.header.ra, true);
  assert.equal(second.header.aa, false);
  assert.equal(second.answers[0]!.ttl, 35, 'the TTL counts down from when the answer was kept');
  assert.equal(second.edns?.udpSize, 1232, 'the OPT record is untouched');
  assert.equal(p.hits, 1, 'the forwarder counts the hit (mcns_forward_cache_hits_total)');
  assert.equal(engine.stats.forwardCacheHits, 1);
  t.advance(1);
  assert.equal(decodeMessage(engine.handle(query('www.example.org.'), ALLOWED) as Uint8Array).answers[0]!.ttl, 34);
});

test('a kept forwarded answer expires with its TTL: the next question goes to the forwarder again', async () => {
  const p = port();
  const t = clock();
  const engine = createQueryEngine({ zones: zones(), forward: p, now: t.now });
  await ask(engine, query('www.example.org.'), ALLOWED);
  t.advance(59);
  await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(p.asked.length, 1, 'still fresh at 59 s');
  t.advance(1);
  const again = await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(p.asked.length, 2, 'expired at 60 s');
  assert.equal(again.answers[0]!.ttl, 60);
});

test('a kept forwarded answer is never served to a client outside allow_recursion', async () => {
  const p = port();
  const engine = createQueryEngine({ zones: zones(), forward: p });
  await ask(engine, query('www.example.org.'), ALLOWED);
  const refused = await ask(engine, query('www.example.org.'), OUTSIDER);
  assert.equal(refused.rcode, Rcode.REFUSED);
  assert.equal(refused.answers.length, 0);
});

test('a flush of the forwarder\'s cache (its generation moves) empties the kept copies', async () => {
  const p = port();
  const engine = createQueryEngine({ zones: zones(), forward: p });
  await ask(engine, query('www.example.org.'), ALLOWED);
  await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(p.asked.length, 1);
  p.generation++;
  await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(p.asked.length, 2);
});

test('a zone that comes to own the name takes over from a kept forwarded answer', async () => {
  const table = zones();
  const engine = createQueryEngine({ zones: table, forward: port() });
  await ask(engine, query('www.example.org.'), ALLOWED);
  const org = nameFromText('example.org.');
  table.set(buildZoneSnapshot(org, parseZoneFile('$TTL 300\n@ SOA ns1 h 1 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.99\n', { origin: org, fileName: 'z' }).records));
  const m = await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(m.header.aa, true);
  assert.equal(m.answers[0]!.ttl, 300);
});

test('a zone added while a question is with the upstreams: the late forwarded answer is not kept', async () => {
  const table = zones();
  let release: (o: ForwardOutcome) => void = () => {};
  const p = port();
  p.resolve = (question) => {
    p.asked.push(question);
    return new Promise<ForwardOutcome>((resolve) => { release = resolve; });
  };
  const engine = createQueryEngine({ zones: table, forward: p });
  const pending = engine.handle(query('www.example.org.'), ALLOWED);
  const org = nameFromText('example.org.');
  table.set(buildZoneSnapshot(org, parseZoneFile('$TTL 300\n@ SOA ns1 h 1 7200 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nwww A 192.0.2.99\n', { origin: org, fileName: 'z' }).records));
  release({
    kind: 'answer', rcode: Rcode.NOERROR, authenticData: false, ede: null, authorities: [], additionals: [],
    answers: [{ name: nameFromText('www.example.org.'), type: RRType.A, class: 1, ttl: 60, rdata: rdataFromText(RRType.A, [{ text: '203.0.113.5', quoted: false }], ORIGIN) }],
  });
  assert.equal(decodeMessage((await pending) as Uint8Array).header.aa, false, 'the client that asked gets the upstream answer');
  const m = await ask(engine, query('www.example.org.'), ALLOWED);
  assert.equal(m.header.aa, true, 'the next one gets the zone');
});

test('stale answers, failures and TTL 0 are not kept', async () => {
  const a = { kind: 'answer', rcode: Rcode.NOERROR, authenticData: false, authorities: [], additionals: [] } as const;
  const rr = (ttl: number) => [{ name: nameFromText('www.example.org.'), type: RRType.A, class: 1, ttl, rdata: rdataFromText(RRType.A, [{ text: '203.0.113.5', quoted: false }], ORIGIN) }];
  const outcomes: ForwardOutcome[] = [
    { ...a, answers: rr(30), ede: { code: EdeCode.STALE_ANSWER, text: 'stale' } },
    { kind: 'failure', reason: 'timeout', ede: { code: EdeCode.NO_REACHABLE_AUTHORITY, text: 'no upstream resolver answered' } },
    { ...a, answers: rr(0), ede: null },
  ];
  for (const outcome of outcomes) {
    const p = port(outcome);
    const engine = createQueryEngine({ zones: zones(), forward: p });
    await ask(engine, query('www.example.org.'), ALLOWED);
    await ask(engine, query('www.example.org.'), ALLOWED);
    assert.equal(p.asked.length, 2, `${outcome.kind} ${outcome.ede?.text ?? ''} asked again`);
  }
});

test('AD from the upstream reaches only DO or AD askers, kept answers included', async () => {
  const p = port({
    kind: 'answer', rcode: Rcode.NOERROR, authenticData: true, ede: null, authorities: [], additionals: [],
    answers: [{ name: nameFromText('www.example.org.'), type: RRType.A, class: 1, ttl: 60, rdata: rdataFromText(RRType.A, [{ text: '203.0.113.5', quoted: false }], ORIGIN) }],
  });
  const engine = createQueryEngine({ zones: zones(), forward: p });
  for (let i = 0; i < 2; i++) {
    assert.equal((await ask(engine, query('www.example.org.', { ad: true }), ALLOWED)).header.ad, true, `AD asker, round ${i}`);
    assert.equal((await ask(engine, query('www.example.org.'), ALLOWED)).header.ad, false, `plain asker, round ${i}`);
  }
  assert.equal(p.asked.length, 2, 'each asked once, then kept');
});

test('a reply from the forwarder\'s own cache is kept too: the next asker takes one probe', () => {
  const p = port();
  let calls = 0;
  p.respondFromRequest = (request) => {
    calls++;
    const q = decodeMessage(request);
    return encodeMessage({
      header: { ...q.header, qr: true, ra: true },
      rcode: Rcode.NOERROR, questions: q.questions, authorities: [], additionals: [], edns: q.edns,
      answers: [{ name: q.questions[0]!.name, type: RRType.A, class: 1, ttl: 60, rdata: rdataFromText(RRType.A, [{ text: '203.0.113.5', quoted: false }], ORIGIN) }],
    });
  };
  const engine = createQueryEngine({ zones: zones(), forward: p });
  for (let id = 1; id <= 3; id++) {
    const m = decodeMessage(engine.handle(query('www.example.org.', { id }), ALLOWED) as Uint8Array);
    assert.equal(m.header.id, id);
    assert.equal(m.answers[0]!.ttl, 60);
  }
  assert.equal(calls, 1, 'the forwarder was asked once');
  assert.equal(p.asked.length, 0, 'nothing went upstream');
  assert.equal(engine.stats.forwardCacheHits, 3);
  assert.equal(p.hits, 2, 'the two hits on the kept copy are counted through the port');
});
