// The auth layer's error: a stable code (named like the service's, so adapters map
// it with the same table) and a lowercase message naming what was wrong.

/** Why a caller was not let in. */
export type AuthErrorCode =
  | 'UNAUTHENTICATED'    // no credential, or one that is malformed, unknown, revoked, expired or inactive: 401
  | 'PERMISSION_DENIED'  // the identity provider vouches for the caller but grants no mcns role: 403
  | 'UNAVAILABLE';       // the identity provider cannot be asked (unreachable, timeout, non-2xx, bad answer): REST 502, gRPC UNAVAILABLE

/** What exactly made an UNAUTHENTICATED answer, for logs, metrics and the RFC 6750 challenge. */
export type AuthFailure =
  | 'missing' | 'bad-header' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'inactive' | 'not-yet-valid' | 'no-subject';

/** An authentication failure: `token revoked`, `identity provider unreachable at https://...: timeout`. */
export class AuthError extends Error {
  readonly code: AuthErrorCode;
  /** For UNAUTHENTICATED: which check failed; null otherwise. */
  readonly failure: AuthFailure | null;
  constructor(code: AuthErrorCode, message: string, failure: AuthFailure | null = null) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    this.failure = failure;
  }
}
