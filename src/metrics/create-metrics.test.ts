import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetrics } from './create-metrics.js';
import { readGitCommit } from './read-git-commit.js';

/** The sample lines of one family (its name followed by a label set or a space). */
function lines(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

test('a fresh registry has build info, API, auth and zone-load families, and no DNS family until tracked', async () => {
  const metrics = createMetrics({ version: '1.2.3', commit: 'abc', processMetrics: false });
  const names = metrics.names();
  assert.ok(names.includes('mcns_build_info'));
  assert.ok(names.includes('mcns_api_requests_total'));
  assert.ok(!names.some((n) => n.startsWith('mcns_dns_') || n.startsWith('mcns_forward_') || n.startsWith('mcns_process_')));
  const text = await metrics.render();
  assert.deepEqual(lines(text, 'mcns_build_info'), [`mcns_build_info{version="1.2.3",node_version="${process.versions.node}",commit="abc"} 1`]);
  assert.deepEqual(lines(text, 'mcns_zone_loads_total'), [
    'mcns_zone_loads_total{result="loaded"} 0', 'mcns_zone_loads_total{result="removed"} 0', 'mcns_zone_loads_total{result="failed"} 0',
  ]);
  metrics.close();
  assert.deepEqual(metrics.names(), []);
});

test('process metrics carry the prefix and leave out the gauges named _total', () => {
  const metrics = createMetrics({ version: '0', commit: null });
  const names = metrics.names();
  assert.ok(names.includes('mcns_process_cpu_seconds_total'));
  assert.ok(names.includes('mcns_nodejs_eventloop_lag_seconds'));
  assert.ok(names.includes('mcns_nodejs_active_handles'));
  assert.ok(!names.includes('mcns_nodejs_active_handles_total'));
  metrics.close();
});

test('zone loads add up over passes; zones show serial and records by origin', async () => {
  const metrics = createMetrics({ version: '0', commit: null, processMetrics: false });
  let serial = 1;
  metrics.trackZones(() => [{ zone: 'example.com.', serial, records: 4 }, { zone: 'example.net.', serial: 9, records: 2 }]);
  metrics.recordZoneLoads({ loaded: 2, removed: 0, failed: 0 });
  metrics.recordZoneLoads({ loaded: 1, removed: 1, failed: 1 });
  serial = 2;
  const text = await metrics.render();
  assert.deepEqual(lines(text, 'mcns_zone_loads_total'), [
    'mcns_zone_loads_total{result="loaded"} 3', 'mcns_zone_loads_total{result="removed"} 1', 'mcns_zone_loads_total{result="failed"} 1',
  ]);
  assert.deepEqual(lines(text, 'mcns_zones'), ['mcns_zones 2']);
  assert.deepEqual(lines(text, 'mcns_zone_serial'), ['mcns_zone_serial{zone="example.com."} 2', 'mcns_zone_serial{zone="example.net."} 9']);
  assert.deepEqual(lines(text, 'mcns_zone_records'), ['mcns_zone_records{zone="example.com."} 4', 'mcns_zone_records{zone="example.net."} 2']);
  metrics.close();
});

test('API labels stay bounded: unmatched routes, unknown methods, and at most 64 distinct routes', async () => {
  const metrics = createMetrics({ version: '0', commit: null, processMetrics: false });
  metrics.recordApiRequest('', 'GET', 404, 0.001);
  metrics.recordApiRequest('/v1/zones', 'BREW', 405, 0.001);
  for (let i = 0; i < 70; i++) metrics.recordApiRequest(`/v1/r${i}`, 'GET', 200, 0.002);
  const text = await metrics.render();
  const requests = lines(text, 'mcns_api_requests_total');
  assert.ok(requests.includes('mcns_api_requests_total{route="unmatched",method="GET",status="404"} 1'));
  assert.ok(requests.includes('mcns_api_requests_total{route="/v1/zones",method="other",status="405"} 1'));
  // 64 distinct routes: "unmatched", "/v1/zones", then 62 of the 70; the other 8 share "other".
  assert.ok(requests.includes('mcns_api_requests_total{route="other",method="GET",status="200"} 8'));
  assert.equal(requests.length, 2 + 62 + 1);
  metrics.close();
});

test('gRPC requests are counted by method and code, timed by method, with bounded labels', async () => {
  const metrics = createMetrics({ version: '0', commit: null, processMetrics: false });
  metrics.recordGrpcRequest('/mcns.v1.ZoneService/CreateZone', 'OK', 0.002);
  metrics.recordGrpcRequest('/mcns.v1.ZoneService/CreateZone', 'INVALID_ARGUMENT', 0.003);
  metrics.recordGrpcRequest('', 'UNIMPLEMENTED', 0.001);
  for (let i = 0; i < 70; i++) metrics.recordGrpcRequest(`/x.Y/M${i}`, 'OK', 0.001);
  const text = await metrics.render();
  const requests = lines(text, 'mcns_grpc_requests_total');
  assert.ok(requests.includes('mcns_grpc_requests_total{method="/mcns.v1.ZoneService/CreateZone",code="OK"} 1'));
  assert.ok(requests.includes('mcns_grpc_requests_total{method="/mcns.v1.ZoneService/CreateZone",code="INVALID_ARGUMENT"} 1'));
  assert.ok(requests.includes('mcns_grpc_requests_total{method="unmatched",code="UNIMPLEMENTED"} 1'));
  // 64 distinct methods: CreateZone, "unmatched", then 62 of the 70; the other 8 share "other".
  assert.ok(requests.includes('mcns_grpc_requests_total{method="other",code="OK"} 8'));
  assert.ok(lines(text, 'mcns_grpc_request_duration_seconds_count').includes('mcns_grpc_request_duration_seconds_count{method="/mcns.v1.ZoneService/CreateZone"} 2'));
  assert.ok(lines(text, 'mcns_grpc_request_duration_seconds_bucket').includes('mcns_grpc_request_duration_seconds_bucket{le="0.005",method="/mcns.v1.ZoneService/CreateZone"} 2'));
  metrics.close();
});

test('auth failures are counted by reason', async () => {
  const metrics = createMetrics({ version: '0', commit: null, processMetrics: false });
  metrics.recordAuthFailure('expired');
  metrics.recordAuthFailure('expired');
  metrics.recordAuthFailure('unavailable');
  assert.deepEqual(lines(await metrics.render(), 'mcns_auth_failures_total'), [
    'mcns_auth_failures_total{reason="expired"} 2', 'mcns_auth_failures_total{reason="unavailable"} 1',
  ]);
  metrics.close();
});

test('the forwarder\'s millisecond histogram becomes seconds with the same cumulative counts', async () => {
  const metrics = createMetrics({ version: '0', commit: null, processMetrics: false });
  metrics.trackForwarder({
    stats: () => ({
      upstreams: [{
        upstream: '[::1]:5301', queries: 5, answers: 3, failures: 2, timeouts: 1, down: true,
        latency: { buckets: [{ le: 1, count: 1 }, { le: 10, count: 3 }, { le: Infinity, count: 3 }], sumMs: 12, count: 3 },
      }],
      cache: { hits: 4, misses: 5, entries: 6, bytes: 700, maxBytes: 800, evictions: 1, staleServed: 2 },
      spoofedDropped: 3, inFlight: 0, overloaded: 0, failures: 2,
    }),
  });
  const text = await metrics.render();
  assert.deepEqual(lines(text, 'mcns_forward_upstream_latency_seconds_bucket'), [
    'mcns_forward_upstream_latency_seconds_bucket{upstream="[::1]:5301",le="0.001"} 1',
    'mcns_forward_upstream_latency_seconds_bucket{upstream="[::1]:5301",le="0.01"} 3',
    'mcns_forward_upstream_latency_seconds_bucket{upstream="[::1]:5301",le="+Inf"} 3',
  ]);
  assert.deepEqual(lines(text, 'mcns_forward_upstream_latency_seconds_sum'), ['mcns_forward_upstream_latency_seconds_sum{upstream="[::1]:5301"} 0.012']);
  assert.deepEqual(lines(text, 'mcns_forward_upstream_up'), ['mcns_forward_upstream_up{upstream="[::1]:5301"} 0']);
  assert.deepEqual(lines(text, 'mcns_forward_cache_bytes'), ['mcns_forward_cache_bytes 700']);
  assert.deepEqual(lines(text, 'mcns_forward_spoofed_dropped_total'), ['mcns_forward_spoofed_dropped_total 3']);
  metrics.close();
});

test('storage: database and WAL sizes, and the newest snapshot\'s age (ignoring hidden, .partial and .tmp entries), or none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-metrics-'));
  try {
    const db = join(dir, 'mcns.db');
    writeFileSync(db, Buffer.alloc(4096));
    const backups = join(dir, 'backups');
    const now = Date.UTC(2026, 10, 22, 12, 0, 0);
    const metrics = createMetrics({ version: '0', commit: null, processMetrics: false, now: () => now });
    metrics.trackStorage(db, backups);
    let text = await metrics.render();
    assert.deepEqual(lines(text, 'mcns_database_size_bytes'), ['mcns_database_size_bytes 4096']);
    assert.deepEqual(lines(text, 'mcns_database_wal_size_bytes'), ['mcns_database_wal_size_bytes 0']);
    assert.deepEqual(lines(text, 'mcns_snapshot_newest_age_seconds'), []);
    writeFileSync(`${db}-wal`, Buffer.alloc(100));
    mkdirSync(backups);
    const at = (name: string, secondsAgo: number): void => {
      writeFileSync(join(backups, name), 'x');
      const t = (now - secondsAgo * 1000) / 1000;
      utimesSync(join(backups, name), t, t);
    };
    at('old.db', 7200);
    at('newer.db', 600);
    at('.hidden', 5);
    at('writing.db.tmp', 1);
    at('mcns-20261122-120000.db.partial', 1);
    text = await metrics.render();
    assert.deepEqual(lines(text, 'mcns_database_wal_size_bytes'), ['mcns_database_wal_size_bytes 100']);
    assert.deepEqual(lines(text, 'mcns_snapshot_newest_age_seconds'), ['mcns_snapshot_newest_age_seconds 600']);
    metrics.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('certificate expiry is read live, so a reloaded certificate shows at the next scrape', async () => {
  const metrics = createMetrics({ version: '0', commit: null, processMetrics: false });
  let notAfter = new Date('2027-01-01T00:00:00Z');
  metrics.trackTlsCertificate('api', { certPath: '/srv/mcns/tls/cert.pem', notAfter: () => notAfter });
  assert.deepEqual(lines(await metrics.render(), 'mcns_tls_certificate_expiry_timestamp_seconds'),
    ['mcns_tls_certificate_expiry_timestamp_seconds{listener="api",file="/srv/mcns/tls/cert.pem"} 1798761600']);
  notAfter = new Date('2028-01-01T00:00:00Z');
  assert.deepEqual(lines(await metrics.render(), 'mcns_tls_certificate_expiry_timestamp_seconds'),
    ['mcns_tls_certificate_expiry_timestamp_seconds{listener="api",file="/srv/mcns/tls/cert.pem"} 1830297600']);
  metrics.close();
});

test('readGitCommit reads HEAD, a loose ref or packed-refs, and gives null elsewhere', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-git-'));
  try {
    const hash = 'a'.repeat(40);
    assert.equal(readGitCommit(dir), null);
    mkdirSync(join(dir, '.git', 'refs', 'heads'), { recursive: true });
    writeFileSync(join(dir, '.git', 'HEAD'), `${hash}\n`);
    assert.equal(readGitCommit(dir), hash);
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(dir, '.git', 'packed-refs'), `# pack-refs with: peeled\n${'b'.repeat(40)} refs/heads/main\n`);
    assert.equal(readGitCommit(dir), 'b'.repeat(40));
    writeFileSync(join(dir, '.git', 'refs', 'heads', 'main'), `${'c'.repeat(40)}\n`);
    assert.equal(readGitCommit(dir), 'c'.repeat(40));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
