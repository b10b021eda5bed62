// Point-in-time recovery end to end, as the runbook's "Database corruption" goes:
// a real `mcns serve` with its API; a snapshot; 100 changes through REST (records
// edited, a zone created and edited, a zone deleted); the server stopped and its
// database overwritten with garbage; `mcns integrity-check` fails and `mcns serve`
// refuses to start with one line naming the runbook section; `mcns restore
// SNAPSHOT` and `mcns replay` bring back every change, so the restarted server
// serves the same RRsets and serials as before the corruption.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { ApiClient } from '../src/cli/api-client.js';
import { buildQuery, decodeReply, queryUdp } from './helpers/dns-client.js';
import { MCNS_BIN, runMcns, startMcns, type McnsProcess } from './helpers/start-mcns.js';

const MAIN = 'pitr.example.';
const GONE = 'gone.example.';
const NEW = 'new.example.';

function zoneText(origin: string, serial: number): string {
  return [
    `$ORIGIN ${origin}`,
    '$TTL 300',
    `@ IN SOA ns1.${origin} hostmaster.${origin} ${serial} 7200 3600 1209600 300`,
    `@ IN NS ns1.${origin}`,
    'ns1 IN A 192.0.2.53',
    'www IN A 192.0.2.80',
    '',
  ].join('\n');
}

/** Every zone's export text and serial, through the API. */
async function state(api: ApiClient): Promise<Map<string, { serial: number; text: string }>> {
  const out = new Map<string, { serial: number; text: string }>();
  for (const zone of await api.collect('listZones', {})) {
    out.set(zone.name, { serial: zone.serial, text: (await api.call('exportZone', { zone: zone.name })).text });
  }
  return out;
}

/** The A records DNS answers for `name` now. */
async function answerA(port: number, name: string): Promise<{ rcode: string; addresses: string[] }> {
  const reply = decodeReply(await queryUdp('127.0.0.1', port, buildQuery(name, 'A' as dnsPacket.RecordType), 2_000));
  return {
    rcode: (reply as { rcode?: string } | null)?.rcode ?? 'TIMEOUT',
    addresses: (reply?.answers ?? []).flatMap((a) => (a.type === 'A' ? [String(a.data)] : [])).sort(),
  };
}

