import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError } from './auth-error.js';
import { bearerToken } from './bearer-token.js';
import { wwwAuthenticate } from './www-authenticate.js';

function refusal(header: string | null): AuthError {
  try {
    bearerToken(header);
  } catch (err) {
    assert.ok(err instanceof AuthError);
    return err;
  }
  assert.fail(`"${String(header)}" was accepted`);
}

test('takes the token of "Bearer <token>", the scheme in any case (RFC 7235 2.1)', () => {
  assert.equal(bearerToken('Bearer mcns_0123456789abcdef_abc-_'), 'mcns_0123456789abcdef_abc-_');
  assert.equal(bearerToken('bearer  eyJhbGciOi.J9.x+/='), 'eyJhbGciOi.J9.x+/=');
  assert.equal(bearerToken('  BEARER abc  '), 'abc');
});

test('no header is "missing bearer token"', () => {
  for (const header of [null, '', '   ']) {
    const err = refusal(header);
    assert.deepEqual([err.code, err.message, err.failure], ['UNAUTHENTICATED', 'missing bearer token', 'missing']);
  }
});

test('another scheme or a token outside b64token is "malformed authorization header"', () => {
  for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'Bearer a b', 'Bearer a"b', 'Bearer =abc', 'Bearerabc', 'Token abc']) {
    const err = refusal(header);
    assert.deepEqual([err.code, err.message, err.failure], ['UNAUTHENTICATED', 'malformed authorization header', 'bad-header'], header);
  }
});

test('challenges follow RFC 6750 3.1: no error code without credentials, invalid_token, insufficient_scope', () => {
  assert.equal(wwwAuthenticate(refusal(null)), 'Bearer realm="mcns"');
  assert.equal(wwwAuthenticate(refusal('Basic x')),
    'Bearer realm="mcns", error="invalid_request", error_description="malformed authorization header"');
  assert.equal(wwwAuthenticate(new AuthError('UNAUTHENTICATED', 'token "x" revoked\\', 'revoked')),
    'Bearer realm="mcns", error="invalid_token", error_description="token x revoked"');
  assert.equal(wwwAuthenticate(new AuthError('PERMISSION_DENIED', 'no role')),
    'Bearer realm="mcns", error="insufficient_scope", error_description="no role"');
  assert.equal(wwwAuthenticate(new AuthError('UNAVAILABLE', 'identity provider unreachable')), null);
});
