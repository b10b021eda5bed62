// 20 REST clients write to one zone at once (20 × 50 changes) against a real
// `mcns serve`: no request fails, nothing says "database is locked", every change
// gets its own serial (strictly increasing for each client, all distinct), and every
// acknowledged change is in DNS right after its 200 and in the API afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { ApiClient } from '../src/cli/api-client.js';
import type { ChangeResult } from '../src/service/index.js';
import { buildQuery, decodeReply, queryUdp } from './helpers/dns-client.js';
import { startMcns } from './helpers/start-mcns.js';

const CLIENTS = 20;
const CHANGES_PER_CLIENT = 50;
const ZONE = 'load.example.';

/** The A records of `name` the server answers with right now (UDP, dns-packet decoding). */
async function answerA(host: string, port: number, name: string): Promise<string[]> {
  const reply = decodeReply(await queryUdp(host, port, buildQuery(name, 'A' as dnsPacket.RecordType), 2_000));
  return (reply?.answers ?? []).flatMap((a) => (a.type === 'A' ? [String(a.data)] : [])).sort();
}

test(`${CLIENTS} concurrent REST clients × ${CHANGES_PER_CLIENT} changes to one zone: no failure, no lock, distinct serials, all visible`, { timeout: 180_000 }, async () => {
  const proc = await startMcns({ api: true });
  const api = proc.api!;
  const host = proc.hosts[0]!;
  const clients: ApiClient[] = [];
  try {
    const boot = await proc.cli(['token', 'create', '--name', 'loader', '--role', 'admin']);
    assert.equal(boot.code, 0, boot.stderr);
    const token = boot.stdout.trim();
    for (let c = 0; c < CLIENTS; c++) clients.push(new ApiClient({ baseUrl: api.restUrl, caCert: api.caCert, token, connections: 1 }));
    const created = await clients[0]!.call('createZone', { zone: ZONE, nameservers: ['ns1.example.net.'] });
    const start = created.serial;

    const failures: string[] = [];
    const notVisible: string[] = [];
    const results: { client: number; i: number; name: string; address: string; r: ChangeResult }[] = [];
    const began = process.hrtime.bigint();
    await Promise.all(clients.map(async (client, c) => {
      for (let i = 0; i < CHANGES_PER_CLIENT; i++) {
        const name = `c${c}-n${i}.${ZONE}`;
        const address = `10.${c}.${i >> 8}.${i & 255}`;
        try {
          // Alternate the two single-change operations, so both take the concurrent path.
          const r = i % 2 === 0
            ? await client.call('replaceRRset', { zone: ZONE, name, type: 'A', ttl: 300, records: [address] })
            : await client.call('addRecords', { zone: ZONE, name, type: 'A', ttl: 300, records: [address] });
          results.push({ client: c, i, name, address, r });
          // Visible when the call returns: asked at once, no retry.
          const seen = await answerA(host, proc.port, name);
          if (seen.join() !== address) notVisible.push(`${name}: ${JSON.stringify(seen)} right after serial ${r.serialAfter}`);
        } catch (err) {
          failures.push(`client ${c} change ${i}: ${(err as Error).message}`);
        }
      }
    }));
    const seconds = Number(process.hrtime.bigint() - began) / 1e9;
    const total = CLIENTS * CHANGES_PER_CLIENT;

    assert.deepEqual(failures, [], 'no request failed');
    assert.equal(results.length, total);
    assert.ok(!/database is locked|SQLITE_BUSY/i.test(proc.logs()), 'no "database is locked" in the server log');
    assert.deepEqual(notVisible, [], 'every change is answered by DNS as soon as its call returns');

    // Serials: one per change, all distinct, strictly increasing in each client's order.
    const serials = results.map((x) => x.r.serialAfter);
    assert.equal(new Set(serials).size, total, 'every change has its own serial');
    for (const x of results) assert.ok(x.r.serialAfter > x.r.serialBefore, `serial ${x.r.serialBefore} -> ${x.r.serialAfter}`);
    for (let c = 0; c < CLIENTS; c++) {
      const mine = results.filter((x) => x.client === c).sort((a, b) => a.i - b.i).map((x) => x.r.serialAfter);
      for (let k = 1; k < mine.length; k++) assert.ok(mine[k]! > mine[k - 1]!, `client ${c}: serials ${mine[k - 1]} then ${mine[k]}`);
    }
    const sorted = [...serials].sort((a, b) => a - b);
    assert.ok(sorted[0]! > start, 'every change comes after the creation serial');

    // Every acknowledged change through the API (all pages) and through DNS.
    const rrsets = await clients[0]!.collect('listRRsets', { zone: ZONE, type: 'A' });
    const stored = new Map(rrsets.map((s) => [s.name, [...s.records].sort().join()]));
    const missing = results.filter((x) => stored.get(x.name) !== x.address).map((x) => x.name);
    assert.deepEqual(missing, [], 'every change is stored');
    const zone = await clients[0]!.call('getZone', { zone: ZONE });
    assert.equal(zone.serial, sorted[total - 1], 'the zone ends at the last change\'s serial');
    for (let k = 0; k < results.length; k += 50) {
      const batch = results.slice(k, k + 50);
      const seen = await Promise.all(batch.map((x) => answerA(host, proc.port, x.name)));
      batch.forEach((x, j) => assert.equal(seen[j]!.join(), x.address, `${x.name} in DNS`));
    }
    // For the record (the bench measures this properly): changes per second here, DNS checks included.
    process.stdout.write(`# ${total} changes from ${CLIENTS} clients in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} changes/s (each followed by a DNS query)\n`);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    const end = await proc.stop();
    assert.equal(end.code, 0, `mcns serve ended with ${JSON.stringify(end)}:\n${proc.logs()}`);
  }
});
