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

/** Creates the logger: JSON lines to stderr, or formatLogLine when stderr is a TTY. */
export function createLogger(options: LoggerOptions): Logger {
  const sink: LogSink = options.sink ?? process.stderr;
  const pretty = options.pretty ?? sink.isTTY === true;
  // pino calls write() once per event with the complete JSON line; writing
  // synchronously means nothing is lost when the process exits right after.
  const destination = pretty
    ? { write: (line: string) => { sink.write(formatLogLine(line)); } }
    : { write: (line: string) => { sink.write(line); } };
  return pino({ level: options.level, base: null, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
