// RFC 6750 2.1: the bearer token out of an Authorization header.
import { AuthError } from './auth-error.js';

// RFC 6750 2.1: credentials = "Bearer" 1*SP b64token;
// b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
// RFC 7235 2.1: the scheme is case-insensitive.
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/** The token of `Authorization: Bearer <token>`; throws UNAUTHENTICATED (missing, bad-header). */
export function bearerToken(authorization: string | null | undefined): string {
  if (authorization === null || authorization === undefined || authorization.trim() === '') {
    throw new AuthError('UNAUTHENTICATED', 'missing bearer token', 'missing');
  }
  const match = BEARER.exec(authorization.trim());
  if (match === null) throw new AuthError('UNAUTHENTICATED', 'malformed authorization header', 'bad-header');
  return match[1]!;
}
