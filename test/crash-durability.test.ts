// Durability under a crash: REST writes stream into a real `mcns serve` (one client
// in sequence, three at once), the server is killed with SIGKILL at a random moment
// mid-stream, restarted on the same config, and every write that was acknowledged
// (HTTP 2xx) must be there: through REST, through DNS (every name over UDP, a sample
// with dig), with a zone serial at least the last acknowledged one, and the database
// must pass `mcns integrity-check`. Writes cut by the kill may or may not be there.
// The change log (written before each COMMIT, fsynced beside it) holds every
// acknowledged write and exactly what the database holds: an unbroken chain of
// serials ending at the zone's serial.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { changeLogFiles, readChangeLog } from '../src/store/index.js';
import { ApiClient } from '../src/cli/api-client.js';
import { dig } from './helpers/dig.js';
import { buildQuery, decodeReply, queryUdp } from './helpers/dns-client.js';
import { startMcns, type McnsProcess } from './helpers/start-mcns.js';

const ZONE = 'crash.example.';
const WORKERS = 4; // worker 0 alone would be the sequential case; 1-3 run beside it
const MAX_WRITES = 2_000;
const MAX_MS = 10_000;

interface Acked {
  readonly name: string;
  readonly address: string;
  readonly serialAfter: number;
}

async function answerA(host: string, port: number, name: string): Promise<string[]> {
  const reply = decodeReply(await queryUdp(host, port, buildQuery(name, 'A' as dnsPacket.RecordType), 2_000));
  return (reply?.answers ?? []).flatMap((a) => (a.type === 'A' ? [String(a.data)] : []));
}

/** An mcns with its API, and an admin token made with the CLI. */
async function startWithAdmin(): Promise<{ proc: McnsProcess; token: string }> {
  const proc = await startMcns({ api: true });
  const made = await proc.cli(['token', 'create', '--name', 'admin', '--role', 'admin']);
  if (made.code !== 0) await proc.stop();
  assert.equal(made.code, 0, made.stderr);
  return { proc, token: made.stdout.trim() };
}

