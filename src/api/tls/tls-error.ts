// The TLS material's error: a stable code and a lowercase message naming the file.

/** Why TLS material could not be loaded or made. */
export type TlsErrorCode =
  | 'TLS_INVALID'  // a certificate or key file is missing, unreadable, not PEM, or the key does not match
  | 'TLS_SETUP';   // the self-signed CA and certificate could not be made or written

/** An error of the TLS material with a stable `code` and a message naming the file and the reason. */
export class TlsError extends Error {
  readonly code: TlsErrorCode;
  constructor(code: TlsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TlsError';
    this.code = code;
  }
}
