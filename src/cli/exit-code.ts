// The tables from error codes to exit codes (documented in src/cli/README.md).
//
//   0  ok
//   2  usage: bad command line
//   3  not found: zone, RRset, token, file, database
//   4  invalid input: config, zone file, record data, batch
//   5  server or runtime error: unreachable server, TLS failure, address in use, internal error
//   6  authentication or permission: no token, bad token, role or zone scope refused
//   7  conflict: the zone already exists, the expected serial did not match

/** Exit codes of mcns. */
export const ExitCode = {
  OK: 0,
  /** Bad command line: unknown verb or option, missing argument, malformed name. */
  USAGE: 2,
  /** The zone, RRset, token, file or database named does not exist. */
  NOT_FOUND: 3,
  /** Input refused: invalid config, zone file or record data that does not parse or validate. */
  INVALID: 4,
  /** The server or the system failed: server unreachable, TLS error, address in use, database unusable, internal error. */
  RUNTIME: 5,
  /** The API refused the credential (missing, malformed, revoked, expired) or its role or zone scope. */
  AUTH: 6,
  /** The change conflicts with the current state: the zone exists already, or the expected serial is stale. */
  CONFLICT: 7,
} as const;
/** One of ExitCode's values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Stable error codes of the local layers (config, store, zone file, server, CLI) to exit codes. */
const BY_CODE: Readonly<Record<string, ExitCode>> = {
  USAGE: ExitCode.USAGE,
  INVALID_ARGUMENT: ExitCode.INVALID,
  NOT_FOUND: ExitCode.NOT_FOUND,
  CONFIG: ExitCode.INVALID,
  ZONE_FILE: ExitCode.INVALID,
  INVALID: ExitCode.INVALID,
  ALREADY_EXISTS: ExitCode.CONFLICT,
  ABORTED: ExitCode.CONFLICT,
  FAILED_PRECONDITION: ExitCode.INVALID,
  BAD_TEXT: ExitCode.INVALID,
  UNAUTHENTICATED: ExitCode.AUTH,
  SCHEMA_TOO_NEW: ExitCode.RUNTIME,
  // ops: a damaged database or snapshot (src/ops/ops-error.ts).
  CORRUPT: ExitCode.RUNTIME,
  OPEN_FAILED: ExitCode.RUNTIME,
  ADDRESS_IN_USE: ExitCode.RUNTIME,
  // The server layer's PERMISSION_DENIED is EACCES on bind, a system problem; the
  // API's PERMISSION_DENIED (a role or scope refusal) goes through API_EXIT below.
  PERMISSION_DENIED: ExitCode.RUNTIME,
  ADDRESS_NOT_AVAILABLE: ExitCode.RUNTIME,
  INVALID_ADDRESS: ExitCode.RUNTIME,
  BIND_FAILED: ExitCode.RUNTIME,
  QUERY_LOG_FAILED: ExitCode.RUNTIME,
  UNAVAILABLE: ExitCode.RUNTIME,
  INTERNAL: ExitCode.RUNTIME,
};

/** The service's error codes (as the REST API returns them) and the client's own transport codes to exit codes. */
const API_EXIT: Readonly<Record<string, ExitCode>> = {
  INVALID_ARGUMENT: ExitCode.INVALID,
  NOT_FOUND: ExitCode.NOT_FOUND,
  ALREADY_EXISTS: ExitCode.CONFLICT,
  ABORTED: ExitCode.CONFLICT,
  FAILED_PRECONDITION: ExitCode.CONFLICT,
  UNAUTHENTICATED: ExitCode.AUTH,
  PERMISSION_DENIED: ExitCode.AUTH,
  UNAVAILABLE: ExitCode.RUNTIME,
  INTERNAL: ExitCode.RUNTIME,
  // The client's own: the server could not be reached or spoke something else.
  CONNECTION_REFUSED: ExitCode.RUNTIME,
  TLS: ExitCode.RUNTIME,
  TIMEOUT: ExitCode.RUNTIME,
  NETWORK: ExitCode.RUNTIME,
  BAD_RESPONSE: ExitCode.RUNTIME,
  NOT_READY: ExitCode.RUNTIME,
};

/** The exit code for an error thrown by a verb; anything unknown is RUNTIME. */
export function exitCodeFor(err: unknown): ExitCode {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return ExitCode.RUNTIME;
  const table = isApiError(err) ? API_EXIT : BY_CODE;
  return table[code] ?? ExitCode.RUNTIME;
}

/** True for errors whose message is meant for the operator as is (a layer's own error class). */
export function isExpectedError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (isApiError(err) ? code in API_EXIT : code in BY_CODE);
}

/** Errors from the management API carry `remote: true` (./api-error.ts) and use API_EXIT. */
function isApiError(err: unknown): boolean {
  return (err as { remote?: unknown } | null)?.remote === true;
}
