import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from './store.js';
import { StoreError } from './store-error.js';
import { LAST_USED_RESOLUTION_MS, TokenStore } from './token-store.js';

const T0 = new Date('2026-11-22T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);

function withStore(fn: (store: Store, dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-tokens-'));
  const store = openStore(join(dir, 'mcns.db'), { now: () => T0 });
  try {
    fn(store, dir);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a created token verifies and carries its role, zones and name', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const created = tokens.create({ name: 'ci', role: 'editor', zones: ['Example.COM', 'example.net.'] }, T0);
    assert.match(created.secret, /^mcns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    assert.ok(created.secret.startsWith(`mcns_${created.token.id}_`));
    assert.deepEqual(created.token, {
      id: created.token.id, name: 'ci', role: 'editor', zones: ['example.com.', 'example.net.'],
      createdAt: T0.toISOString(), expiresAt: null, revokedAt: null, lastUsedAt: null,
    });
    const check = tokens.verify(created.secret, at(1000));
    assert.equal(check.ok, true);
    assert.ok(check.ok);
    assert.equal(check.token.id, created.token.id);
    assert.equal(check.token.lastUsedAt, at(1000).toISOString());
  });
});

test('a wrong secret for a known id is "unknown", like an unknown id', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const { token, secret } = tokens.create({ name: 'a', role: 'admin' }, T0);
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    assert.deepEqual(tokens.verify(secret.slice(0, -1) + last, T0), { ok: false, reason: 'unknown' });
    assert.deepEqual(tokens.verify(`mcns_0123456789abcdef_${secret.slice(-43)}`, T0), { ok: false, reason: 'unknown' });
    assert.equal(tokens.get(token.id)?.lastUsedAt, null, 'a failed attempt does not count as use');
  });
});

test('malformed strings are refused before any lookup', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const { secret } = tokens.create({ name: 'a', role: 'viewer' }, T0);
    for (const bad of ['', 'mcns_', secret + 'x', secret.slice(0, -1), secret.toUpperCase(), secret.replace('mcns_', 'mcnz_'), 'Bearer ' + secret]) {
      assert.deepEqual(tokens.verify(bad, T0), { ok: false, reason: 'malformed' }, bad);
    }
  });
});

test('a revoked token is refused from the revocation on; revoking again keeps the first time', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const { token, secret } = tokens.create({ name: 'a', role: 'admin' }, T0);
    tokens.revoke(token.id, at(5000));
    tokens.revoke(token.id, at(9000));
    assert.equal(tokens.get(token.id)?.revokedAt, at(5000).toISOString());
    assert.deepEqual(tokens.verify(secret, at(6000)), { ok: false, reason: 'revoked' });
  });
});

test('revoking an unknown id is NOT_FOUND', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    assert.throws(() => tokens.revoke('0123456789abcdef', T0),
      (err: unknown) => err instanceof StoreError && err.code === 'NOT_FOUND' && err.message === 'token "0123456789abcdef" not found');
  });
});

test('a token with a ttl expires at creation plus ttl, to the millisecond', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const { token, secret } = tokens.create({ name: 'short', role: 'viewer', ttlSeconds: 60 }, T0);
    assert.equal(token.expiresAt, at(60_000).toISOString());
    assert.equal(tokens.verify(secret, at(59_999)).ok, true);
    assert.deepEqual(tokens.verify(secret, at(60_000)), { ok: false, reason: 'expired' });
  });
});

test('last_used_at is written at most once a minute', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const { token, secret } = tokens.create({ name: 'a', role: 'viewer' }, T0);
    tokens.verify(secret, at(0));
    tokens.verify(secret, at(LAST_USED_RESOLUTION_MS - 1));
    assert.equal(tokens.get(token.id)?.lastUsedAt, at(0).toISOString());
    tokens.verify(secret, at(LAST_USED_RESOLUTION_MS));
    assert.equal(tokens.get(token.id)?.lastUsedAt, at(LAST_USED_RESOLUTION_MS).toISOString());
  });
});

