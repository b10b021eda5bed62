// The server layer's error: a stable code and a message an operator can act on
// without reading the code (the runbook's "Port 53 Already in Use" in one line).

/** Why the DNS transports could not start (or reopen their query log). */
export type ServerErrorCode =
  | 'ADDRESS_IN_USE'         // EADDRINUSE: another process holds the address and port
  | 'PERMISSION_DENIED'      // EACCES: a port below 1024 without the privilege to bind it
  | 'ADDRESS_NOT_AVAILABLE'  // EADDRNOTAVAIL: the address is not on this host
  | 'INVALID_ADDRESS'        // the listen host is not an IPv4 or IPv6 literal
  | 'BIND_FAILED'            // any other bind error, with the system's code in the message
  | 'BATCHED_UDP_UNAVAILABLE' // [dns] udp_io = "batched" without the native module (docs/adr/0004-batched-udp.md)
  | 'QUERY_LOG_FAILED';      // [log] query_log cannot be opened for appending

/** An error of the server layer with a stable `code` and a lowercase message naming the address. */
export class ServerError extends Error {
  readonly code: ServerErrorCode;
  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerError';
    this.code = code;
  }
}

/** `host:port`, with brackets around an IPv6 host. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * Turns a bind or listen failure into a ServerError whose message says what holds
 * the address and how to find it, or which privilege is missing.
 */
export function bindError(err: unknown, transport: 'udp' | 'tcp', host: string, port: number): ServerError {
  const where = `${formatAddress(host, port)} (${transport})`;
  const sys = (err as { code?: unknown } | null)?.code;
  const ss = transport === 'udp' ? 'ss -ulpn' : 'ss -tlpn';
  switch (sys) {
    case 'EADDRINUSE': {
      const culprit = port === 53
        ? 'another DNS server (named, unbound, dnsmasq) or systemd-resolved on 127.0.0.53:53 may hold it'
        : 'another process (perhaps another mcns) holds it';
      return new ServerError('ADDRESS_IN_USE',
        `${where} is already in use: ${culprit}; find it with "${ss} 'sport = :${port}'" and stop it, ` +
        'or set [dns] listen_addr to a free address', { cause: err });
    }
    case 'EACCES':
    case 'EPERM':
      return new ServerError('PERMISSION_DENIED',
        `${where} cannot be bound: ports below 1024 need privileges; run as root, grant ` +
        '"setcap cap_net_bind_service=+ep $(command -v node)" (or AmbientCapabilities=CAP_NET_BIND_SERVICE ' +
        'in the systemd unit), or set [dns] listen_addr to a port of 1024 or more', { cause: err });
    case 'EADDRNOTAVAIL':
      return new ServerError('ADDRESS_NOT_AVAILABLE',
        `${where} cannot be bound: the address is not assigned to any interface of this host; ` +
        'check "ip addr" and set [dns] listen_addr to an address of this host (or 0.0.0.0 / ::)', { cause: err });
    default: {
      const detail = err instanceof Error ? err.message : String(err);
      return new ServerError('BIND_FAILED', `${where} cannot be bound: ${detail}`, { cause: err });
    }
  }
}
