// Per-response counters the transports keep for the metrics layer: responses by
// transport, question type and RCODE, response sizes, and the time from reading a
// request to handing its reply to the socket (sampled). Typed arrays bumped on the
// hot path with no allocation and no closure (STYLE.md rule 8); metrics/ reads
// them when scraped, so the transports create no metrics.
import { RRType } from '../wire/index.js';

/** Index of each transport in the arrays below. */
export const TransportSlot = { udp: 0, tcp: 1 } as const;
/** One of TransportSlot's values. */
export type TransportSlot = (typeof TransportSlot)[keyof typeof TransportSlot];

/** Transport names by slot. */
export const RESPONSE_TRANSPORTS: readonly string[] = ['udp', 'tcp'];

/** Question types counted by name; any other type is "other", a response with no question "none". */
const NAMED_QTYPES = [
  'A', 'AAAA', 'NS', 'CNAME', 'SOA', 'PTR', 'MX', 'TXT', 'SRV', 'NAPTR', 'CAA', 'DNAME', 'DS', 'DNSKEY', 'RRSIG',
  'NSEC', 'NSEC3', 'NSEC3PARAM', 'TLSA', 'SVCB', 'HTTPS', 'CDS', 'CDNSKEY', 'ANY', 'AXFR', 'IXFR',
] as const satisfies readonly (keyof typeof RRType)[];

/** Labels of the question-type slots, in slot order: the named types, then "other", then "none". */
export const RESPONSE_QTYPES: readonly string[] = [...NAMED_QTYPES, 'other', 'none'];
const QTYPE_OTHER = NAMED_QTYPES.length;
const QTYPE_NONE = NAMED_QTYPES.length + 1;
const QTYPE_SLOTS = NAMED_QTYPES.length + 2;

/** Slot of every 16-bit type: one byte read per response instead of a search. */
const QTYPE_SLOT = new Uint8Array(65_536).fill(QTYPE_OTHER);
NAMED_QTYPES.forEach((name, slot) => { QTYPE_SLOT[RRType[name]] = slot; });

/**
 * Labels of the RCODE slots: header RCODEs 0-10 by name (RFC 1035 4.1.1, RFC 2136),
 * 11-15 (unassigned) as "other". An extended RCODE carried in OPT (BADVERS, RFC
 * 6891 6.1.3) is counted by the four header bits it leaves, which are 0.
 */
export const RESPONSE_RCODES: readonly string[] = [
  'NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH',
  'NOTZONE', 'other',
];
const RCODE_SLOTS = 12;

/** Upper bounds of the response size buckets, in bytes; 1232 is the EDNS size of DNS Flag Day 2020. */
export const RESPONSE_SIZE_BOUNDS: readonly number[] = [64, 128, 256, 512, 1024, 1232, 1500, 4096, 16_384];

/** Upper bounds of the latency buckets, in seconds (10 microseconds to 5 seconds). */
export const RESPONSE_LATENCY_BOUNDS: readonly number[] = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
  2.5, 5,
];

/** One request in this many is timed (a power of two): reading the clock twice costs more than the rest. */
export const LATENCY_SAMPLE_EVERY = 16;
const SAMPLE_MASK = LATENCY_SAMPLE_EVERY - 1;

/** Buckets as the arrays hold them: per transport, one count per bound plus +Inf (not cumulative). */
function bucketArray(bounds: readonly number[]): Float64Array {
  return new Float64Array(RESPONSE_TRANSPORTS.length * (bounds.length + 1));
}

/**
 * The counters. Only the transports write them; readers must not. Float64Array so
 * a counter stays exact to 2^53 (a Uint32 would wrap within a day at 50k q/s).
 */
export class ResponseStats {
  /** Responses, indexed [transport][qtype slot][rcode slot]. */
  readonly counts = new Float64Array(RESPONSE_TRANSPORTS.length * QTYPE_SLOTS * RCODE_SLOTS);
  /** Response sizes, indexed [transport][bucket of RESPONSE_SIZE_BOUNDS, then +Inf]. */
  readonly sizeBuckets = bucketArray(RESPONSE_SIZE_BOUNDS);
  /** Sum of response sizes in bytes, by transport. */
  readonly sizeSums = new Float64Array(RESPONSE_TRANSPORTS.length);
  /** Sampled latencies, indexed [transport][bucket of RESPONSE_LATENCY_BOUNDS, then +Inf]. */
  readonly latencyBuckets = bucketArray(RESPONSE_LATENCY_BOUNDS);
  /** Sum of the sampled latencies in seconds, by transport. */
  readonly latencySums = new Float64Array(RESPONSE_TRANSPORTS.length);
  /** One request in this many is timed. */
  readonly sampleEvery = LATENCY_SAMPLE_EVERY;
  #tick = 0;