/** Starts `mcns serve` again on the same config and waits until DNS answers for MAIN and the API is ready. */
async function serveAgain(proc: McnsProcess, api: ApiClient): Promise<{ child: ChildProcess; logs: () => string }> {
  const child = spawn(process.execPath, [MCNS_BIN, 'serve', '--config', proc.configPath], { cwd: proc.dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let logs = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => { logs += s; });
  child.stderr?.setEncoding('utf8').on('data', (s: string) => { logs += s; });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`mcns serve exited ${child.exitCode}:\n${logs}`);
    const reply = decodeReply(await queryUdp('127.0.0.1', proc.port, buildQuery(MAIN, 'SOA' as dnsPacket.RecordType), 300));
    if (reply?.answers?.some((a) => a.type === 'SOA')) {
      try {
        if ((await api.call('ready', {})).ready) break;
      } catch {
        // the API is not listening yet
      }
    }
    if (Date.now() > deadline) throw new Error(`mcns serve did not come back:\n${logs}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, logs: () => logs };
}

/** SIGTERM by PID and wait for the exit. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Overwrites every page but the first with random bytes (the header stays, so SQLite opens the file and finds the damage). */
function corrupt(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    for (let page = 1; page * 4096 < size; page++) writeSync(fd, randomBytes(3000), 0, 3000, page * 4096 + 50);
  } finally {
    closeSync(fd);
  }
}

test('snapshot, 100 changes, corruption, restore and replay give back the same RRsets and serials', { timeout: 240_000 }, async () => {
  const proc = await startMcns({ api: true, zones: { [MAIN]: zoneText(MAIN, 1), [GONE]: zoneText(GONE, 7) } });
  let again: ChildProcess | null = null;
  let client: ApiClient | null = null;
  try {
    const boot = await proc.cli(['token', 'create', '--name', 'admin', '--role', 'admin']);
    assert.equal(boot.code, 0, boot.stderr);
    const api = new ApiClient({ baseUrl: proc.api!.restUrl, caCert: proc.api!.caCert, token: boot.stdout.trim() });
    client = api;

    const snap = await proc.cli(['snapshot']);
    assert.equal(snap.code, 0, snap.stderr);
    const m = /^snapshot (\S+) \(([\d.]+ (?:B|KiB|MiB)), integrity ok\)\n$/.exec(snap.stdout);
    assert.ok(m !== null, `snapshot line: ${snap.stdout}`);
    const snapshotFile = m[1]!;
    assert.ok(snapshotFile.startsWith(join(proc.dir, 'backups', 'mcns-')), snapshotFile);

    // 100 changes after the snapshot, each through the one write path.
    let changes = 0;
    for (let i = 0; i < 60; i++, changes++) {
      await api.call('addRecords', { zone: MAIN, name: `h${i}.${MAIN}`, type: 'A', ttl: 300, records: [`10.0.${i >> 8}.${i & 255}`] });
    }
    for (let i = 0; i < 20; i++, changes++) {
      await api.call('replaceRRset', { zone: MAIN, name: `h${i}.${MAIN}`, type: 'A', ttl: 600, records: [`10.1.0.${i}`, `10.2.0.${i}`] });
    }
    for (let i = 20; i < 30; i++, changes++) await api.call('deleteRRset', { zone: MAIN, name: `h${i}.${MAIN}`, type: 'A' });
    await api.call('createZone', { zone: NEW, nameservers: [`ns1.${MAIN}`] });
    changes++;
    for (let i = 0; i < 7; i++, changes++) {
      await api.call('addRecords', { zone: NEW, name: `n${i}.${NEW}`, type: 'TXT', ttl: 60, records: [`"change ${i}"`] });
    }
    await api.call('applyChanges', {
      zone: MAIN, changes: [
        { op: 'replace', name: `www.${MAIN}`, type: 'A', ttl: 120, records: ['192.0.2.81'] },
        { op: 'add', name: `mail.${MAIN}`, type: 'MX', ttl: 300, records: [`10 www.${MAIN}`] },
      ],
    });
    changes++;
    await api.call('deleteZone', { zone: GONE });
    changes++;
    assert.equal(changes, 100);
    const before = await state(api);
    assert.deepEqual([...before.keys()].sort(), [NEW, MAIN].sort());
    assert.deepEqual(await answerA(proc.port, `h5.${MAIN}`), { rcode: 'NOERROR', addresses: ['10.1.0.5', '10.2.0.5'] });

    // The change log holds every one of them, durable before each call returned.
    const logText = readFileSync(join(proc.dir, 'journal', 'changes-000001.jsonl'), 'utf8');
    assert.equal(logText.split('\n').filter((l) => l.includes('"kind":"change"') || l.includes('"kind":"delete"')).length, 100);

    // Stop the server (by its PID, keeping the directory) and damage the database.
    process.kill(proc.pid, 'SIGTERM');
    for (let i = 0; proc.exit() === null && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
    assert.notEqual(proc.exit(), null, 'mcns serve stopped');
    const database = join(proc.dir, 'mcns.db');
    corrupt(database);

    const check = await proc.cli(['integrity-check']);
    assert.equal(check.code, 5, `integrity-check exit code\n${check.stdout}${check.stderr}`);
    assert.ok(check.stdout.trim().length > 0 && !/^ok$/m.test(check.stdout), check.stdout);

    const refused = await runMcns(['serve', '--config', proc.configPath], proc.dir);
    assert.equal(refused.code, 5, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /^error: database \S+mcns\.db is corrupt \([^\n]+\): see RUNBOOK\.md "Database corruption"\n$/);

    const restored = await proc.cli(['restore', snapshotFile]);
    assert.equal(restored.code, 0, restored.stdout + restored.stderr);
    assert.match(restored.stdout, /with the server stopped \(2 zones\)/);
    assert.match(restored.stderr, /mcns\.db\.pre-restore/);
    assert.equal((await proc.cli(['integrity-check'])).stdout, 'ok\n');

    const replayed = await proc.cli(['replay']);
    assert.equal(replayed.code, 0, replayed.stdout + replayed.stderr);
    assert.match(replayed.stdout, /^replayed 100 changes to 3 zones from 1 file$/m);
    const again1 = await proc.cli(['replay']);
    assert.equal(again1.code, 0, again1.stderr);
    assert.match(again1.stdout, /^replayed 0 changes to 0 zones/m, 'a second replay finds everything applied');
    assert.equal((await proc.cli(['integrity-check'])).stdout, 'ok\n');

    const served = await serveAgain(proc, api);
    again = served.child;
    const after = await state(api);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    for (const [zone, s] of before) {
      assert.equal(after.get(zone)?.serial, s.serial, `serial of ${zone}`);
      assert.equal(after.get(zone)?.text, s.text, `content of ${zone}`);
    }
    assert.deepEqual(await answerA(proc.port, `h5.${MAIN}`), { rcode: 'NOERROR', addresses: ['10.1.0.5', '10.2.0.5'] });
    assert.equal((await answerA(proc.port, `h25.${MAIN}`)).rcode, 'NXDOMAIN');
    assert.equal((await answerA(proc.port, `www.${GONE}`)).rcode, 'REFUSED');

    // Changes after the recovery go on from the recovered serials and reach the log.
    const next = await api.call('addRecords', { zone: MAIN, name: `later.${MAIN}`, type: 'A', ttl: 300, records: ['192.0.2.99'] });
    assert.equal(next.serialBefore, before.get(MAIN)!.serial);
  } finally {
    await client?.close();
    if (again !== null) await stopChild(again);
    await proc.stop();
  }
});
