// `mcns serve` as a real process with its metrics listener: dig queries move the
// DNS counters by exactly what was sent, the zone's serial and record count show,
// the database and certificate gauges are there, API requests and refused
// credentials are counted, a snapshot file makes its age appear, and promtool
// accepts the scraped text without a single warning.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { request as httpsRequest } from 'node:https';
import { dig } from './helpers/dig.js';
import { queryUdp } from './helpers/dns-client.js';
import { freePort } from './helpers/free-port.js';
import { REPO_ROOT, startMcns, type McnsProcess } from './helpers/start-mcns.js';
import { startKnotUpstream, type KnotUpstream } from './forward/knot-upstream.js';

const SERIAL = 2026112201;
const ZONE = `$ORIGIN example.com.
$TTL 3600
@        IN SOA   ns1 hostmaster ${SERIAL} 7200 3600 1209600 300
@        IN NS    ns1
@        IN MX    10 mail
ns1      IN A     192.0.2.53
mail     IN A     192.0.2.25
www      IN A     192.0.2.1
www      IN AAAA  2001:db8::1
`;
const RECORDS = 7;

/** One sample line of the exposition: name, labels, value. */
interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses Prometheus text format 0.0.4 sample lines (comments skipped). */
function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m !== null, `unparsable line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3] === '+Inf' ? Infinity : m[3]) });
  }
  return out;
}

/** The value of the one sample with this name whose labels include `labels`, or undefined. */
function valueOf(samples: readonly Sample[], name: string, labels: Readonly<Record<string, string>> = {}): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

/** GET over plain HTTP; resolves with status, content type and body. */
async function httpGet(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
}

/** GET on the REST API trusting mcns's CA, with an optional Authorization header; resolves with the status. */
function restGet(mcns: McnsProcess, path: string, authorization?: string): Promise<number> {
  const api = mcns.api!;
  const url = new URL(path, api.restUrl);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({
      host: url.hostname, port: url.port, path: url.pathname, method: 'GET', ca: api.caCert,
      headers: authorization === undefined ? {} : { authorization },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('mcns serve metrics', () => {
  let mcns: McnsProcess;
  let metricsPort: number;
  let metricsUrl: string;

  before(async () => {
    metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    mcns = await startMcns({
      zones: { 'example.com.': ZONE },
      api: true,
      configExtra: `[metrics]\nlisten_addr = "127.0.0.1:${metricsPort}"\n`,
    });
  });

  after(async () => {
    await mcns.stop();
  });

  it('serves the exposition on /metrics and a pointer page on /', async () => {
    const scrape = await httpGet(metricsUrl);
    assert.equal(scrape.status, 200);
    assert.equal(scrape.type, 'text/plain; version=0.0.4; charset=utf-8');
    const index = await httpGet(`http://127.0.0.1:${metricsPort}/`);
    assert.equal(index.status, 200);
    assert.match(index.body, /href="\/metrics"/);
    assert.equal((await httpGet(`http://127.0.0.1:${metricsPort}/nope`)).status, 404);
    assert.equal((await fetch(metricsUrl, { method: 'POST' })).status, 405);
  });

  it('counts DNS requests and responses by transport, qtype and rcode, exactly as sent', async () => {
    const port = String(mcns.port);
    const before = parseExposition((await httpGet(metricsUrl)).body);
    for (let i = 0; i < 5; i++) assert.equal((await dig(['@127.0.0.1', '-p', port, 'www.example.com', 'A'])).status, 'NOERROR');
    for (let i = 0; i < 2; i++) assert.equal((await dig(['@127.0.0.1', '-p', port, 'nope.example.com', 'AAAA'])).status, 'NXDOMAIN');
    assert.equal((await dig(['@127.0.0.1', '-p', port, 'www.example.org', 'A'])).status, 'REFUSED');
    assert.equal((await dig(['@127.0.0.1', '-p', port, 'example.com', 'TYPE65280'])).status, 'NOERROR');
    for (let i = 0; i < 3; i++) assert.equal((await dig(['@127.0.0.1', '-p', port, '+tcp', 'example.com', 'SOA'])).status, 'NOERROR');
    // Not a DNS query: three bytes, dropped unanswered.
    assert.equal(await queryUdp('127.0.0.1', mcns.port, new Uint8Array([1, 2, 3]), 300), null);
    const after = parseExposition((await httpGet(metricsUrl)).body);
    const delta = (name: string, labels: Record<string, string> = {}): number =>
      (valueOf(after, name, labels) ?? 0) - (valueOf(before, name, labels) ?? 0);

    // The default UDP socket where the module is built (CI requires it).
    assert.equal(valueOf(after, 'mcns_dns_udp_socket_info', { kind: 'batched' }), 1);
    assert.equal(valueOf(after, 'mcns_dns_udp_socket_info', { kind: 'dgram' }), undefined);
    assert.equal(delta('mcns_dns_requests_total', { transport: 'udp' }), 10);
    assert.equal(delta('mcns_dns_requests_total', { transport: 'tcp' }), 3);
    assert.equal(delta('mcns_dns_responses_total', { transport: 'udp', qtype: 'A', rcode: 'NOERROR' }), 5);
    assert.equal(delta('mcns_dns_responses_total', { transport: 'udp', qtype: 'AAAA', rcode: 'NXDOMAIN' }), 2);
    assert.equal(delta('mcns_dns_responses_total', { transport: 'udp', qtype: 'A', rcode: 'REFUSED' }), 1);
    assert.equal(delta('mcns_dns_responses_total', { transport: 'udp', qtype: 'other', rcode: 'NOERROR' }), 1);
    assert.equal(delta('mcns_dns_responses_total', { transport: 'tcp', qtype: 'SOA', rcode: 'NOERROR' }), 3);
    assert.equal(delta('mcns_dns_response_size_bytes_count', { transport: 'udp' }), 9);
    assert.equal(delta('mcns_dns_response_size_bytes_count', { transport: 'tcp' }), 3);
    assert.ok(delta('mcns_dns_response_size_bytes_sum', { transport: 'tcp' }) > 3 * 50, 'three SOA answers of more than 50 bytes');
    assert.equal(delta('mcns_dns_malformed_requests_total'), 1);
    assert.equal(delta('mcns_dns_dropped_requests_total', { transport: 'udp' }), 1);
    assert.equal(delta('mcns_dns_tcp_connections_accepted_total'), 3);
    assert.equal(valueOf(after, 'mcns_dns_internal_errors_total'), 0);
    // Repeated identical questions are answered from the answer cache.
    assert.ok(delta('mcns_dns_answer_cache_hits_total') >= 4, 'www A asked 5 times: at least 4 hits');
    assert.ok((valueOf(after, 'mcns_dns_answer_cache_entries') ?? 0) >= 1);
    // Sampled latency: bucket counts are cumulative and end at _count.
    const count = valueOf(after, 'mcns_dns_request_duration_seconds_count', { transport: 'udp' })!;
    assert.equal(valueOf(after, 'mcns_dns_request_duration_seconds_bucket', { transport: 'udp', le: '+Inf' }), count);
  });

  it('shows the zone\'s serial and records, the database, the certificate and the build', async () => {
    const samples = parseExposition((await httpGet(metricsUrl)).body);
    assert.equal(valueOf(samples, 'mcns_zones'), 1);
    assert.equal(valueOf(samples, 'mcns_zone_serial', { zone: 'example.com.' }), SERIAL);
    assert.equal(valueOf(samples, 'mcns_zone_records', { zone: 'example.com.' }), RECORDS);
    assert.equal(valueOf(samples, 'mcns_zone_loads_total', { result: 'loaded' }), 1);
    assert.ok((valueOf(samples, 'mcns_database_size_bytes') ?? 0) > 0, 'database size > 0');
    assert.ok(valueOf(samples, 'mcns_database_wal_size_bytes') !== undefined);
    const expiry = valueOf(samples, 'mcns_tls_certificate_expiry_timestamp_seconds', { listener: 'api', file: join(mcns.dir, 'tls', 'cert.pem') });
    assert.ok(expiry !== undefined && expiry > Date.now() / 1000 + 300 * 86400, 'self-signed certificate valid about a year');
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const build = samples.find((s) => s.name === 'mcns_build_info');
    assert.equal(build?.labels['version'], version);
    assert.equal(build?.labels['node_version'], process.versions.node);
    assert.equal(build?.value, 1);
    assert.ok((valueOf(samples, 'mcns_process_resident_memory_bytes') ?? 0) > 0);
  });

  it('counts API requests by route and status, and refused credentials by reason', async () => {
    const before = parseExposition((await httpGet(metricsUrl)).body);
    assert.equal(await restGet(mcns, '/v1/zones'), 401);
    assert.equal(await restGet(mcns, '/v1/zones', 'Bearer mcns_nope'), 401);
    assert.equal(await restGet(mcns, '/v1/ready'), 200);
    const after = parseExposition((await httpGet(metricsUrl)).body);
    const delta = (name: string, labels: Record<string, string>): number =>
      (valueOf(after, name, labels) ?? 0) - (valueOf(before, name, labels) ?? 0);
    assert.equal(delta('mcns_api_requests_total', { route: '/v1/zones', method: 'GET', status: '401' }), 2);
    assert.equal(delta('mcns_api_requests_total', { route: '/v1/ready', method: 'GET', status: '200' }), 1);
    assert.equal(delta('mcns_api_request_duration_seconds_count', { route: '/v1/zones', method: 'GET' }), 2);
    assert.equal(delta('mcns_auth_failures_total', { reason: 'missing' }), 1);
    assert.equal(delta('mcns_auth_failures_total', { reason: 'malformed' }), 1);
  });

  it('shows the age of the newest snapshot only once there is one', async () => {
    const without = parseExposition((await httpGet(metricsUrl)).body);
    assert.equal(valueOf(without, 'mcns_snapshot_newest_age_seconds'), undefined);
    mkdirSync(join(mcns.dir, 'backups'), { recursive: true });
    writeFileSync(join(mcns.dir, 'backups', 'mcns-20261122-000000.db'), 'snapshot');
    writeFileSync(join(mcns.dir, 'backups', 'mcns-20261122-000001.db.partial'), 'being written');
    const age = valueOf(parseExposition((await httpGet(metricsUrl)).body), 'mcns_snapshot_newest_age_seconds');
    assert.ok(age !== undefined && age >= 0 && age < 60, `age ${age}`);
  });

  it('moves the serial gauge and the loads counter on SIGHUP after a change in the database', async () => {
    const file = join(mcns.dir, 'next.zone');
    writeFileSync(file, ZONE.replace(String(SERIAL), String(SERIAL + 1)) + 'new IN A 192.0.2.7\n');
    const imported = await mcns.cli(['zone', 'import', 'example.com.', file]);
    assert.equal(imported.code, 0, imported.stderr);
    process.kill(mcns.pid, 'SIGHUP');
    const end = Date.now() + 10_000;
    let samples = parseExposition((await httpGet(metricsUrl)).body);
    while (valueOf(samples, 'mcns_zone_serial', { zone: 'example.com.' }) !== SERIAL + 1 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      samples = parseExposition((await httpGet(metricsUrl)).body);
    }
    assert.equal(valueOf(samples, 'mcns_zone_serial', { zone: 'example.com.' }), SERIAL + 1);
    assert.equal(valueOf(samples, 'mcns_zone_records', { zone: 'example.com.' }), RECORDS + 1);
    assert.equal(valueOf(samples, 'mcns_zone_loads_total', { result: 'loaded' }), 2);
  });

  it('passes promtool check metrics with no error and no lint warning', async () => {
    const text = (await httpGet(metricsUrl)).body;
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    if (r.error !== undefined && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail('promtool is not installed (Debian package prometheus)');
    }
    assert.equal(`${r.stdout}${r.stderr}`, '');
    assert.equal(r.status, 0);
  });
});