  /** True for one request in LATENCY_SAMPLE_EVERY: the caller then reads the clock. */
  sample(): boolean {
    return (++this.#tick & SAMPLE_MASK) === 0;
  }

  /**
   * Counts one response by its question type and RCODE, read from the bytes: the
   * question name is the first in the message, so it is never compressed.
   */
  record(transport: TransportSlot, reply: Uint8Array): void {
    const length = reply.length;
    let qtype = QTYPE_NONE;
    let rcode = 0;
    if (length >= 12) {
      rcode = reply[3]! & 0x0f;
      if (rcode > 10) rcode = 11;
      if ((reply[4]! | reply[5]!) !== 0) {
        let at = 12;
        let label = reply[at];
        while (label !== undefined && label !== 0 && label < 0x40) {
          at += label + 1;
          label = reply[at];
        }
        if (label !== undefined && label >= 0xc0) at++; // a pointer is two bytes; never expected here
        at++;
        if (at + 2 <= length) qtype = QTYPE_SLOT[(reply[at]! << 8) | reply[at + 1]!]!;
      }
    }
    const counts = this.counts;
    const cell = (transport * QTYPE_SLOTS + qtype) * RCODE_SLOTS + rcode;
    counts[cell] = counts[cell]! + 1;
    let bucket = 0;
    while (bucket < RESPONSE_SIZE_BOUNDS.length && length > RESPONSE_SIZE_BOUNDS[bucket]!) bucket++;
    const sizes = this.sizeBuckets;
    const at = transport * (RESPONSE_SIZE_BOUNDS.length + 1) + bucket;
    sizes[at] = sizes[at]! + 1;
    this.sizeSums[transport] = this.sizeSums[transport]! + length;
  }

  /** Adds one sampled latency, from `startMs` (performance.now() when the request was read) to now. */
  observeSince(transport: TransportSlot, startMs: number): void {
    const seconds = (performance.now() - startMs) / 1000;
    let bucket = 0;
    while (bucket < RESPONSE_LATENCY_BOUNDS.length && seconds > RESPONSE_LATENCY_BOUNDS[bucket]!) bucket++;
    const buckets = this.latencyBuckets;
    const at = transport * (RESPONSE_LATENCY_BOUNDS.length + 1) + bucket;
    buckets[at] = buckets[at]! + 1;
    this.latencySums[transport] = this.latencySums[transport]! + seconds;
  }

  /** Calls `visit` with every non-zero count, by label (scrape time only). */
  eachCount(visit: (transport: string, qtype: string, rcode: string, count: number) => void): void {
    const counts = this.counts;
    for (let t = 0; t < RESPONSE_TRANSPORTS.length; t++) {
      for (let q = 0; q < QTYPE_SLOTS; q++) {
        for (let r = 0; r < RCODE_SLOTS; r++) {
          const n = counts[(t * QTYPE_SLOTS + q) * RCODE_SLOTS + r]!;
          if (n > 0) visit(RESPONSE_TRANSPORTS[t]!, RESPONSE_QTYPES[q]!, RESPONSE_RCODES[r]!, n);
        }
      }
    }
  }

  /** The response sizes of one transport ("udp" or "tcp"), as bounds, per-bucket counts and sum. */
  sizeHistogram(transport: string): BucketCounts {
    return histogramOf(transport, RESPONSE_SIZE_BOUNDS, this.sizeBuckets, this.sizeSums);
  }

  /** The sampled latencies of one transport, in seconds. */
  latencyHistogram(transport: string): BucketCounts {
    return histogramOf(transport, RESPONSE_LATENCY_BOUNDS, this.latencyBuckets, this.latencySums);
  }
}

/** A histogram as plain numbers: per-bucket counts (not cumulative; the last is +Inf) and their sum. */
export interface BucketCounts {
  readonly bounds: readonly number[];
  readonly counts: readonly number[];
  readonly sum: number;
}

function histogramOf(transport: string, bounds: readonly number[], buckets: Float64Array, sums: Float64Array): BucketCounts {
  const t = RESPONSE_TRANSPORTS.indexOf(transport);
  if (t < 0) return { bounds, counts: new Array<number>(bounds.length + 1).fill(0), sum: 0 };
  const width = bounds.length + 1;
  return { bounds, counts: Array.from(buckets.subarray(t * width, (t + 1) * width)), sum: sums[t]! };
}
