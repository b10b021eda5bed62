import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError, type AuthErrorCode } from './auth-error.js';
import { principalFromIntrospection, type ClaimMapping } from './principal-from-introspection.js';

const NOW = Date.parse('2026-11-22T10:00:00Z');
const NOW_S = NOW / 1000;
const SCOPE: ClaimMapping = { roleClaim: 'scope', zonesClaim: 'scope' };

function refused(answer: Record<string, unknown>, mapping: ClaimMapping = SCOPE): [AuthErrorCode, string, string | null] {
  try {
    principalFromIntrospection(answer, mapping, NOW);
  } catch (err) {
    assert.ok(err instanceof AuthError, String(err));
    return [err.code, err.message, err.failure];
  }
  assert.fail('accepted');
}

test('scope "mcns:editor mcns:zone:..." gives an editor limited to those zones, normalized', () => {
  const principal = principalFromIntrospection({
    active: true, sub: 'u-42', username: 'alice@example.com',
    scope: 'openid mcns:editor mcns:zone:Example.COM mcns:zone:example.net. mcns:zone:example.com.',
  }, SCOPE, NOW);
  assert.deepEqual(principal, {
    id: 'u-42', name: 'alice@example.com', role: 'editor', zones: ['example.com.', 'example.net.'], via: 'introspection',
  });
});

test('no zone in the scope means every zone; the strongest role wins', () => {
  const principal = principalFromIntrospection({ active: true, sub: 'svc', scope: 'mcns:viewer mcns:admin mcns:editor' }, SCOPE, NOW);
  assert.deepEqual(principal, { id: 'svc', name: 'svc', role: 'admin', zones: null, via: 'introspection' });
});

test('an array claim counts like a space-separated one', () => {
  const principal = principalFromIntrospection({ active: true, sub: 's', scope: ['mcns:viewer', 'mcns:zone:a.example.'] }, SCOPE, NOW);
  assert.deepEqual([principal.role, principal.zones], ['viewer', ['a.example.']]);
});

test('bare values count only in a dedicated claim', () => {
  const dedicated: ClaimMapping = { roleClaim: 'mcns_role', zonesClaim: 'mcns_zones' };
  const principal = principalFromIntrospection(
    { active: true, sub: 's', mcns_role: 'editor', mcns_zones: ['example.org', 'mcns:zone:example.net.'] }, dedicated, NOW);
  assert.deepEqual([principal.role, principal.zones], ['editor', ['example.org.', 'example.net.']]);
  // In "scope", a bare "admin" belongs to some other API, not to mcns.
  assert.equal(refused({ active: true, sub: 's', scope: 'admin example.org' })[0], 'PERMISSION_DENIED');
  // One claim shared by role and zones: bare values are ambiguous and ignored.
  const shared: ClaimMapping = { roleClaim: 'groups', zonesClaim: 'groups' };
  assert.equal(refused({ active: true, sub: 's', groups: ['admin'] }, shared)[0], 'PERMISSION_DENIED');
  const principal2 = principalFromIntrospection({ active: true, sub: 's', groups: ['mcns:admin', 'staff'] }, shared, NOW);
  assert.deepEqual([principal2.role, principal2.zones], ['admin', null]);
});

test('id falls back from sub to username to client_id; none is UNAUTHENTICATED', () => {
  assert.equal(principalFromIntrospection({ active: true, username: 'bob', scope: 'mcns:viewer' }, SCOPE, NOW).id, 'bob');
  const client = principalFromIntrospection({ active: true, client_id: 'ci-runner', scope: 'mcns:viewer' }, SCOPE, NOW);
  assert.deepEqual([client.id, client.name], ['ci-runner', 'ci-runner']);
  assert.deepEqual(refused({ active: true, scope: 'mcns:viewer' }),
    ['UNAUTHENTICATED', 'identity provider names no subject for the token', 'no-subject']);
});

test('inactive, expired and not-yet-valid tokens are UNAUTHENTICATED', () => {
  assert.deepEqual(refused({ active: false }), ['UNAUTHENTICATED', 'token is not active', 'inactive']);
  assert.deepEqual(refused({ active: 'true', sub: 's', scope: 'mcns:admin' }), ['UNAUTHENTICATED', 'token is not active', 'inactive']);
  assert.deepEqual(refused({ active: true, sub: 's', scope: 'mcns:admin', exp: NOW_S }), ['UNAUTHENTICATED', 'token expired', 'expired']);
  assert.deepEqual(refused({ active: true, sub: 's', scope: 'mcns:admin', nbf: NOW_S + 1 }),
    ['UNAUTHENTICATED', 'token not yet valid', 'not-yet-valid']);
  assert.equal(principalFromIntrospection({ active: true, sub: 's', scope: 'mcns:admin', exp: NOW_S + 1, nbf: NOW_S }, SCOPE, NOW).role, 'admin');
});

test('no mcns role is PERMISSION_DENIED naming the caller and the claim', () => {
  assert.deepEqual(refused({ active: true, sub: 'carol', scope: 'openid mcns:zone:example.com.' }), [
    'PERMISSION_DENIED',
    '"carol" has no mcns role: the identity provider\'s "scope" holds none of mcns:admin, mcns:editor, mcns:viewer',
    null,
  ]);
  assert.equal(refused({ active: true, sub: 'carol', scope: 'mcns:root' })[0], 'PERMISSION_DENIED');
});

test('an unreadable zone denies instead of widening the scope', () => {
  const [code, message] = refused({ active: true, sub: 's', scope: 'mcns:editor mcns:zone:a..b' });
  assert.equal(code, 'PERMISSION_DENIED');
  assert.match(message, /^"s" has an unreadable zone scope "a\.\.b": /);
  assert.equal(refused({ active: true, sub: 's', scope: 'mcns:editor mcns:zone:' })[0], 'PERMISSION_DENIED');
});

test('an exp that is not a number is an invalid answer: UNAVAILABLE', () => {
  assert.deepEqual(refused({ active: true, sub: 's', scope: 'mcns:admin', exp: '1700000000' }),
    ['UNAVAILABLE', 'identity provider sent an invalid introspection answer: "exp" is not a number', null]);
});
