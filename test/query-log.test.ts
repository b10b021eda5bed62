// The query log of a real `mcns serve` ([log] query_log, query_log_sample): dig's
// queries appear as JSON lines with the fields docs/CONFIG.md lists; a sample of 0
// writes nothing; SIGHUP reopens the file after a rename (rotation) and applies a
// new [log] level to every layer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { dig } from './helpers/dig.js';
import { startMcns, type McnsProcess } from './helpers/start-mcns.js';

const ZONE_TEXT = `$ORIGIN example.com.
$TTL 300
@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
www IN A 192.0.2.80
`;

type Line = Record<string, unknown>;

function readLines(path: string): Line[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
}

/** Waits until the file holds `n` lines (the writer batches every 100 ms). */
async function waitLines(path: string, n: number, timeoutMs = 3_000): Promise<Line[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = readLines(path);
    if (lines.length >= n || Date.now() > deadline) return lines;
    await sleep(20);
  }
}

async function waitForLogCount(proc: McnsProcess, text: string, count: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (proc.logs().split(text).length - 1 < count) {
    if (Date.now() > deadline) assert.fail(`fewer than ${count} "${text}" in the log:\n${proc.logs()}`);
    await sleep(10);
  }
}

test('dig queries over UDP and TCP appear as JSON lines with time, client, transport, question, rcode, size and flags', { timeout: 60_000 }, async () => {
  const proc = await startMcns({ zones: { 'example.com.': ZONE_TEXT }, logConfig: ['query_log = "queries.jsonl"'] });
  try {
    const path = join(proc.dir, 'queries.jsonl');
    const host = proc.hosts[0]!;
    const probes = (await waitLines(path, 1)).length; // startMcns's readiness probe(s)
    const before = Date.now();
    const www = await dig([`@${host}`, '-p', String(proc.port), 'www.example.com', 'A']);
    const nx = await dig([`@${host}`, '-p', String(proc.port), '+tcp', 'nope.example.com', 'MX']);
    assert.equal(www.status, 'NOERROR');
    assert.equal(nx.status, 'NXDOMAIN');
    const lines = (await waitLines(path, probes + 2)).slice(probes);
    assert.equal(lines.length, 2, JSON.stringify(lines));
    const [first, second] = lines as [Line, Line];
    assert.deepEqual(Object.keys(first), ['time', 'client', 'port', 'transport', 'qname', 'qtype', 'rcode', 'size', 'flags']);
    assert.ok(Date.parse(String(first['time'])) >= before - 1_000, String(first['time']));
    assert.equal(first['client'], host);
    assert.equal(typeof first['port'], 'number');
    assert.deepEqual([first['transport'], first['qname'], first['qtype'], first['rcode'], first['size']], ['udp', 'www.example.com.', 'A', 'NOERROR', www.size]);
    assert.deepEqual(String(first['flags']).split(' '), www.flags);
    assert.deepEqual([second['transport'], second['qname'], second['qtype'], second['rcode'], second['size']], ['tcp', 'nope.example.com.', 'MX', 'NXDOMAIN', nx.size]);
    assert.deepEqual(String(second['flags']).split(' '), nx.flags);
  } finally {
    await proc.stop();
  }
});

test('query_log_sample = 0 writes nothing', { timeout: 60_000 }, async () => {
  const proc = await startMcns({ zones: { 'example.com.': ZONE_TEXT }, logConfig: ['query_log = "queries.jsonl"', 'query_log_sample = 0'] });
  try {
    for (let i = 0; i < 5; i++) await dig([`@${proc.hosts[0]!}`, '-p', String(proc.port), 'www.example.com', 'A']);
    await sleep(300);
    assert.deepEqual(readLines(join(proc.dir, 'queries.jsonl')), []);
  } finally {
    await proc.stop();
  }
});

test('SIGHUP reopens the query log after a rename, and applies a new [log] level to every layer', { timeout: 60_000 }, async () => {
  const proc = await startMcns({ zones: { 'example.com.': ZONE_TEXT }, logConfig: ['query_log = "queries.jsonl"'] });
  try {
    const path = join(proc.dir, 'queries.jsonl');
    const ask = (name: string): ReturnType<typeof dig> => dig([`@${proc.hosts[0]!}`, '-p', String(proc.port), name, 'A']);
    await ask('www.example.com');
    await waitLines(path, 2);
    renameSync(path, `${path}.1`);
    await ask('ns1.example.com'); // still the renamed file: it is open
    process.kill(proc.pid, 'SIGHUP');
    await waitForLogCount(proc, 'query log: appending to', 2);
    await ask('after.example.com');
    const rotated = await waitLines(`${path}.1`, 3);
    const fresh = await waitLines(path, 1);
    assert.deepEqual(fresh.map((l) => l['qname']), ['after.example.com.']);
    assert.ok(rotated.some((l) => l['qname'] === 'www.example.com.') && rotated.some((l) => l['qname'] === 'ns1.example.com.'));
    assert.ok(!rotated.some((l) => l['qname'] === 'after.example.com.'));

    // [log] level = "warn", and a [dns] change that needs a restart.
    const config = readFileSync(proc.configPath, 'utf8');
    writeFileSync(proc.configPath, config.replace('level = "info"', 'level = "warn"').replace('[dns]\n', '[dns]\ntcp_max_connections = 7\n'));
    process.kill(proc.pid, 'SIGHUP');
    await waitForLogCount(proc, 'SIGHUP: log level changed', 1);
    await waitForLogCount(proc, 'SIGHUP: these tables changed in the config file and need a restart', 1);
    assert.match(proc.logs(), /"tables":\["dns"\]/);
    await sleep(300);
    const logged = proc.logs().length;
    process.kill(proc.pid, 'SIGHUP');
    await waitForLogCount(proc, 'need a restart', 2);
    await sleep(300);
    const after = proc.logs().slice(logged);
    // Info lines of the root (zones reloaded) and of a child layer (the server's query log line) are gone.
    assert.doesNotMatch(after, /SIGHUP: zones reloaded|query log: appending to/);
    assert.match(after, /"level":40/);
  } finally {
    await proc.stop();
  }
});
