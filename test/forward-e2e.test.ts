// Issue 5 end to end: a real `mcns serve` forwarding to a real knotd on loopback,
// queried with dig from two loopback source addresses, one inside allow_recursion
// and one outside. Seed 004's most common support call (a client pointed at the
// authoritative address gets REFUSED for public names) must explain itself.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dig } from './helpers/dig.js';
import { startMcns, type McnsProcess } from './helpers/start-mcns.js';
import { startKnotUpstream, type KnotUpstream } from './forward/knot-upstream.js';

const OURS = `
$TTL 300
@    SOA ns1 hostmaster 1 7200 900 1209600 300
@    NS  ns1
ns1  A   192.0.2.1
www  A   192.0.2.3
`;

const UPSTREAM_ZONE = `
$TTL 600
@    SOA ns1 hostmaster 7 7200 900 1209600 120
@    NS  ns1
ns1  A   198.51.100.1
www  A   198.51.100.80
`;

// The client 127.0.0.2 may recurse; 127.0.0.1 (dig's default source) may not.
const ADMITTED = '127.0.0.2';

let knot: KnotUpstream;
let mcns: McnsProcess;

before(async () => {
  knot = await startKnotUpstream([{ origin: 'public.test.', text: UPSTREAM_ZONE }]);
  mcns = await startMcns({
    zones: { 'example.com.': OURS },
    configExtra: `[forward]\nupstreams = ["${knot.address}"]\nallow_recursion = ["${ADMITTED}/32"]\n`,
  });
});

after(async () => {
  await mcns?.stop();
  await knot?.close();
});

function at(extra: readonly string[]): string[] {
  return ['@127.0.0.1', '-p', String(mcns.port), '+time=3', '+tries=1', ...extra];
}

test('an admitted client gets the upstream answer: NOERROR, AA clear, RA set, then the same from the cache', async () => {
  const first = await dig([...at(['-b', ADMITTED, 'www.public.test.', 'A'])]);
  assert.equal(first.status, 'NOERROR', first.output);
  assert.deepEqual(first.answer.map((r) => r.data), ['198.51.100.80']);
  assert.ok(first.flags.includes('ra'), 'RA: recursion is available to this client');
  assert.ok(!first.flags.includes('aa'), 'AA clear: not our data');
  const second = await dig([...at(['-b', ADMITTED, 'www.public.test.', 'A'])]);
  assert.equal(second.status, 'NOERROR');
  assert.ok(second.answer[0]!.ttl <= first.answer[0]!.ttl, 'the cached copy counts its TTL down');
});

test('a client outside allow_recursion is REFUSED and told why (EDE 18)', async () => {
  const r = await dig([...at(['www.public.test.', 'A'])]);
  assert.equal(r.status, 'REFUSED', r.output);
  assert.ok(!r.flags.includes('ra'), 'no RA for a client that may not recurse');
  assert.match(r.output, /EDE: 18 \(Prohibited\): \(recursion not allowed for this client\)/);
});

test('RD clear for a name outside our zones is REFUSED with EDE 20', async () => {
  const r = await dig([...at(['-b', ADMITTED, '+norec', 'www.public.test.', 'A'])]);
  assert.equal(r.status, 'REFUSED', r.output);
  assert.match(r.output, /EDE: 20 \(Not Authoritative\)/);
});

test('our own zones answer authoritatively to both clients, with RA only for the admitted one', async () => {
  const inside = await dig([...at(['-b', ADMITTED, 'www.example.com.', 'A'])]);
  const outside = await dig([...at(['www.example.com.', 'A'])]);
  for (const r of [inside, outside]) {
    assert.equal(r.status, 'NOERROR', r.output);
    assert.ok(r.flags.includes('aa'));
    assert.deepEqual(r.answer.map((x) => x.data), ['192.0.2.3']);
  }
  assert.ok(inside.flags.includes('ra'));
  assert.ok(!outside.flags.includes('ra'));
});

test('an upstream NXDOMAIN is relayed with its SOA', async () => {
  const r = await dig([...at(['-b', ADMITTED, 'nothere.public.test.', 'A'])]);
  assert.equal(r.status, 'NXDOMAIN', r.output);
  assert.equal(r.authority[0]?.type, 'SOA');
});

test('over TCP too', async () => {
  const r = await dig([...at(['-b', ADMITTED, '+tcp', 'www.public.test.', 'A'])]);
  assert.equal(r.status, 'NOERROR', r.output);
  assert.deepEqual(r.answer.map((x) => x.data), ['198.51.100.80']);
});
