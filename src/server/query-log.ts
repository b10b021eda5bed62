// The optional query log ([log] query_log): one JSON line per sampled response,
// appended to a file in batches by an asynchronous writer, so the transports only
// format a line and push it on an array. Off, its whole cost is the transports'
// `rate !== 0` branch.
//
//   off (rate 0) --configure(path, sample > 0)--> on --configure(...)--> flush, close, reopen
//                <--configure(path "" or 0)------    --close()---------> flush, close, off
import { open, type FileHandle } from 'node:fs/promises';
import { formatQueryLogLine } from './format-query-log-line.js';
import { silentLog, type ServerLog } from './server-log.js';

/** What [log] query_log and query_log_sample say. */
export interface QueryLogSettings {
  /** File appended to, or null for no query log. */
  readonly path: string | null;
  /** Fraction of responses logged, 0 to 1. */
  readonly sample: number;
}

/** Clock, randomness and batching of a QueryLog (tests pass their own). */
export interface QueryLogOptions {
  /** Milliseconds since the epoch, for each line's time. */
  readonly now?: () => number;
  /** Uniform in [0, 1), for sampling. */
  readonly random?: () => number;
  readonly log?: ServerLog;
  /** How long a line may wait for its batch; default 100 ms. */
  readonly flushIntervalMs?: number;
}

/** Bytes of lines waiting that start a write at once rather than at the timer. */
const FLUSH_BYTES = 256 * 1024;
/** Bytes of lines waiting beyond which new lines are dropped (and counted): the disk is behind. */
export const QUERY_LOG_MAX_PENDING_BYTES = 4 * 1024 * 1024;

/** The query log file and its writer; `rate` is read by the transports on every response. */
export class QueryLog {
  /** Fraction of responses logged; 0 when off. */
  rate = 0;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #log: ServerLog;
  readonly #flushIntervalMs: number;
  #path: string | null = null;
  #file: FileHandle | null = null;
  #lines: string[] = [];
  #bytes = 0;
  #dropped = 0;
  #writeFailed = false;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: QueryLogOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#log = options.log ?? silentLog;
    this.#flushIntervalMs = options.flushIntervalMs ?? 100;
  }

  /** The file lines go to, or null when off. */
  get path(): string | null {
    return this.#path;
  }

  /**
   * Writes what waits to the current file, closes it, then opens `settings.path`
   * (again, after a rotation) and samples at `settings.sample`; a path or sample
   * of none turns the log off. Rejects when the file cannot be opened (the log is then off).
   */
  configure(settings: QueryLogSettings): Promise<void> {
    return this.#serially(async () => {
      this.rate = 0;
      await this.#closeFile();
      if (settings.path === null || settings.sample <= 0) return;
      this.#file = await open(settings.path, 'a');
      this.#path = settings.path;
      this.#writeFailed = false;
      this.rate = Math.min(1, settings.sample);
    });
  }

  /** Logs one response when sampled; the transports call it only when `rate !== 0`. */
  record(transport: 'udp' | 'tcp', client: string, port: number, reply: Uint8Array): void {
    if (this.rate < 1 && this.#random() >= this.rate) return;
    if (this.#bytes >= QUERY_LOG_MAX_PENDING_BYTES) {
      this.#dropped++;
      return;
    }
    const line = formatQueryLogLine(this.#now(), transport, client, port, reply);
    this.#lines.push(line);
    this.#bytes += line.length;
    if (this.#writing !== null) return; // the writer takes it with the next batch
    if (this.#bytes >= FLUSH_BYTES) this.#startWriting();
    else this.#timer ??= setTimeout(this.#onTimer, this.#flushIntervalMs);
  }

  /** Writes what waits and closes the file; the log is off afterwards. */
  close(): Promise<void> {
    return this.#serially(async () => {
      this.rate = 0;
      await this.#closeFile();
    });
  }

  /** Runs configure and close one after the other (two SIGHUPs in a row must not open two files). */
  #serially(step: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(step);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  readonly #onTimer = (): void => {
    this.#timer = null;
    if (this.#writing === null) this.#startWriting();
  };

  #startWriting(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    this.#writing = this.#writeBatches().finally(() => {
      this.#writing = null;
    });
  }

  /** One write per batch: the lines that arrived while the previous write ran. */
  async #writeBatches(): Promise<void> {
    while (this.#lines.length > 0) {
      const chunk = this.#lines.join('');
      this.#lines = [];
      this.#bytes = 0;
      const file = this.#file;
      if (file === null) continue;
      try {
        await file.write(chunk);
      } catch (err) {
        if (!this.#writeFailed) this.#log.warn(`query log "${this.#path ?? ''}": write failed, lines dropped: ${(err as Error).message}`);
        this.#writeFailed = true;
      }
    }
  }

  async #closeFile(): Promise<void> {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    await this.#writing;
    if (this.#lines.length > 0) {
      this.#startWriting();
      await this.#writing;
    }
    const file = this.#file;
    const path = this.#path;
    this.#file = null;
    this.#path = null;
    if (this.#dropped > 0) {
      this.#log.warn(`query log "${path ?? ''}": ${this.#dropped} lines dropped, the disk was behind`);
      this.#dropped = 0;
    }
    await file?.close();
  }
}
