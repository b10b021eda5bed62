// The metrics listener's error: a stable code (the server layer's names, which the
// CLI maps to exit 5) and one line naming the address and the config key.

/** Why the metrics listener could not start. */
export type MetricsErrorCode =
  | 'ADDRESS_IN_USE'         // EADDRINUSE: another process holds the address and port
  | 'PERMISSION_DENIED'      // EACCES: a port below 1024 without the privilege to bind it
  | 'ADDRESS_NOT_AVAILABLE'  // EADDRNOTAVAIL: the address is not on this host
  | 'BIND_FAILED';           // anything else, with the system's message

/** The metrics listener failed to start: `metrics: 127.0.0.1:9153 (http) is already in use: ...`. */
export class MetricsError extends Error {
  readonly code: MetricsErrorCode;
  constructor(code: MetricsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MetricsError';
    this.code = code;
  }
}

/** Turns a listen failure on `where` ("127.0.0.1:9153") into a MetricsError that says what to do. */
export function metricsListenError(err: unknown, where: string, port: number): MetricsError {
  const prefix = `metrics: ${where} (http)`;
  switch ((err as { code?: unknown } | null)?.code) {
    case 'EADDRINUSE':
      return new MetricsError('ADDRESS_IN_USE',
        `${prefix} is already in use: another process (perhaps another mcns${port === 9153 ? ', or CoreDNS, whose default is also 9153' : ''}) holds it; find it with ` +
        `"ss -tlpn 'sport = :${port}'", or set [metrics] listen_addr to a free address or "off"`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new MetricsError('PERMISSION_DENIED',
        `${prefix} cannot be bound: ports below 1024 need privileges; set [metrics] listen_addr to a port of 1024 or more`, { cause: err });
    case 'EADDRNOTAVAIL':
      return new MetricsError('ADDRESS_NOT_AVAILABLE',
        `${prefix} cannot be bound: the address is not assigned to any interface of this host; ` +
        'set [metrics] listen_addr to an address of this host (or 0.0.0.0 / [::])', { cause: err });
    default:
      return new MetricsError('BIND_FAILED', `${prefix} cannot be bound: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
