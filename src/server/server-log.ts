// The little the transports need from a logger; pino and console both fit.
import type { ServerStats } from './server-stats.js';

/** A minimal logger: one lowercase message per call. The transports never log on success per query. */
export interface ServerLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything, for when none is given. */
export const silentLog: ServerLog = { info() {}, warn() {}, error() {} };

/**
 * Counts an engine call that threw or rejected (the contract says it never does)
 * and logs the first one and every 10,000th after it, so one bad packet repeated
 * cannot flood the log.
 */
export function reportEngineError(stats: ServerStats, log: ServerLog, transport: 'udp' | 'tcp', err: unknown): void {
  stats.engineErrors++;
  if (stats.engineErrors % 10_000 === 1) {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    log.error(`query engine failed on a ${transport} request (${stats.engineErrors} so far): ${detail}`);
  }
}
