// The process logger: pino writing to stderr, JSON for machines, one short line per
// event for a person at a terminal.
import { pino, type Logger as PinoLogger } from 'pino';
import { formatLogLine } from './format-log-line.js';

/** The levels an operator can choose in `[log] level`. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** One of LOG_LEVELS. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The structured logger every layer receives (pino's). */
export type Logger = PinoLogger;

/** Where log lines go: anything with a synchronous write (stderr, a test buffer). */
export interface LogSink {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** Options of createLogger; by default stderr, pretty when stderr is a terminal. */
export interface LoggerOptions {
  readonly level: LogLevel;
  /** Defaults to process.stderr. */
  readonly sink?: LogSink;
  /** Human lines instead of JSON; defaults to whether the sink is a TTY. */
  readonly pretty?: boolean;
}

/** Children of each root logger, so that setLogLevel reaches them (pino copies the level into a child when making it). */
const childrenOf = new WeakMap<Logger, ChildSet>();

/** Creates the logger: JSON lines to stderr, or formatLogLine when stderr is a TTY. */
export function createLogger(options: LoggerOptions): Logger {
  const sink: LogSink = options.sink ?? process.stderr;
  const pretty = options.pretty ?? sink.isTTY === true;
  // pino calls write() once per event with the complete JSON line; writing
  // synchronously means nothing is lost when the process exits right after.
  const destination = pretty
    ? { write: (line: string) => { sink.write(formatLogLine(line)); } }
    : { write: (line: string) => { sink.write(line); } };
  const children = new ChildSet();
  const root = pino({
    level: options.level, base: null, timestamp: pino.stdTimeFunctions.isoTime, onChild: (child) => children.add(child),
  }, destination);
  childrenOf.set(root, children);
  return root;
}

/** Sets the level of a logger made by createLogger and of every child made from it so far or later (SIGHUP). */
export function setLogLevel(root: Logger, level: LogLevel): void {
  root.level = level;
  childrenOf.get(root)?.setLevel(level);
}

/**
 * Weak references to the children of one root: the REST layer makes a child per
 * request, so dead ones are pruned whenever the set has doubled since the last pass.
 */
class ChildSet {
  readonly #refs = new Set<WeakRef<Logger>>();
  #pruneAt = 64;

  add(child: Logger): void {
    this.#refs.add(new WeakRef(child));
    if (this.#refs.size < this.#pruneAt) return;
    for (const ref of this.#refs) if (ref.deref() === undefined) this.#refs.delete(ref);
    this.#pruneAt = Math.max(64, this.#refs.size * 2);
  }

  setLevel(level: LogLevel): void {
    for (const ref of this.#refs) {
      const child = ref.deref();
      if (child === undefined) this.#refs.delete(ref);
      else child.level = level;
    }
  }
}
