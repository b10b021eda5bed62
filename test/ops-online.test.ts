// Snapshot and restore while `mcns serve` serves: a snapshot taken (by the CLI,
// another process) under 20 writes a second is a sound, consistent file; a
// restore into the running server swaps the data in while a DNS loop keeps being
// answered (not one query lost), and a replay through the running server brings
// back the changes made after the snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dnsPacket from 'dns-packet';
import { ApiClient } from '../src/cli/api-client.js';
import { checkDatabase } from '../src/store/index.js';
import { buildQuery, decodeReply, queryUdp } from './helpers/dns-client.js';
import { startMcns } from './helpers/start-mcns.js';

const ZONE = 'online.example.';
const ZONE_TEXT = [
  `$ORIGIN ${ZONE}`,
  '$TTL 300',
  `@ IN SOA ns1.${ZONE} hostmaster.${ZONE} 1 7200 3600 1209600 300`,
  `@ IN NS ns1.${ZONE}`,
  'ns1 IN A 192.0.2.53',
  'www IN A 192.0.2.80',
  '',
].join('\n');

/** rcode and A records of `name`, or TIMEOUT. */
async function ask(port: number, name: string, type = 'A'): Promise<{ rcode: string; answers: string[] }> {
  const reply = decodeReply(await queryUdp('127.0.0.1', port, buildQuery(name, type as dnsPacket.RecordType), 2_000));
  if (reply === null) return { rcode: 'TIMEOUT', answers: [] };
  return {
    rcode: (reply as { rcode?: string }).rcode ?? '?',
    answers: (reply.answers ?? []).map((a) => { const data = (a as { data?: unknown }).data; return typeof data === 'string' ? data : JSON.stringify(data); }).sort(),
  };
}

async function withServer(run: (ctx: { api: ApiClient; port: number; cli: (args: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>; logs: () => string }) => Promise<void>): Promise<void> {
  const proc = await startMcns({ api: true, zones: { [ZONE]: ZONE_TEXT } });
  let api: ApiClient | null = null;
  try {
    const boot = await proc.cli(['token', 'create', '--name', 'admin', '--role', 'admin']);
    assert.equal(boot.code, 0, boot.stderr);
    api = new ApiClient({ baseUrl: proc.api!.restUrl, caCert: proc.api!.caCert, token: boot.stdout.trim() });
    await run({ api, port: proc.port, cli: (args) => proc.cli(args), logs: () => proc.logs() });
  } finally {
    await api?.close();
    await proc.stop();
  }
}

test('a snapshot taken under 20 writes/s passes the integrity check and is one consistent state', { timeout: 120_000 }, async () => {
  await withServer(async ({ api, cli }) => {
    let stop = false;
    let writes = 0;
    const failures: string[] = [];
    // 20 writes a second, one after another, for as long as the snapshots take.
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        const started = Date.now();
        try {
          await api.call('addRecords', { zone: ZONE, name: `w${i}.${ZONE}`, type: 'A', ttl: 300, records: [`10.9.${i >> 8}.${i & 255}`] });
          writes++;
        } catch (err) {
          failures.push((err as Error).message);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - started))));
      }
    })();
    const snapshots: string[] = [];
    try {
      await new Promise((r) => setTimeout(r, 500));
      for (let n = 0; n < 3; n++) {
        const r = await cli(['snapshot']);
        assert.equal(r.code, 0, r.stderr);
        const m = /^snapshot (\S+) \(.*, integrity ok\)$/m.exec(r.stdout);
        assert.ok(m !== null, r.stdout);
        snapshots.push(m[1]!);
        await new Promise((r2) => setTimeout(r2, 400));
      }
    } finally {
      stop = true;
      await writer;
    }
    assert.deepEqual(failures, []);
    assert.ok(writes >= 20, `writes during the snapshots: ${writes}`);
    assert.equal(new Set(snapshots).size, 3, 'three distinct files');
    let previous = 0;
    for (const file of snapshots) {
      const check = await cli(['integrity-check', '--file', file]);
      assert.equal(check.stdout, 'ok\n', `${file}: ${check.stdout}${check.stderr}`);
      const inProcess = checkDatabase(file);
      assert.deepEqual(inProcess.problems, [], file);
      const serial = inProcess.zones.get(ZONE)!;
      assert.ok(serial > previous, `snapshots in time order: ${previous} then ${serial}`);
      previous = serial;
    }
  });
});

