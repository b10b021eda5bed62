// The upstream resolvers, their health and their counters. An upstream that fails
// `failThreshold` times in a row is skipped for a backoff period, then one real query
// probes it; its success brings the upstream back, its failure doubles the backoff.
//
//                      success (from any state: counters reset, backoff reset)
//        +-------------------------------------------------------------+
//        v                                                             |
//     [ UP ] --failThreshold consecutive failures--> [ DOWN until t ]  |
//                                                      |        ^      |
//                                          now >= t    |        |      |
//                                                      v        |      |
//                                                  [ PROBE ] ---+------+
//                                             failure: backoff x2 (capped at backoffMaxMs)
//
// Selection order for one query: a due probe first (one query at a time claims it),
// then the UP upstreams in configured order, then the DOWN ones, soonest-due first:
// when every upstream is down they are still tried, rather than failing at once.
import { LatencyHistogram, type LatencySnapshot } from './latency-histogram.js';
import type { Upstream } from './parse-upstream.js';

/** Health tuning of the pool. */
export interface HealthOptions {
  /** Consecutive failures that mark an upstream down (default 3). */
  readonly failThreshold: number;
  /** First backoff period in ms (default 2000). */
  readonly backoffBaseMs: number;
  /** Longest backoff period in ms (default 60000). */
  readonly backoffMaxMs: number;
}

/** Why one try at an upstream failed. */
export type TryFailure = 'timeout' | 'network' | 'rcode' | 'malformed';

/** Counters and health of one upstream, as `stats()` reports them. */
export interface UpstreamStats {
  readonly upstream: string;
  /** Tries sent (UDP, plus the TCP retry after TC as a separate try). */
  readonly queries: number;
  /** Usable answers (NOERROR, NXDOMAIN). */
  readonly answers: number;
  /** Tries that failed for any reason, timeouts included. */
  readonly failures: number;
  readonly timeouts: number;
  /** Answers with SERVFAIL, REFUSED, FORMERR, NOTIMP or another unusable rcode. */
  readonly badRcodes: number;
  /** UDP answers with TC that were asked again over TCP. */
  readonly tcpRetries: number;
  readonly down: boolean;
  /** When a down upstream may be probed again (ms since the epoch of the injected clock), or null. */
  readonly downUntil: number | null;
  readonly consecutiveFailures: number;
  /** Round-trip times of usable answers. */
  readonly latency: LatencySnapshot;
}

/** One upstream with its mutable health and counters. */
export class UpstreamState {
  readonly upstream: Upstream;
  queries = 0;
  answers = 0;
  failures = 0;
  timeouts = 0;
  badRcodes = 0;
  tcpRetries = 0;
  consecutiveFailures = 0;
  /** 0 while up; otherwise when the next probe may go. */
  downUntil = 0;
  backoffMs = 0;
  probing = false;
  readonly latency = new LatencyHistogram();

  constructor(upstream: Upstream) {
    this.upstream = upstream;
  }

  /** The counters as plain data. */
  snapshot(): UpstreamStats {
    return {
      upstream: this.upstream.label,
      queries: this.queries,
      answers: this.answers,
      failures: this.failures,
      timeouts: this.timeouts,
      badRcodes: this.badRcodes,
      tcpRetries: this.tcpRetries,
      down: this.downUntil !== 0,
      downUntil: this.downUntil === 0 ? null : this.downUntil,
      consecutiveFailures: this.consecutiveFailures,
      latency: this.latency.snapshot(),
    };
  }
}

/** Called when an upstream changes between up and down, for logging. */
export type HealthListener = (upstream: string, state: 'up' | 'down', detail: string) => void;

/** The set of upstreams with health-aware selection. */
export class UpstreamPool {
  readonly #states: readonly UpstreamState[];
  readonly #options: HealthOptions;
  readonly #onChange: HealthListener | undefined;

  constructor(upstreams: readonly Upstream[], options: HealthOptions, onChange?: HealthListener) {
    this.#states = upstreams.map((u) => new UpstreamState(u));
    this.#options = options;
    this.#onChange = onChange;
  }

  /** Every upstream, in configured order. */
  get states(): readonly UpstreamState[] {
    return this.#states;
  }

  /**
   * The upstreams to try for one query, best first (see the diagram above). A due
   * probe is claimed by this call: the caller must report its outcome or `release` it.
   */
  order(now: number): UpstreamState[] {
    const up: UpstreamState[] = [];
    const down: UpstreamState[] = [];
    let probe: UpstreamState | null = null;
    for (const s of this.#states) {
      if (s.downUntil === 0) up.push(s);
      else if (probe === null && !s.probing && now >= s.downUntil) probe = s;
      else down.push(s);
    }
    down.sort((a, b) => a.downUntil - b.downUntil);
    if (probe !== null) {
      probe.probing = true;
      return [probe, ...up, ...down];
    }
    return up.length === this.#states.length ? up : [...up, ...down];
  }

  /** True when every upstream is down and none is due for a probe (RFC 8767 failure recheck). */
  allDown(now: number): boolean {
    for (const s of this.#states) {
      if (s.downUntil === 0 || (!s.probing && now >= s.downUntil)) return false;
    }
    return this.#states.length > 0;
  }

  /** Records a usable answer after `latencyMs`. */
  recordSuccess(s: UpstreamState, latencyMs: number): void {
    s.answers++;
    s.latency.observe(latencyMs);
    const wasDown = s.downUntil !== 0;
    s.consecutiveFailures = 0;
    s.downUntil = 0;
    s.backoffMs = 0;
    s.probing = false;
    if (wasDown) this.#onChange?.(s.upstream.label, 'up', 'answered again');
  }

  /** Records a failed try; may mark the upstream down or extend its backoff. */
  recordFailure(s: UpstreamState, why: TryFailure, now: number): void {
    s.failures++;
    if (why === 'timeout') s.timeouts++;
    else if (why === 'rcode') s.badRcodes++;
    s.consecutiveFailures++;
    const { failThreshold, backoffBaseMs, backoffMaxMs } = this.#options;
    if (s.downUntil !== 0) {
      // A failed probe, or a try at a down upstream because all were down.
      s.backoffMs = Math.min(backoffMaxMs, Math.max(backoffBaseMs, s.backoffMs * 2));
      s.downUntil = now + s.backoffMs;
      s.probing = false;
      return;
    }
    if (s.consecutiveFailures >= failThreshold) {
      s.backoffMs = backoffBaseMs;
      s.downUntil = now + s.backoffMs;
      this.#onChange?.(s.upstream.label, 'down', `${s.consecutiveFailures} failures in a row (last: ${why}); next probe in ${s.backoffMs} ms`);
    }
  }

  /** Gives back a claimed probe whose query was abandoned (aborted) before an outcome. */
  release(s: UpstreamState): void {
    s.probing = false;
  }
}