async function waitKilled(proc: McnsProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (proc.exit() === null) {
    if (Date.now() > deadline) assert.fail('the killed process did not end');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('kill -9 mid-stream: every acknowledged REST write survives the restart (REST, DNS, serial, integrity-check)', { timeout: 120_000 }, async (t) => {
  const { proc: first, token } = await startWithAdmin();
  let proc: McnsProcess = first;
  const clients: ApiClient[] = [];
  try {
    const api = first.api!;
    for (let w = 0; w < WORKERS; w++) clients.push(new ApiClient({ baseUrl: api.restUrl, caCert: api.caCert, token, connections: 1, timeoutMs: 10_000 }));
    await clients[0]!.call('createZone', { zone: ZONE, nameservers: ['ns1.example.net.'] });

    // The kill comes after a random number of acknowledged writes, with writes in flight on every worker.
    const killAfter = 30 + Math.floor(Math.random() * 500); // about 100 writes/s with fsync: 0.3 to 5 s in
    t.diagnostic(`kill -9 after ${killAfter} acknowledged writes`);
    const acked: Acked[] = [];
    const failures: string[] = [];
    let killed = false;
    let sent = 0;
    const began = Date.now();
    const kill = (): void => {
      if (killed) return;
      killed = true;
      process.kill(first.pid, 'SIGKILL');
    };
    await Promise.all(clients.map(async (client, w) => {
      for (let i = 0; !killed && sent < MAX_WRITES && Date.now() - began < MAX_MS; i++) {
        sent++;
        const name = `w${w}-${i}.${ZONE}`;
        const address = `10.${w}.${i >> 8}.${i & 255}`;
        try {
          const r = await client.call('addRecords', { zone: ZONE, name, type: 'A', ttl: 300, records: [address] });
          acked.push({ name, address, serialAfter: r.serialAfter });
          if (acked.length >= killAfter) kill();
        } catch (err) {
          if (!killed) failures.push(`${name}: ${(err as Error).message}`);
          return;
        }
      }
    }));
    kill(); // in case the stream ended first (it should not: killAfter < MAX_WRITES)
    assert.deepEqual(failures, [], 'no write failed before the kill');
    await waitKilled(first);
    assert.equal(first.exit()?.signal, 'SIGKILL');
    t.diagnostic(`${acked.length} writes acknowledged, ${sent} sent, killed ${Date.now() - began} ms into the stream`);
    assert.ok(acked.length >= killAfter);

    proc = await first.restart();
    const host = proc.hosts[0]!;
    const reader = new ApiClient({ baseUrl: api.restUrl, caCert: api.caCert, token, connections: 1 });
    clients.push(reader);

    // REST: every acknowledged name holds its address.
    const rrsets = await reader.collect('listRRsets', { zone: ZONE, type: 'A' });
    const stored = new Map(rrsets.map((s) => [s.name, [...s.records]]));
    const missingRest = acked.filter((a) => !(stored.get(a.name) ?? []).includes(a.address)).map((a) => a.name);
    assert.deepEqual(missingRest, [], 'every acknowledged write is in the API after the restart');

    // DNS: every name over UDP, and a sample (the last acknowledged included) with dig.
    const missingDns: string[] = [];
    for (const a of acked) if (!(await answerA(host, proc.port, a.name)).includes(a.address)) missingDns.push(a.name);
    assert.deepEqual(missingDns, [], 'every acknowledged write is answered by DNS after the restart');
    const sample = [acked[acked.length - 1]!, ...acked.filter((_, k) => k % Math.max(1, Math.floor(acked.length / 19)) === 0).slice(0, 19)];
    for (const a of sample) {
      const r = await dig([`@${host}`, '-p', String(proc.port), a.name, 'A', '+norecurse']);
      assert.equal(r.status, 'NOERROR', r.output);
      assert.ok(r.answer.some((rr) => rr.type === 'A' && rr.data === a.address), r.output);
    }

    // The serial never goes back below an acknowledged one.
    const lastSerial = Math.max(...acked.map((a) => a.serialAfter));
    const zone = await reader.call('getZone', { zone: ZONE });
    assert.ok(zone.serial >= lastSerial, `zone serial ${zone.serial} < last acknowledged ${lastSerial}`);
    const soa = await dig([`@${host}`, '-p', String(proc.port), ZONE, 'SOA', '+short']);
    assert.equal(Number(soa.output.trim().split(/\s+/)[2]), zone.serial, soa.output);

    const check = await proc.cli(['integrity-check']);
    assert.equal(check.code, 0, check.stdout + check.stderr);

    // The change log after the restart: every acknowledged serial, a chain without gaps, ending where the database is.
    const { lines, torn } = readChangeLog(changeLogFiles(join(proc.dir, 'journal')));
    assert.equal(torn, null, 'a torn last line is dropped when the restarted server opens the log');
    const chain = lines.flatMap((l) => (l.entry.kind === 'change' && l.entry.zone === ZONE ? [l.entry] : []));
    const logged = new Set(chain.map((c) => c.serialAfter));
    assert.deepEqual(acked.filter((a) => !logged.has(a.serialAfter)).map((a) => a.name), [], 'every acknowledged write is in the change log');
    for (let k = 1; k < chain.length; k++) {
      assert.equal(chain[k]!.serialBefore, chain[k - 1]!.serialAfter, `change log chain broken at ${lines[k]?.where ?? k}`);
    }
    assert.equal(chain.at(-1)?.serialAfter, zone.serial, 'the change log ends at the serial the database has');
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    if (proc === first && first.exit() === null) process.kill(first.pid, 'SIGKILL');
    await proc.stop();
  }
});

test('after kill -9 the restarted server cuts a change-log line whose COMMIT never happened, though its start-up check empties the WAL', { timeout: 60_000 }, async () => {
  const { proc: first, token } = await startWithAdmin();
  let proc: McnsProcess = first;
  const clients: ApiClient[] = [];
  try {
    const api = first.api!;
    const client = new ApiClient({ baseUrl: api.restUrl, caCert: api.caCert, token, connections: 1 });
    clients.push(client);
    await client.call('createZone', { zone: ZONE, nameservers: ['ns1.example.net.'] });
    await client.call('addRecords', { zone: ZONE, name: `a.${ZONE}`, type: 'A', ttl: 300, records: ['10.0.0.1'] });
    process.kill(first.pid, 'SIGKILL');
    await waitKilled(first);

    // What a kill between writing a batch's line and its COMMIT leaves: one more line, which the database lacks.
    const files = changeLogFiles(join(first.dir, 'journal'));
    const before = readChangeLog(files).lines;
    const last = before.at(-1)!.entry;
    assert.equal(last.kind, 'change');
    const newest = files.at(-1)!;
    const text = readFileSync(newest, 'utf8').trimEnd().split('\n').at(-1)!;
    const line = JSON.parse(text) as { serialBefore: number; serialAfter: number; time: string };
    appendFileSync(newest, `${JSON.stringify({ ...line, serialBefore: line.serialAfter, serialAfter: line.serialAfter + 1, time: '2099-01-01T00:00:00.000Z' })}\n`);
    assert.equal(readChangeLog(files).lines.length, before.length + 1);

    proc = await first.restart();
    const zone = await client.call('getZone', { zone: ZONE });
    const after = readChangeLog(changeLogFiles(join(proc.dir, 'journal'))).lines;
    assert.equal(after.length, before.length, 'the line of the change that never committed is cut');
    const end = after.at(-1)!.entry;
    assert.ok(end.kind === 'change' && end.serialAfter === zone.serial, 'the change log ends where the database is');
    assert.match(proc.logs(), /change log: cut the last batch/);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    if (proc === first && first.exit() === null) process.kill(first.pid, 'SIGKILL');
    await proc.stop();
  }
});
