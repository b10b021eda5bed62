// RFC 6750 3: the WWW-Authenticate challenge a 401 or 403 carries.
import type { AuthError } from './auth-error.js';

/**
 * The `WWW-Authenticate` value for an AuthError (REST sends it with 401 and 403);
 * null for UNAVAILABLE, which is no challenge.
 * RFC 6750 3.1: a request without credentials "SHOULD NOT include an error code";
 * a bad token is "invalid_token", a missing privilege "insufficient_scope".
 */
export function wwwAuthenticate(err: AuthError): string | null {
  if (err.code === 'UNAVAILABLE') return null;
  const realm = 'Bearer realm="mcns"';
  if (err.code === 'UNAUTHENTICATED' && err.failure === 'missing') return realm;
  const code = err.code === 'PERMISSION_DENIED' ? 'insufficient_scope'
    : err.failure === 'bad-header' ? 'invalid_request' : 'invalid_token';
  // RFC 6750 3: error_description values "MUST NOT include characters outside the set
  // %x20-21 / %x23-5B / %x5D-7E" (no quote, no backslash).
  const description = [...err.message].filter((ch) => {
    const c = ch.charCodeAt(0);
    return c >= 0x20 && c <= 0x7e && ch !== '"' && ch !== '\\';
  }).join('');
  return `${realm}, error="${code}", error_description="${description}"`;
}
