// The real mcns process queried with BIND's dig and Knot's kdig over UDP and TCP,
// IPv4 and IPv6: the answers a user sees, from socket to socket.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dig, kdig, type DigResult } from './helpers/dig.js';
import { startMcns, type McnsProcess } from './helpers/start-mcns.js';

const TXT = (c: string): string => `"${c.repeat(200)}"`;

const ZONE = `$ORIGIN example.com.
$TTL 3600
@        IN SOA   ns1 hostmaster 2026112201 7200 3600 1209600 300
@        IN NS    ns1
@        IN MX    10 mail
ns1      IN A     192.0.2.53
mail     IN A     192.0.2.25
www      IN A     192.0.2.1
www      IN AAAA  2001:db8::1
alias    IN CNAME www
sub      IN NS    ns.sub
ns.sub   IN A     192.0.2.99
big      IN TXT   ${TXT('a')}
big      IN TXT   ${TXT('b')}
big      IN TXT   ${TXT('c')}
big      IN TXT   ${TXT('d')}
`;

type Tool = (args: readonly string[]) => Promise<DigResult>;
const TOOLS: readonly [string, Tool][] = [['dig', dig], ['kdig', kdig]];

let mcns: McnsProcess;

before(async () => {
  mcns = await startMcns({ zones: { 'example.com.': ZONE } });
});

after(async () => {
  const pid = mcns.pid;
  const exit = mcns.exit();
  const stopped = await mcns.stop();
  assert.equal(exit, null, `mcns ${pid} exited during the tests`);
  assert.equal(stopped.code, 0, `mcns did not stop cleanly on SIGTERM: ${JSON.stringify(stopped)}`);
});

/** Arguments aiming a tool at mcns on `host` over `transport`. */
function at(host: string, transport: 'udp' | 'tcp'): string[] {
  return [`@${host}`, '-p', String(mcns.port), ...(transport === 'tcp' ? ['+tcp'] : ['+notcp'])];
}

function explain(r: DigResult): string {
  return r.output;
}

describe('answers over every address and transport', () => {
  for (const [toolName, tool] of TOOLS) {
    for (const transport of ['udp', 'tcp'] as const) {
      it(`${toolName} over ${transport}, IPv4 and IPv6: A and AAAA`, async () => {
        for (const host of mcns.hosts) {
          const a = await tool([...at(host, transport), 'www.example.com', 'A']);
          assert.equal(a.status, 'NOERROR', explain(a));
          assert.ok(a.flags.includes('qr') && a.flags.includes('aa'), explain(a));
          assert.equal(a.transport, transport.toUpperCase(), explain(a));
          assert.deepEqual(a.answer.map((r) => [r.name, r.type, r.data]), [['www.example.com.', 'A', '192.0.2.1']]);
          const aaaa = await tool([...at(host, transport), 'www.example.com', 'AAAA']);
          assert.deepEqual(aaaa.answer.map((r) => [r.type, r.data]), [['AAAA', '2001:db8::1']], explain(aaaa));
        }
      });
    }
  }
});

describe('answer shapes', () => {
  for (const [toolName, tool] of TOOLS) {
    it(`${toolName}: MX with the exchange's address in additional`, async () => {
      const r = await tool([...at('127.0.0.1', 'udp'), 'example.com', 'MX']);
      assert.equal(r.status, 'NOERROR', explain(r));
      assert.deepEqual(r.answer.map((x) => [x.type, x.data]), [['MX', '10 mail.example.com.']]);
      assert.ok(r.additional.some((x) => x.name === 'mail.example.com.' && x.type === 'A' && x.data === '192.0.2.25'), explain(r));
    });

    it(`${toolName}: CNAME followed to its target`, async () => {
      const r = await tool([...at('127.0.0.1', 'udp'), 'alias.example.com', 'A']);
      assert.equal(r.status, 'NOERROR', explain(r));
      assert.deepEqual(r.answer.map((x) => [x.name, x.type, x.data]), [
        ['alias.example.com.', 'CNAME', 'www.example.com.'],
        ['www.example.com.', 'A', '192.0.2.1'],
      ]);
    });

    it(`${toolName}: NXDOMAIN with the SOA in authority (RFC 2308)`, async () => {
      const r = await tool([...at('127.0.0.1', 'udp'), 'nope.example.com', 'A']);
      assert.equal(r.status, 'NXDOMAIN', explain(r));
      assert.ok(r.flags.includes('aa'));
      assert.equal(r.answer.length, 0);
      assert.deepEqual(r.authority.map((x) => [x.name, x.type]), [['example.com.', 'SOA']], explain(r));
      assert.equal(r.authority[0]?.ttl, 300, 'negative TTL is min(SOA TTL, SOA MINIMUM)');
    });

    it(`${toolName}: NODATA is NOERROR with no answer and the SOA`, async () => {
      const r = await tool([...at('127.0.0.1', 'udp'), 'www.example.com', 'TXT']);
      assert.equal(r.status, 'NOERROR', explain(r));
      assert.equal(r.answer.length, 0, explain(r));
      assert.deepEqual(r.authority.map((x) => x.type), ['SOA'], explain(r));
    });

    it(`${toolName}: a referral below a cut, with glue, not authoritative`, async () => {
      const r = await tool([...at('127.0.0.1', 'udp'), 'host.sub.example.com', 'A']);
      assert.equal(r.status, 'NOERROR', explain(r));
      assert.ok(!r.flags.includes('aa'), explain(r));
      assert.equal(r.answer.length, 0);
      assert.deepEqual(r.authority.map((x) => [x.name, x.type, x.data]), [['sub.example.com.', 'NS', 'ns.sub.example.com.']]);
      assert.deepEqual(r.additional.map((x) => [x.name, x.type, x.data]), [['ns.sub.example.com.', 'A', '192.0.2.99']]);
    });

    it(`${toolName}: REFUSED outside our zones`, async () => {
      const r = await tool([...at('127.0.0.1', 'udp'), 'www.example.org', 'A']);
      assert.equal(r.status, 'REFUSED', explain(r));
      assert.equal(r.answer.length, 0);
    });

    it(`${toolName}: BADVERS for EDNS version 1 (RFC 6891 6.1.3)`, async () => {
      const noRetry = toolName === 'dig' ? ['+noednsneg'] : [];
      const r = await tool([...at('127.0.0.1', 'udp'), '+edns=1', ...noRetry, 'www.example.com', 'A']);
      assert.equal(r.status, 'BADVERS', explain(r));
      assert.equal(r.edns?.version, 0, explain(r));
      assert.equal(r.answer.length, 0);
    });
  }
});