test('restore into the running server keeps DNS answering; replay through it brings back later changes', { timeout: 120_000 }, async () => {
  await withServer(async ({ api, port, cli, logs }) => {
    for (let i = 0; i < 5; i++) await api.call('addRecords', { zone: ZONE, name: `early${i}.${ZONE}`, type: 'A', ttl: 300, records: [`10.0.0.${i}`] });
    const snap = await cli(['snapshot']);
    assert.equal(snap.code, 0, snap.stderr);
    const file = /^snapshot (\S+) /.exec(snap.stdout)![1]!;
    const atSnapshot = (await api.call('getZone', { zone: ZONE })).serial;
    for (let i = 0; i < 20; i++) await api.call('addRecords', { zone: ZONE, name: `late${i}.${ZONE}`, type: 'A', ttl: 300, records: [`10.0.1.${i}`] });
    const beforeRestore = (await api.call('getZone', { zone: ZONE })).serial;
    assert.deepEqual((await ask(port, `late3.${ZONE}`)).answers, ['10.0.1.3']);

    // DNS loop: the SOA and www every few ms until the restore is done, then 50 more; bounded.
    let done = false;
    let asked = 0;
    const failed: string[] = [];
    const loop = (async () => {
      for (let extra = 0; asked < 5_000 && extra < 50; asked++) {
        if (done) extra++;
        const soa = await ask(port, ZONE, 'SOA');
        const www = await ask(port, `www.${ZONE}`);
        if (soa.rcode !== 'NOERROR' || soa.answers.length !== 1) failed.push(`SOA: ${soa.rcode} ${soa.answers.length}`);
        if (www.rcode !== 'NOERROR' || www.answers.join() !== '192.0.2.80') failed.push(`www: ${www.rcode} ${www.answers.join()}`);
      }
    })();
    let restored: { code: number; stdout: string; stderr: string };
    try {
      await new Promise((r) => setTimeout(r, 200));
      restored = await cli(['restore', file]);
    } finally {
      done = true;
      await loop;
    }
    assert.equal(restored.code, 0, `${restored.stdout}${restored.stderr}\n${logs()}`);
    assert.match(restored.stdout, /into the running server \(1 zone\)/);
    assert.deepEqual(failed, [], `every one of ${asked} DNS queries answered during the restore`);
    assert.ok(asked > 50, `queries asked: ${asked}`);

    // The restored state is served at once: the later records are gone, the earlier ones there.
    assert.equal((await api.call('getZone', { zone: ZONE })).serial, atSnapshot);
    assert.equal((await ask(port, `late3.${ZONE}`)).rcode, 'NXDOMAIN');
    assert.deepEqual((await ask(port, `early3.${ZONE}`)).answers, ['10.0.0.3']);

    const replayed = await cli(['replay']);
    assert.equal(replayed.code, 0, `${replayed.stdout}${replayed.stderr}`);
    assert.match(replayed.stdout, new RegExp(`^replayed ${ZONE.replace(/\./g, '\\.')}: 20 changes, serial ${atSnapshot} -> serial ${beforeRestore}$`, 'm'));
    assert.equal((await api.call('getZone', { zone: ZONE })).serial, beforeRestore);
    assert.deepEqual((await ask(port, `late3.${ZONE}`)).answers, ['10.0.1.3']);

    // The write path goes on from there, and the log with it.
    const next = await api.call('addRecords', { zone: ZONE, name: `after.${ZONE}`, type: 'A', ttl: 300, records: ['10.0.2.1'] });
    assert.equal(next.serialBefore, beforeRestore);
    const check = await cli(['integrity-check']);
    assert.equal(check.stdout, 'ok\n', check.stderr);
  });
});
