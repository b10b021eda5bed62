import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, TokenStore, type Store } from '../store/index.js';
import type { AuthConfig } from './auth-config.js';
import { AuthError } from './auth-error.js';
import { createAuthenticator } from './create-authenticator.js';

const T0 = new Date('2026-11-22T10:00:00.000Z');
const TOKENS_ONLY: AuthConfig = { mode: 'tokens', introspection: null };
const INTROSPECTION: AuthConfig = {
  mode: 'introspection',
  introspection: {
    url: 'http://127.0.0.1:9/introspect', clientId: 'mcns', clientSecret: 's3cret',
    timeoutMs: 500, cacheTtlMs: 30_000, roleClaim: 'scope', zonesClaim: 'scope',
  },
};

async function withTokens(fn: (tokens: TokenStore, store: Store) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-auth-'));
  const store = openStore(join(dir, 'mcns.db'), { now: () => T0 });
  try {
    await fn(new TokenStore(store), store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function refusal(promise: Promise<unknown>): Promise<[string, string, string | null]> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AuthError, String(err));
    return [err.code, err.message, err.failure];
  }
  assert.fail('accepted');
}

test('tokens mode: a built-in token becomes its principal', async () => {
  await withTokens(async (tokens) => {
    const { token, secret } = tokens.create({ name: 'ci', role: 'editor', zones: ['example.com.'] }, T0);
    const auth = createAuthenticator(TOKENS_ONLY, { tokens, now: () => T0 });
    assert.deepEqual(await auth.authenticate(`Bearer ${secret}`),
      { id: token.id, name: 'ci', role: 'editor', zones: ['example.com.'], via: 'token' });
    auth.close();
  });
});

test('tokens mode: each refusal has its own message', async () => {
  await withTokens(async (tokens) => {
    let now = T0;
    const auth = createAuthenticator(TOKENS_ONLY, { tokens, now: () => now });
    const revoked = tokens.create({ name: 'r', role: 'admin' }, T0);
    tokens.revoke(revoked.token.id, T0);
    const short = tokens.create({ name: 's', role: 'admin', ttlSeconds: 1 }, T0);
    assert.deepEqual(await refusal(auth.authenticate(null)), ['UNAUTHENTICATED', 'missing bearer token', 'missing']);
    assert.deepEqual(await refusal(auth.authenticate(`Basic ${revoked.secret}`)),
      ['UNAUTHENTICATED', 'malformed authorization header', 'bad-header']);
    assert.deepEqual(await refusal(auth.authenticate('Bearer eyJhbGciOiJIUzI1NiJ9.e30.x')),
      ['UNAUTHENTICATED', 'malformed token: mcns tokens look like mcns_<id>_<secret>', 'malformed']);
    assert.deepEqual(await refusal(auth.authenticate(`Bearer mcns_0000000000000000_${'A'.repeat(43)}`)),
      ['UNAUTHENTICATED', 'unknown token', 'unknown']);
    assert.deepEqual(await refusal(auth.authenticate(`Bearer ${revoked.secret}`)), ['UNAUTHENTICATED', 'token revoked', 'revoked']);
    now = new Date(T0.getTime() + 1000);
    assert.deepEqual(await refusal(auth.authenticate(`Bearer ${short.secret}`)), ['UNAUTHENTICATED', 'token expired', 'expired']);
    auth.close();
  });
});

test('introspection mode: mcns_ tokens are checked locally and never sent to the identity provider', async () => {
  await withTokens(async (tokens) => {
    const { secret } = tokens.create({ name: 'break-glass', role: 'admin' }, T0);
    const asked: string[] = [];
    const fetchSpy: typeof fetch = (input) => {
      asked.push(String(input));
      return Promise.reject(new TypeError('fetch failed'));
    };
    const auth = createAuthenticator(INTROSPECTION, { tokens, fetch: fetchSpy, now: () => T0 });
    assert.equal((await auth.authenticate(`Bearer ${secret}`)).name, 'break-glass');
    assert.deepEqual(await refusal(auth.authenticate(`Bearer mcns_0000000000000000_${'A'.repeat(43)}`)),
      ['UNAUTHENTICATED', 'unknown token', 'unknown']);
    assert.deepEqual(asked, []);
    // Any other token goes to the provider, which is down here.
    const [code, message] = await refusal(auth.authenticate('Bearer opaque-idp-token'));
    assert.equal(code, 'UNAVAILABLE');
    assert.equal(message, 'identity provider unreachable at http://127.0.0.1:9/introspect: fetch failed');
    assert.equal(asked.length, 1);
    auth.close();
  });
});

test('introspection mode without its settings is a programming error', async () => {
  await withTokens(async (tokens) => {
    assert.throws(() => createAuthenticator({ mode: 'introspection', introspection: null }, { tokens, now: () => T0 }),
      /needs its introspection settings/);
  });
});