describe('truncation and TCP', () => {
  it('sets TC on a large answer over UDP without EDNS, and gives it whole over TCP', async () => {
    const udp = await dig([...at('127.0.0.1', 'udp'), '+noedns', '+ignore', 'big.example.com', 'TXT']);
    assert.ok(udp.flags.includes('tc'), explain(udp));
    assert.ok((udp.size ?? 0) <= 512, `a UDP reply without EDNS is at most 512 bytes (RFC 1035 4.2.1): ${udp.size}`);
    const tcp = await dig([...at('127.0.0.1', 'tcp'), '+noedns', 'big.example.com', 'TXT']);
    assert.ok(!tcp.flags.includes('tc'), explain(tcp));
    assert.equal(tcp.answer.length, 4, explain(tcp));
    assert.ok((tcp.size ?? 0) > 512);
  });

  it('dig retries a truncated answer over TCP by itself', async () => {
    const r = await dig([`@127.0.0.1`, '-p', String(mcns.port), '+noedns', 'big.example.com', 'TXT']);
    assert.equal(r.answer.length, 4, explain(r));
    assert.equal(r.transport, 'TCP', explain(r));
  });

  it('kdig sees TC with +ignore and the whole answer over IPv6 TCP', async () => {
    const udp = await kdig([...at('127.0.0.1', 'udp'), '+noedns', '+ignore', 'big.example.com', 'TXT']);
    assert.ok(udp.flags.includes('tc'), explain(udp));
    const host = mcns.hosts.at(-1) ?? '127.0.0.1';
    const tcp = await kdig([...at(host, 'tcp'), 'big.example.com', 'TXT']);
    assert.equal(tcp.answer.length, 4, explain(tcp));
  });
});

describe('names', () => {
  it('keeps the case of the question (RFC 4343 4.1) and answers case-insensitively', async () => {
    const r = await dig([...at('127.0.0.1', 'udp'), 'WwW.ExAmPlE.CoM', 'A']);
    assert.equal(r.status, 'NOERROR', explain(r));
    assert.match(r.output, /^;WwW\.ExAmPlE\.CoM\.\s+IN\s+A$/m, 'question echoed as asked');
    assert.equal(r.answer[0]?.name.toLowerCase(), 'www.example.com.');
    assert.equal(r.answer[0]?.data, '192.0.2.1');
  });
});

describe('the UDP path ([dns] udp_io, docs/adr/0004-batched-udp.md)', () => {
  it('serves on the batched socket by default, and says so when it starts', () => {
    assert.match(mcns.logs(), /dns listening on udp \(batched\) and tcp/);
  });

  it('gives the same answers on Node\'s dgram socket with udp_io = "dgram"', async () => {
    const other = await startMcns({ zones: { 'example.com.': ZONE }, dnsConfig: ['udp_io = "dgram"'] });
    try {
      assert.match(other.logs(), /dns listening on udp \(dgram\) and tcp/);
      const args = (host: string): string[] => [`@${host}`, '-p', String(other.port), '+notcp'];
      for (const host of other.hosts) {
        for (const [name, type] of [['www.example.com', 'AAAA'], ['alias.example.com', 'A'], ['nope.example.com', 'A'], ['www.sub.example.com', 'A']]) {
          const [want, got] = await Promise.all([dig([...at(host, 'udp'), name!, type!]), dig([...args(host), name!, type!])]);
          assert.equal(got.status, want.status, explain(got));
          assert.deepEqual(got.flags, want.flags, explain(got));
          assert.deepEqual(got.answer, want.answer, explain(got));
          assert.deepEqual(got.authority, want.authority, explain(got));
        }
      }
      const udp = await kdig([...args('127.0.0.1'), '+noedns', '+ignore', 'big.example.com', 'TXT']);
      assert.ok(udp.flags.includes('tc'), explain(udp));
    } finally {
      assert.equal((await other.stop()).code, 0);
    }
  });
});
