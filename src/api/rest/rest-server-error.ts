// The REST listener's own error: a stable code (the server layer's names, which the
// CLI maps to exit 5) and one line an operator can act on.
import { listenAddressText, type ListenAddress } from '../../config/index.js';

/** Why the REST listener could not start. */
export type RestServerErrorCode =
  | 'ADDRESS_IN_USE'         // EADDRINUSE: another process holds the address and port
  | 'PERMISSION_DENIED'      // EACCES: a port below 1024 without the privilege to bind it
  | 'ADDRESS_NOT_AVAILABLE'  // EADDRNOTAVAIL: the address is not on this host
  | 'BIND_FAILED';           // anything else, with the system's code in the message

/** The REST listener failed to start: `127.0.0.1:8443 (rest, https) is already in use: ...`. */
export class RestServerError extends Error {
  readonly code: RestServerErrorCode;
  constructor(code: RestServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestServerError';
    this.code = code;
  }
}

/** Turns a listen failure into a RestServerError naming the address, the likely culprit and the config key. */
export function restListenError(err: unknown, address: ListenAddress): RestServerError {
  const where = `${listenAddressText(address)} (rest, https)`;
  const sys = (err as { code?: unknown } | null)?.code;
  switch (sys) {
    case 'EADDRINUSE':
      return new RestServerError('ADDRESS_IN_USE',
        `${where} is already in use: another process (perhaps another mcns) holds it; find it with ` +
        `"ss -tlpn 'sport = :${address.port}'" and stop it, or set [api] rest_addr to a free address`, { cause: err });
    case 'EACCES':
    case 'EPERM':
      return new RestServerError('PERMISSION_DENIED',
        `${where} cannot be bound: ports below 1024 need privileges; set [api] rest_addr to a port of 1024 or more`, { cause: err });
    case 'EADDRNOTAVAIL':
      return new RestServerError('ADDRESS_NOT_AVAILABLE',
        `${where} cannot be bound: the address is not assigned to any interface of this host; ` +
        'set [api] rest_addr to an address of this host (or 0.0.0.0 / [::])', { cause: err });
    default:
      return new RestServerError('BIND_FAILED', `${where} cannot be bound: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
