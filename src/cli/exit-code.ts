// The one table from error codes to exit codes (documented in src/cli/README.md).

/** Exit codes of mcns. */
export const ExitCode = {
  OK: 0,
  /** Bad command line: unknown verb or option, missing argument, malformed name. */
  USAGE: 2,
  /** The zone, file or database named does not exist. */
  NOT_FOUND: 3,
  /** Input refused: invalid config, zone file that does not parse or validate, a conflict. */
  INVALID: 4,
  /** The server or the system failed: address in use, database unusable, internal error. */
  RUNTIME: 5,
} as const;
/** One of ExitCode's values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Stable error codes of every layer (and the service's, named like gRPC's) to exit codes. */
const BY_CODE: Readonly<Record<string, ExitCode>> = {
  USAGE: ExitCode.USAGE,
  INVALID_ARGUMENT: ExitCode.INVALID,
  NOT_FOUND: ExitCode.NOT_FOUND,
  CONFIG: ExitCode.INVALID,
  ZONE_FILE: ExitCode.INVALID,
  INVALID: ExitCode.INVALID,
  ALREADY_EXISTS: ExitCode.INVALID,
  FAILED_PRECONDITION: ExitCode.INVALID,
  BAD_TEXT: ExitCode.INVALID,
  SCHEMA_TOO_NEW: ExitCode.RUNTIME,
  OPEN_FAILED: ExitCode.RUNTIME,
  ADDRESS_IN_USE: ExitCode.RUNTIME,
  PERMISSION_DENIED: ExitCode.RUNTIME,
  ADDRESS_NOT_AVAILABLE: ExitCode.RUNTIME,
  INVALID_ADDRESS: ExitCode.RUNTIME,
  BIND_FAILED: ExitCode.RUNTIME,
  UNAVAILABLE: ExitCode.RUNTIME,
  INTERNAL: ExitCode.RUNTIME,
};

/** The exit code for an error thrown by a verb; anything unknown is RUNTIME. */
export function exitCodeFor(err: unknown): ExitCode {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (BY_CODE[code] ?? ExitCode.RUNTIME) : ExitCode.RUNTIME;
}

/** True for errors whose message is meant for the operator as is (a layer's own error class). */
export function isExpectedError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' &&
    (err as unknown as { code: string }).code in BY_CODE;
}
