// The DNS families: requests and responses by transport, question type and RCODE,
// response sizes, sampled latency, drops and errors, TCP connections, and the
// answer cache, all read from the counters src/server and src/query keep.
import type { Registry } from 'prom-client';
import type { DnsServerSource, QueryEngineSource } from './metric-sources.js';
import { pushHistogram, registerPulled } from './pulled-metric.js';

/** The transports, as label values. */
const TRANSPORTS = ['udp', 'tcp'] as const;

/** Registers every mcns_dns_* family over the transports and the engine. */
export function registerDnsMetrics(registry: Registry, server: DnsServerSource, engine: QueryEngineSource): void {
  const s = server.stats;
  registerPulled(registry, 'mcns_dns_requests_total', 'DNS messages received, by transport.', 'counter', (out) => {
    out.push({ labels: { transport: 'udp' }, value: s.udpReceived }, { labels: { transport: 'tcp' }, value: s.tcpQueries });
  });
  registerPulled(registry, 'mcns_dns_responses_total', 'DNS responses sent, by transport, question type and RCODE (the first message of a zone transfer).', 'counter', (out) => {
    server.responses.eachCount((transport, qtype, rcode, value) => out.push({ labels: { transport, qtype, rcode }, value }));
  });
  registerPulled(registry, 'mcns_dns_response_size_bytes', 'Size of DNS responses sent, by transport.', 'histogram', (out) => {
    for (const transport of TRANSPORTS) {
      pushHistogram(out, 'mcns_dns_response_size_bytes', { transport }, server.responses.sizeHistogram(transport));
    }
  });
  registerPulled(registry, 'mcns_dns_request_duration_seconds',
    `Time from reading a DNS request to handing its response to the socket, by transport; 1 request in ${server.responses.sampleEvery} is timed.`, 'histogram', (out) => {
      for (const transport of TRANSPORTS) {
        pushHistogram(out, 'mcns_dns_request_duration_seconds', { transport }, server.responses.latencyHistogram(transport));
      }
    });
  registerPulled(registry, 'mcns_dns_dropped_requests_total', 'DNS requests that got no response (not a query, a failed forward, a zone transfer over UDP), by transport.', 'counter', (out) => {
    out.push({ labels: { transport: 'udp' }, value: s.udpDropped }, { labels: { transport: 'tcp' }, value: s.tcpDropped });
  });
  registerPulled(registry, 'mcns_dns_malformed_requests_total', 'DNS requests dropped unanswered because they were not queries: shorter than a header, or a response.', 'counter', (out) => {
    out.push({ labels: {}, value: engine.stats.dropped });
  });
  registerPulled(registry, 'mcns_dns_internal_errors_total', 'Unexpected exceptions on the query path and replies that could not be sent whole; each one is a bug.', 'counter', (out) => {
    out.push({ labels: {}, value: engine.stats.internalErrors + s.engineErrors + s.badReplies });
  });
  registerPulled(registry, 'mcns_dns_socket_errors_total', 'Socket errors of the DNS transports (failed UDP sends, TCP resets and accept failures), by transport.', 'counter', (out) => {
    out.push({ labels: { transport: 'udp' }, value: s.udpErrors }, { labels: { transport: 'tcp' }, value: s.tcpErrors });
  });
  registerPulled(registry, 'mcns_dns_udp_socket_info', 'Always 1; the label says which UDP socket serves DNS: batched (recvmmsg/sendmmsg) or dgram (Node\'s).', 'gauge', (out) => {
    out.push({ labels: { kind: server.udpPath }, value: 1 });
  });
  registerPulled(registry, 'mcns_dns_tcp_connections_open', 'DNS TCP connections open now.', 'gauge', (out) => {
    out.push({ labels: {}, value: s.tcpOpen });
  });
  registerPulled(registry, 'mcns_dns_tcp_connections_accepted_total', 'DNS TCP connections accepted.', 'counter', (out) => {
    out.push({ labels: {}, value: s.tcpAccepted });
  });
  registerPulled(registry, 'mcns_dns_tcp_connections_refused_total', 'DNS TCP connections closed on accept because [dns] tcp_max_connections were open.', 'counter', (out) => {
    out.push({ labels: {}, value: s.tcpRejected });
  });
  registerPulled(registry, 'mcns_dns_tcp_connections_closed_total', 'DNS TCP connections the server ended, by reason (idle timeout, per-connection query limit).', 'counter', (out) => {
    out.push({ labels: { reason: 'idle' }, value: s.tcpIdleClosed }, { labels: { reason: 'query_limit' }, value: s.tcpQueryLimitClosed });
  });
  registerPulled(registry, 'mcns_dns_tcp_backpressure_total', 'Times a DNS TCP connection stopped reading because its client did not read its responses.', 'counter', (out) => {
    out.push({ labels: {}, value: s.tcpBackpressure });
  });
  registerPulled(registry, 'mcns_dns_answer_cache_hits_total', 'DNS requests answered from the answer cache of encoded responses.', 'counter', (out) => {
    out.push({ labels: {}, value: engine.stats.cacheHits });
  });
  registerPulled(registry, 'mcns_dns_answer_cache_misses_total', 'Cacheable DNS requests not found in the answer cache.', 'counter', (out) => {
    out.push({ labels: {}, value: engine.stats.cacheMisses });
  });
  registerPulled(registry, 'mcns_dns_answer_cache_entries', 'Responses held in the answer cache now.', 'gauge', (out) => {
    out.push({ labels: {}, value: engine.cacheEntries });
  });
  registerPulled(registry, 'mcns_dns_forwarded_requests_total', 'DNS requests for names outside our zones handed to the forwarder (its cache included).', 'counter', (out) => {
    out.push({ labels: {}, value: engine.stats.forwarded + engine.stats.forwardCacheHits });
  });
}
