// What the metrics layer reads, as structural types: metrics/ imports nothing from
// the other folders (test/architecture.test.ts), so each source is described here
// by the few members read at scrape time, and main.ts passes the real objects.

/** A histogram as plain numbers: per-bucket counts (not cumulative; one more than `bounds`, for +Inf) and their sum. */
export interface BucketCounts {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
}

/** The transport counters of src/server (ServerStats). */
export interface DnsTransportCounters {
  readonly udpReceived: number;
  readonly udpDropped: number;
  readonly udpErrors: number;
  readonly tcpAccepted: number;
  readonly tcpRejected: number;
  readonly tcpOpen: number;
  readonly tcpQueries: number;
  readonly tcpDropped: number;
  readonly tcpIdleClosed: number;
  readonly tcpQueryLimitClosed: number;
  readonly tcpBackpressure: number;
  readonly tcpErrors: number;
  readonly badReplies: number;
  readonly engineErrors: number;
}

/** Per-response counts the transports keep (src/server ResponseStats). */
export interface DnsResponseCounts {
  /** One request in this many is timed for latencyHistogram. */
  readonly sampleEvery: number;
  /** Calls `visit` with every non-zero count of responses by transport, question type and RCODE. */
  eachCount(visit: (transport: string, qtype: string, rcode: string, count: number) => void): void;
  /** Response sizes in bytes of one transport ("udp", "tcp"). */
  sizeHistogram(transport: string): BucketCounts;
  /** Sampled request-to-reply times in seconds of one transport. */
  latencyHistogram(transport: string): BucketCounts;
}

/** The DNS transports (src/server DnsServer). */
export interface DnsServerSource {
  readonly stats: DnsTransportCounters;
  readonly responses: DnsResponseCounts;
  /** The UDP socket in use ([dns] udp_io): the native batched one or Node's dgram. */
  readonly udpPath: 'batched' | 'dgram';
}

/** The query engine (src/query AuthoritativeEngine). */
export interface QueryEngineSource {
  readonly stats: {
    readonly cacheHits: number;
    readonly cacheMisses: number;
    readonly forwardCacheHits: number;
    readonly forwarded: number;
    readonly dropped: number;
    readonly internalErrors: number;
  };
  readonly cacheEntries: number;
}

/** One served zone as the metrics show it. */
export interface ZoneInfo {
  /** The origin in text form, "example.com.". */
  readonly zone: string;
  readonly serial: number;
  readonly records: number;
}

/** The zones served now, read at each scrape. */
export type ZoneListSource = () => Iterable<ZoneInfo>;

/** What one pass of loading zones from the database did (main.ts ReloadSummary). */
export interface ZoneLoadSummary {
  readonly loaded: number;
  readonly removed: number;
  readonly failed: number;
}

/** One upstream resolver's counters (src/forwarder UpstreamStats). */
export interface UpstreamCounters {
  readonly upstream: string;
  readonly queries: number;
  readonly answers: number;
  readonly failures: number;
  readonly timeouts: number;
  readonly down: boolean;
  /** Round-trip times: cumulative buckets with upper bounds in milliseconds (the last is +Inf), sum in ms. */
  readonly latency: {
    readonly buckets: readonly { readonly le: number; readonly count: number }[];
    readonly sumMs: number;
    readonly count: number;
  };
}

/** The forwarder (src/forwarder Forwarder.stats()). */
export interface ForwarderSource {
  stats(): {
    readonly upstreams: readonly UpstreamCounters[];
    readonly cache: {
      readonly hits: number;
      readonly misses: number;
      readonly entries: number;
      readonly bytes: number;
      readonly maxBytes: number;
      readonly evictions: number;
      readonly staleServed: number;
    };
    readonly spoofedDropped: number;
    readonly inFlight: number;
    readonly overloaded: number;
    readonly failures: number;
  };
}

/** A certificate a listener serves (src/api TlsMaterial). */
export interface TlsCertificateSource {
  readonly certPath: string;
  notAfter(): Date;
}
