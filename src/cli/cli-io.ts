// What a CLI verb may touch of the process: passed in, so tests run verbs in-process.

/** Output streams, working directory, environment and signals of one CLI run. */
export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where SIGTERM, SIGINT and SIGHUP arrive (the process, or a test's emitter). */
  readonly signals: SignalSource;
  /** Ends the process at once with this code (a forced shutdown); absent in-process, where the verb returns the code instead. */
  readonly exit?: (code: number) => void;
}

/** The part of `process` that delivers signals. */
export interface SignalSource {
  on(signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP', listener: () => void): unknown;
  off(signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP', listener: () => void): unknown;
}

/** The real process's streams, cwd, environment and signals. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, signals: process,
    exit: (code) => process.exit(code),
  };
}
