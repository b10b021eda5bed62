// src/metrics/README.md must document exactly the families the registry exposes,
// with their type (CoreDNS checks its plugin READMEs the same way): a metric
// nobody documented, or a documented one that no longer exists, fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMetrics } from '../src/metrics/index.js';
import { ResponseStats } from '../src/server/index.js';
import { REPO_ROOT } from './helpers/start-mcns.js';

/** Rows of the README's metric tables: name -> type, from lines "| `mcns_...` | type | ...". */
function documented(markdown: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of markdown.split('\n')) {
    const m = /^\| `(mcns_[a-z0-9_]+)` \| ([a-z]+) \|/.exec(line);
    if (m === null) continue;
    assert.ok(!rows.has(m[1]!), `${m[1]} is documented twice`);
    rows.set(m[1]!, m[2]!);
  }
  return rows;
}

/** A registry with every source tracked, so every family is registered. */
async function everyFamily(): Promise<Map<string, string>> {
  const metrics = createMetrics({ version: '0.0.0', commit: null });
  try {
    const counters = {
      udpReceived: 0, udpDropped: 0, udpErrors: 0, tcpAccepted: 0, tcpRejected: 0, tcpOpen: 0, tcpQueries: 0, tcpDropped: 0,
      tcpIdleClosed: 0, tcpQueryLimitClosed: 0, tcpBackpressure: 0, tcpErrors: 0, badReplies: 0, engineErrors: 0,
    };
    metrics.trackDns({ stats: counters, responses: new ResponseStats(), udpPath: 'batched' },
      { stats: { cacheHits: 0, cacheMisses: 0, forwardCacheHits: 0, forwarded: 0, dropped: 0, internalErrors: 0 }, cacheEntries: 0 });
    metrics.trackZones(() => []);
    metrics.trackStorage('/nonexistent/mcns.db', '/nonexistent/backups');
    metrics.trackTlsCertificate('api', { certPath: '/nonexistent/cert.pem', notAfter: () => new Date(0) });
    metrics.trackForwarder({
      stats: () => ({
        upstreams: [],
        cache: { hits: 0, misses: 0, entries: 0, bytes: 0, maxBytes: 0, evictions: 0, staleServed: 0 },
        spoofedDropped: 0, inFlight: 0, overloaded: 0, failures: 0,
      }),
    });
    // Families whose samples come from the exposition: read the TYPE lines, as a scraper would.
    const text = await metrics.render();
    const families = new Map<string, string>();
    for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) families.set(m[1]!, m[2]!);
    assert.deepEqual([...families.keys()].sort(), metrics.names().sort(), 'every registered family is in the exposition');
    return families;
  } finally {
    metrics.close();
  }
}

test('src/metrics/README.md documents every metric the registry exposes, with its type, and no other', async () => {
  const readme = documented(readFileSync(join(REPO_ROOT, 'src', 'metrics', 'README.md'), 'utf8'));
  const exposed = await everyFamily();
  const undocumented = [...exposed.keys()].filter((name) => !readme.has(name));
  const stale = [...readme.keys()].filter((name) => !exposed.has(name));
  assert.deepEqual(undocumented, [], 'exposed but not in src/metrics/README.md');
  assert.deepEqual(stale, [], 'in src/metrics/README.md but not exposed');
  const wrongType = [...exposed].filter(([name, type]) => readme.get(name) !== type).map(([name, type]) => `${name}: ${type}, README says ${readme.get(name)}`);
  assert.deepEqual(wrongType, []);
});

test('every metric name has the mcns_ prefix', async () => {
  const exposed = await everyFamily();
  assert.deepEqual([...exposed.keys()].filter((name) => !name.startsWith('mcns_')), []);
});
