// Upstream round-trip times as a fixed-bucket histogram, in the shape a Prometheus
// histogram wants (cumulative "le" buckets, sum, count), without prom-client.

/** Upper bounds of the buckets, in milliseconds; a final +Inf bucket is implied. */
export const LATENCY_BUCKETS_MS: readonly number[] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

/** A histogram snapshot: cumulative counts per upper bound (the last is +Inf), sum in ms, count. */
export interface LatencySnapshot {
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly sumMs: number;
  readonly count: number;
}

/** Counts observations into LATENCY_BUCKETS_MS. */
export class LatencyHistogram {
  readonly #counts = new Float64Array(LATENCY_BUCKETS_MS.length + 1);
  #sum = 0;
  #count = 0;

  /** Adds one round trip of `ms` milliseconds. */
  observe(ms: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]!) i++;
    this.#counts[i] = this.#counts[i]! + 1;
    this.#sum += ms;
    this.#count++;
  }

  /** The cumulative view (each bucket counts every observation at or below its bound). */
  snapshot(): LatencySnapshot {
    const buckets: { le: number; count: number }[] = [];
    let running = 0;
    for (let i = 0; i <= LATENCY_BUCKETS_MS.length; i++) {
      running += this.#counts[i]!;
      buckets.push({ le: i < LATENCY_BUCKETS_MS.length ? LATENCY_BUCKETS_MS[i]! : Number.POSITIVE_INFINITY, count: running });
    }
    return { buckets, sumMs: this.#sum, count: this.#count };
  }
}
