// A metric family whose samples are read from another layer's counters when
// scraped, instead of being bumped through prom-client on the hot path. prom-client
// asks each registered metric for get() and formats what it returns, so this class
// offers the same get() as its Counter, Gauge and Histogram.
import type { Metric, Registry } from 'prom-client';
import type { BucketCounts } from './metric-sources.js';

/** Prometheus types a pulled family can have. */
export type PulledType = 'counter' | 'gauge' | 'histogram';

/** Label values of one sample. */
export type Labels = Readonly<Record<string, string>>;

/** One line of the exposition: `metricName` set for a histogram's _bucket, _sum and _count. */
export interface Sample {
  readonly value: number;
  readonly labels: Labels;
  readonly metricName?: string;
}

/** Fills `out` with the samples of one scrape; may be async (file sizes). */
export type ReadSamples = (out: Sample[]) => void | Promise<void>;

/** A family read at scrape time. */
export class PulledMetric {
  readonly name: string;
  readonly help: string;
  readonly type: PulledType;
  readonly aggregator = 'sum';
  readonly #read: ReadSamples;

  constructor(name: string, help: string, type: PulledType, read: ReadSamples) {
    this.name = name;
    this.help = help;
    this.type = type;
    this.#read = read;
  }

  /** What prom-client's registry formats. */
  async get(): Promise<{ name: string; help: string; type: PulledType; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    await this.#read(values);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Nothing to reset: the counters belong to their layer. */
  reset(): void {}
}

/** Registers a pulled family. */
export function registerPulled(registry: Registry, name: string, help: string, type: PulledType, read: ReadSamples): void {
  // The registry only calls get() (and reads name and type): see the header.
  registry.registerMetric(new PulledMetric(name, help, type, read) as unknown as Metric);
}

/** Appends the _bucket (cumulative, with le), _sum and _count samples of one histogram series. */
export function pushHistogram(out: Sample[], name: string, labels: Labels, histogram: BucketCounts): void {
  let running = 0;
  for (let i = 0; i <= histogram.bounds.length; i++) {
    running += histogram.counts[i] ?? 0;
    const le = i < histogram.bounds.length ? String(histogram.bounds[i]) : '+Inf';
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: running });
  }
  out.push({ metricName: `${name}_sum`, labels, value: histogram.sum });
  out.push({ metricName: `${name}_count`, labels, value: running });
}