test('list shows every token, oldest first, and never a secret or its hash', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const a = tokens.create({ name: 'a', role: 'admin' }, T0);
    const b = tokens.create({ name: 'b', role: 'viewer', zones: null }, at(1));
    tokens.revoke(a.token.id, at(2));
    const listed = tokens.list();
    assert.deepEqual(listed.map((t) => t.name), ['a', 'b']);
    assert.equal(listed[0]?.revokedAt, at(2).toISOString());
    const text = JSON.stringify(listed);
    for (const created of [a, b]) {
      assert.ok(!text.includes(created.secret.slice(-43)));
      assert.deepEqual(Object.keys(listed[0]!).sort(),
        ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role', 'zones']);
    }
  });
});

test('the database files hold no secret in plain text', () => {
  withStore((store, dir) => {
    const tokens = new TokenStore(store);
    const secrets = [0, 1, 2].map((i) => tokens.create({ name: `t${i}`, role: 'admin' }, T0).secret);
    for (const secret of secrets) assert.equal(tokens.verify(secret, T0).ok, true);
    const bytes = Buffer.concat(readdirSync(dir).map((f) => readFileSync(join(dir, f))));
    assert.ok(bytes.length > 0);
    for (const secret of secrets) {
      const secretPart = secret.slice(-43);
      assert.equal(bytes.indexOf(secretPart), -1, 'secret part in the database files');
      assert.equal(bytes.indexOf(Buffer.from(secretPart, 'base64url')), -1, 'secret bytes in the database files');
    }
  });
});

test('tokens made by another connection (the CLI while serve runs) verify at once', () => {
  withStore((store) => {
    const cli = openStore(store.path);
    try {
      const created = new TokenStore(cli).create({ name: 'admin', role: 'admin' }, T0);
      const served = new TokenStore(store);
      assert.equal(served.verify(created.secret, T0).ok, true);
      new TokenStore(cli).revoke(created.token.id, at(1));
      assert.deepEqual(served.verify(created.secret, at(2)), { ok: false, reason: 'revoked' });
    } finally {
      cli.close();
    }
  });
});

test('bad input is INVALID with a message naming the field', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const cases: [Parameters<TokenStore['create']>[0], RegExp][] = [
      [{ name: '', role: 'admin' }, /token name/],
      [{ name: 'x\ny', role: 'admin' }, /token name/],
      [{ name: 'x', role: 'root' as 'admin' }, /token role "root"/],
      [{ name: 'x', role: 'editor', zones: [] }, /at least one zone/],
      [{ name: 'x', role: 'editor', zones: ['a..b'] }, /token zone "a..b"/],
      [{ name: 'x', role: 'editor', zones: [''] }, /token zone/],
      [{ name: 'x', role: 'viewer', ttlSeconds: 0 }, /token ttl 0/],
      [{ name: 'x', role: 'viewer', ttlSeconds: 1.5 }, /token ttl 1.5/],
    ];
    for (const [input, message] of cases) {
      assert.throws(() => tokens.create(input, T0), (err: unknown) => err instanceof StoreError && err.code === 'INVALID' && message.test(err.message));
    }
    assert.deepEqual(tokens.list(), []);
  });
});

test('verify does not wait for another process\'s write lock: last_used_at is skipped, then written next time', () => {
  withStore((store) => {
    const tokens = new TokenStore(store);
    const { token, secret } = tokens.create({ name: 'a', role: 'viewer' }, T0);
    const other = openStore(store.path);
    try {
      other.connection.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      assert.equal(tokens.verify(secret, at(1000)).ok, true);
      assert.ok(Date.now() - started < 1000, 'waited for the lock');
      other.connection.exec('COMMIT');
      assert.equal(tokens.get(token.id)?.lastUsedAt, null);
      assert.equal(store.connection.pragma('busy_timeout', { simple: true }), 5000, 'busy timeout restored');
      tokens.verify(secret, at(2000));
      assert.equal(tokens.get(token.id)?.lastUsedAt, at(2000).toISOString());
    } finally {
      other.close();
    }
  });
});
