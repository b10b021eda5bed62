// An error the management API returned, or the reason it could not be reached.

/** Codes of ApiError: the service's (as the server sent them) and the client's own transport failures. */
export type ApiErrorCode =
  | 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'ABORTED' | 'FAILED_PRECONDITION'
  | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' | 'UNAVAILABLE' | 'INTERNAL'
  | 'CONNECTION_REFUSED' | 'TLS' | 'TIMEOUT' | 'NETWORK' | 'BAD_RESPONSE' | 'NOT_READY';

/** A failed API call: a stable code (mapped to an exit code by exit-code.ts), the HTTP status when there was one, and the input field at fault. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** HTTP status, 0 when no response came. */
  readonly status: number;
  /** The input field the server named ("records[1]", "ttl"), when it named one. */
  readonly field: string | undefined;
  /** Marks errors from the API, so exit-code.ts reads `code` as a service code. */
  readonly remote = true;
  constructor(code: ApiErrorCode, message: string, status = 0, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.field = field;
  }
}
