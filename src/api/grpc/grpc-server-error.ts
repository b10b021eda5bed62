// The gRPC listener's own error: a stable code and a message naming the address.

/** Why the gRPC listener could not start. */
export type GrpcServerErrorCode =
  | 'ADDRESS_IN_USE'     // EADDRINUSE: another process holds the address and port
  | 'ADDRESS_DENIED'     // EACCES: a privileged port without the right to bind it
  | 'LISTEN_FAILED';     // anything else the kernel refused (EADDRNOTAVAIL, ...)

/** The gRPC listener failed to start: `127.0.0.1:9443 (grpc) is already in use`. */
export class GrpcServerError extends Error {
  readonly code: GrpcServerErrorCode;
  constructor(code: GrpcServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GrpcServerError';
    this.code = code;
  }
}
