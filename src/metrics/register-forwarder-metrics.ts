// The forwarder families (only registered when forwarding is configured): each
// upstream's queries, failures, health and round-trip times, and the cache of
// upstream answers. One stats() call per family per scrape.
import type { Registry } from 'prom-client';
import type { ForwarderSource, UpstreamCounters } from './metric-sources.js';
import { pushHistogram, registerPulled } from './pulled-metric.js';

type ForwarderCounters = ReturnType<ForwarderSource['stats']>;

/** Registers every mcns_forward_* family over `forwarder`. */
export function registerForwarderMetrics(registry: Registry, forwarder: ForwarderSource): void {
  const perUpstream = (name: string, help: string, type: 'counter' | 'gauge', pick: (u: UpstreamCounters) => number): void => {
    registerPulled(registry, name, help, type, (out) => {
      for (const u of forwarder.stats().upstreams) out.push({ labels: { upstream: u.upstream }, value: pick(u) });
    });
  };
  const whole = (name: string, help: string, type: 'counter' | 'gauge', pick: (s: ForwarderCounters) => number): void => {
    registerPulled(registry, name, help, type, (out) => {
      out.push({ labels: {}, value: pick(forwarder.stats()) });
    });
  };
  perUpstream('mcns_forward_upstream_queries_total', 'Queries sent to each upstream resolver (a TCP retry after TC counts again).', 'counter', (u) => u.queries);
  perUpstream('mcns_forward_upstream_answers_total', 'Usable answers (NOERROR, NXDOMAIN) from each upstream resolver.', 'counter', (u) => u.answers);
  perUpstream('mcns_forward_upstream_failures_total', 'Queries to each upstream resolver that failed: timeout, network error, unusable RCODE or malformed answer.', 'counter', (u) => u.failures);
  perUpstream('mcns_forward_upstream_timeouts_total', 'Queries to each upstream resolver that timed out (also counted in failures).', 'counter', (u) => u.timeouts);
  perUpstream('mcns_forward_upstream_up', '1 while an upstream resolver is in use, 0 while it is marked down after consecutive failures.', 'gauge', (u) => (u.down ? 0 : 1));
  registerPulled(registry, 'mcns_forward_upstream_latency_seconds', 'Round-trip time of usable answers from each upstream resolver.', 'histogram', (out) => {
    for (const u of forwarder.stats().upstreams) {
      const cumulative = u.latency.buckets;
      const bounds: number[] = [];
      const counts: number[] = [];
      let previous = 0;
      for (const b of cumulative) {
        if (Number.isFinite(b.le)) bounds.push(b.le / 1000);
        counts.push(b.count - previous);
        previous = b.count;
      }
      pushHistogram(out, 'mcns_forward_upstream_latency_seconds', { upstream: u.upstream }, { bounds, counts, sum: u.latency.sumMs / 1000 });
    }
  });
  whole('mcns_forward_cache_hits_total', 'Forwarded questions answered fresh from the forwarder\'s cache.', 'counter', (s) => s.cache.hits);
  whole('mcns_forward_cache_misses_total', 'Forwarded questions that went to the upstream resolvers.', 'counter', (s) => s.cache.misses);
  whole('mcns_forward_cache_entries', 'Answers held in the forwarder\'s cache now.', 'gauge', (s) => s.cache.entries);
  whole('mcns_forward_cache_bytes', 'Estimated memory held by the forwarder\'s cache now.', 'gauge', (s) => s.cache.bytes);
  whole('mcns_forward_cache_max_bytes', 'Byte budget of the forwarder\'s cache; least recently used answers go first.', 'gauge', (s) => s.cache.maxBytes);
  whole('mcns_forward_cache_evictions_total', 'Answers evicted from the forwarder\'s cache to stay within its budget.', 'counter', (s) => s.cache.evictions);
  whole('mcns_forward_cache_stale_served_total', 'Expired answers served because no upstream answered (RFC 8767).', 'counter', (s) => s.cache.staleServed);
  whole('mcns_forward_failures_total', 'Forwarded questions that got no answer from any upstream (clients got SERVFAIL or nothing).', 'counter', (s) => s.failures);
  whole('mcns_forward_overloaded_total', 'Forwarded questions refused at once because too many were waiting on upstreams.', 'counter', (s) => s.overloaded);
  whole('mcns_forward_spoofed_dropped_total', 'Upstream datagrams dropped because source, ID or question did not match (RFC 5452 9.1).', 'counter', (s) => s.spoofedDropped);
  whole('mcns_forward_in_flight', 'Questions waiting on upstream resolvers now.', 'gauge', (s) => s.inFlight);
}