describe('mcns serve metrics with forwarding to a real upstream (knotd)', () => {
  let knot: KnotUpstream;
  let mcns: McnsProcess;
  let metricsUrl: string;

  before(async () => {
    knot = await startKnotUpstream([{
      origin: 'fwd.test.',
      text: '$ORIGIN fwd.test.\n$TTL 300\n@ IN SOA ns admin 1 7200 900 1209600 60\n@ IN NS ns\nns IN A 192.0.2.53\nwww IN A 192.0.2.1\n',
    }]);
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    mcns = await startMcns({
      zones: { 'example.com.': ZONE },
      configExtra: `[metrics]\nlisten_addr = "127.0.0.1:${metricsPort}"\n[forward]\nupstreams = ["${knot.address}"]\n`,
    });
  });

  after(async () => {
    await mcns?.stop();
    await knot?.close();
  });

  it('shows the upstream\'s queries, answers and latency, and the forwarder\'s cache, and passes promtool', async () => {
    const port = String(mcns.port);
    for (let i = 0; i < 3; i++) {
      const r = await dig(['@127.0.0.1', '-p', port, '+rd', 'www.fwd.test', 'A']);
      assert.equal(r.status, 'NOERROR', r.output);
    }
    const text = (await httpGet(metricsUrl)).body;
    const samples = parseExposition(text);
    const upstream = { upstream: knot.address };
    assert.equal(valueOf(samples, 'mcns_forward_upstream_queries_total', upstream), 1, 'asked once, then cached');
    assert.equal(valueOf(samples, 'mcns_forward_upstream_answers_total', upstream), 1);
    assert.equal(valueOf(samples, 'mcns_forward_upstream_failures_total', upstream), 0);
    assert.equal(valueOf(samples, 'mcns_forward_upstream_up', upstream), 1);
    assert.equal(valueOf(samples, 'mcns_forward_upstream_latency_seconds_count', upstream), 1);
    assert.equal(valueOf(samples, 'mcns_forward_cache_misses_total'), 1);
    assert.equal(valueOf(samples, 'mcns_forward_cache_entries'), 1);
    assert.ok((valueOf(samples, 'mcns_forward_cache_bytes') ?? 0) > 0);
    assert.equal(valueOf(samples, 'mcns_dns_forwarded_requests_total'), 3);
    assert.equal(valueOf(samples, 'mcns_dns_responses_total', { transport: 'udp', qtype: 'A', rcode: 'NOERROR' }), 3);
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(`${r.stdout}${r.stderr}`, '');
    assert.equal(r.status, 0);
  });
});
