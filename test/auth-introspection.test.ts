// RFC 7662 introspection against a real HTTP identity provider on 127.0.0.1: the
// request mcns sends, the role and zone mapping, the cache of positive answers,
// and every way the provider can fail (slow, refused, HTTP 500, garbage), with the
// built-in break-glass token still working during the outage.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { AuthError, createAuthenticator, type AuthConfig, type Authenticator } from '../src/auth/index.js';
import { openStore, TokenStore, type Store } from '../src/store/index.js';

const T0_MS = Date.parse('2026-11-22T10:00:00.000Z');
const T0_S = T0_MS / 1000;
const CLIENT_ID = 'mcns';
const CLIENT_SECRET = 'p@ss word:1';

/** What the fake provider says to each token. */
interface Script {
  readonly status?: number;
  readonly body: unknown;
  readonly delayMs?: number;
}

const SCRIPTS: Readonly<Record<string, Script>> = {
  'tok-editor': {
    body: {
      active: true, sub: 'u-1', username: 'alice@example.com', client_id: 'webapp', token_type: 'Bearer',
      scope: 'openid profile mcns:editor mcns:zone:Example.COM.', exp: T0_S + 3600, iat: T0_S - 60,
    },
  },
  'tok-admin': { body: { active: true, sub: 'u-2', scope: 'mcns:admin', exp: T0_S + 3600 } },
  'tok-short': { body: { active: true, sub: 'u-3', scope: 'mcns:viewer', exp: T0_S + 5 } },
  'tok-no-exp': { body: { active: true, sub: 'u-4', scope: 'mcns:viewer' } },
  'tok-inactive': { body: { active: false } },
  'tok-no-role': { body: { active: true, sub: 'u-5', scope: 'openid email', exp: T0_S + 3600 } },
  'tok-slow': { body: { active: true, sub: 'u-6', scope: 'mcns:admin' }, delayMs: 1500 },
  'tok-500': { status: 500, body: { error: 'database down' } },
  'tok-not-json': { body: '<html>login</html>' },
  'tok-huge': { body: { active: true, sub: 'u-7', scope: 'mcns:admin', padding: 'x'.repeat(100_000) } },
};

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly authorization: string;
  readonly contentType: string;
  readonly form: URLSearchParams;
}

/** A minimal RFC 7662 endpoint: checks the client's Basic credentials and answers from SCRIPTS. */
class FakeIdp {
  readonly seen: Seen[] = [];
  readonly #server: Server;
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/oauth2/introspect`;
  }

  hits(token: string): number {
    return this.seen.filter((s) => s.form.get('token') === token).length;
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      this.seen.push({
        method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization ?? '',
        contentType: req.headers['content-type'] ?? '', form,
      });
      // RFC 7662 2.1: "the endpoint MUST also require some form of authorization".
      const expected = 'Basic ' + Buffer.from(`${CLIENT_ID}:${encodeURIComponent(CLIENT_SECRET).replace(/%20/g, '+')}`).toString('base64');
      if (req.headers.authorization !== expected) return this.#send(res, 401, { error: 'invalid_client' });
      const script = SCRIPTS[form.get('token') ?? ''] ?? { body: { active: false } };
      const send = (): void => this.#send(res, script.status ?? 200, script.body);
      if (script.delayMs === undefined) return send();
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        send();
      }, script.delayMs);
      this.#timers.add(timer);
    });
  }

  #send(res: ServerResponse, status: number, body: unknown): void {
    if (res.destroyed) return;
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' });
    res.end(text);
  }
}

let idp: FakeIdp;
let idpUrl: string;
let dir: string;
let store: Store;
let tokens: TokenStore;

before(async () => {
  idp = new FakeIdp();
  idpUrl = await idp.start();
  dir = mkdtempSync(join(tmpdir(), 'mcns-auth-idp-'));
  store = openStore(join(dir, 'mcns.db'));
  tokens = new TokenStore(store);
});

after(async () => {
  await idp.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function config(url: string, overrides: Partial<NonNullable<AuthConfig['introspection']>> = {}): AuthConfig {
  return {
    mode: 'introspection',
    introspection: {
      url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, timeoutMs: 300, cacheTtlMs: 30_000,
      roleClaim: 'scope', zonesClaim: 'scope', ...overrides,
    },
  };
}

/** An authenticator on a clock the test moves. */
function authenticator(url = idpUrl, overrides: Partial<NonNullable<AuthConfig['introspection']>> = {}): {
  auth: Authenticator; clock: { ms: number };
} {
  const clock = { ms: T0_MS };
  return { auth: createAuthenticator(config(url, overrides), { tokens, now: () => new Date(clock.ms) }), clock };
}

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof AuthError, String(err));
    return err;
  }
  assert.fail('accepted');
}

/** A port nothing listens on: bound, noted, closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('sends an RFC 7662 request: POST, form-encoded token and hint, client credentials in HTTP Basic', async () => {
  const { auth } = authenticator();
  const before = idp.seen.length;
  await auth.authenticate('Bearer tok-admin');
  const seen = idp.seen.slice(before);
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.method, 'POST');
  assert.equal(seen[0]?.path, '/oauth2/introspect');
  assert.equal(seen[0]?.contentType, 'application/x-www-form-urlencoded');
  assert.equal(seen[0]?.form.get('token'), 'tok-admin');
  assert.equal(seen[0]?.form.get('token_type_hint'), 'access_token');
  assert.ok(seen[0]?.authorization.startsWith('Basic '));
  auth.close();
});

test('an active answer maps scope to role and zones', async () => {
  const { auth } = authenticator();
  assert.deepEqual(await auth.authenticate('Bearer tok-editor'), {
    id: 'u-1', name: 'alice@example.com', role: 'editor', zones: ['example.com.'], via: 'introspection',
  });
  assert.deepEqual(await auth.authenticate('Bearer tok-admin'), { id: 'u-2', name: 'u-2', role: 'admin', zones: null, via: 'introspection' });
  auth.close();
});

test('a positive answer is cached: the second call does not reach the provider, until the cache ttl', async () => {
  const { auth, clock } = authenticator(idpUrl, { cacheTtlMs: 30_000 });
  const before = idp.hits('tok-no-exp');
  await auth.authenticate('Bearer tok-no-exp');
  await auth.authenticate('Bearer tok-no-exp');
  clock.ms += 29_999;
  await auth.authenticate('Bearer tok-no-exp');
  assert.equal(idp.hits('tok-no-exp') - before, 1);
  clock.ms += 1;
  await auth.authenticate('Bearer tok-no-exp');
  assert.equal(idp.hits('tok-no-exp') - before, 2);
  auth.close();
});

test('a cached answer never outlives the token\'s exp', async () => {
  const { auth, clock } = authenticator(idpUrl, { cacheTtlMs: 30_000 });
  const before = idp.hits('tok-short');
  assert.equal((await auth.authenticate('Bearer tok-short')).role, 'viewer');
  clock.ms += 4_999;
  assert.equal((await auth.authenticate('Bearer tok-short')).role, 'viewer');
  assert.equal(idp.hits('tok-short') - before, 1);
  clock.ms += 1;
  const err = await refusal(auth.authenticate('Bearer tok-short'));
  assert.deepEqual([err.code, err.message, err.failure], ['UNAUTHENTICATED', 'token expired', 'expired']);
  assert.equal(idp.hits('tok-short') - before, 2);
  auth.close();
});

test('an inactive answer is UNAUTHENTICATED and is not cached', async () => {
  const { auth } = authenticator();
  const before = idp.hits('tok-inactive');
  for (let i = 0; i < 2; i++) {
    const err = await refusal(auth.authenticate('Bearer tok-inactive'));
    assert.deepEqual([err.code, err.message, err.failure], ['UNAUTHENTICATED', 'token is not active', 'inactive']);
  }
  assert.equal(idp.hits('tok-inactive') - before, 2);
  auth.close();
});

test('an active token without an mcns role is PERMISSION_DENIED', async () => {
  const { auth } = authenticator();
  const err = await refusal(auth.authenticate('Bearer tok-no-role'));
  assert.equal(err.code, 'PERMISSION_DENIED');
  assert.match(err.message, /^"u-5" has no mcns role/);
  auth.close();
});

test('callers presenting the same token at once share one request', async () => {
  const { auth } = authenticator();
  const before = idp.hits('tok-editor');
  const principals = await Promise.all(Array.from({ length: 10 }, () => auth.authenticate('Bearer tok-editor')));
  assert.equal(new Set(principals.map((p) => p.id)).size, 1);
  assert.equal(idp.hits('tok-editor') - before, 1);
  auth.close();
});

test('a provider slower than the timeout is UNAVAILABLE "identity provider unreachable"', async () => {
  const { auth } = authenticator(idpUrl, { timeoutMs: 200 });
  const started = Date.now();
  const err = await refusal(auth.authenticate('Bearer tok-slow'));
  const elapsed = Date.now() - started;
  assert.equal(err.code, 'UNAVAILABLE');
  // The provider would have admitted this token after 1500 ms: the refusal with this
  // message is the timeout's doing. No upper bound on the time: a loaded machine
  // may run the timer late, which says nothing about the code.
  assert.equal(err.message, `identity provider unreachable at ${idpUrl}: no answer within 200ms`);
  assert.ok(elapsed >= 190, `gave up after ${elapsed}ms, before its timeout`);
  auth.close();
});

test('a refused connection is UNAVAILABLE naming the url and the socket error', async () => {
  const port = await closedPort();
  const url = `http://127.0.0.1:${port}/introspect`;
  const { auth } = authenticator(url);
  const err = await refusal(auth.authenticate('Bearer tok-admin'));
  assert.equal(err.code, 'UNAVAILABLE');
  assert.equal(err.message, `identity provider unreachable at ${url}: connect ECONNREFUSED 127.0.0.1:${port}`);
  auth.close();
});

test('HTTP 500, a wrong client secret (401), non-JSON and oversized answers are UNAVAILABLE', async () => {
  const { auth } = authenticator();
  const e500 = await refusal(auth.authenticate('Bearer tok-500'));
  assert.deepEqual([e500.code, e500.message], ['UNAVAILABLE', `identity provider at ${idpUrl} answered HTTP 500 internal server error`]);
  const html = await refusal(auth.authenticate('Bearer tok-not-json'));
  assert.deepEqual([html.code, html.message], ['UNAVAILABLE', `identity provider at ${idpUrl} sent an invalid introspection answer: not JSON`]);
  const huge = await refusal(auth.authenticate('Bearer tok-huge'));
  assert.deepEqual([huge.code, huge.message],
    ['UNAVAILABLE', `identity provider at ${idpUrl} sent an invalid introspection answer: larger than 65536 bytes`]);
  auth.close();
  const wrong = authenticator(idpUrl, { clientSecret: 'nope' });
  const e401 = await refusal(wrong.auth.authenticate('Bearer tok-admin'));
  assert.deepEqual([e401.code, e401.message], ['UNAVAILABLE', `identity provider at ${idpUrl} answered HTTP 401 unauthorized`]);
  wrong.auth.close();
});

test('during an outage the built-in break-glass token still works; provider tokens get UNAVAILABLE', async () => {
  const port = await closedPort();
  const { auth } = authenticator(`http://127.0.0.1:${port}/introspect`);
  const { token, secret } = tokens.create({ name: 'break-glass', role: 'admin' }, new Date(T0_MS));
  assert.deepEqual(await auth.authenticate(`Bearer ${secret}`), { id: token.id, name: 'break-glass', role: 'admin', zones: null, via: 'token' });
  assert.equal((await refusal(auth.authenticate('Bearer tok-editor'))).code, 'UNAVAILABLE');
  auth.close();
});

test('a cached answer keeps working when the provider goes down afterwards', async () => {
  const local = new FakeIdp();
  const url = await local.start();
  const { auth, clock } = authenticator(url);
  assert.equal((await auth.authenticate('Bearer tok-admin')).role, 'admin');
  await local.close();
  clock.ms += 10_000;
  assert.equal((await auth.authenticate('Bearer tok-admin')).role, 'admin');
  clock.ms += 20_000;
  assert.equal((await refusal(auth.authenticate('Bearer tok-admin'))).code, 'UNAVAILABLE');
  auth.close();
});

test('close() aborts a request in flight at once', async () => {
  const { auth } = authenticator(idpUrl, { timeoutMs: 5000 });
  const pending = refusal(auth.authenticate('Bearer tok-slow'));
  const started = Date.now();
  setTimeout(() => auth.close(), 50);
  const err = await pending;
  assert.equal(err.code, 'UNAVAILABLE');
  // Closed, not answered: the provider would have admitted the token after 1500 ms.
  assert.equal(err.message, `identity provider unreachable at ${idpUrl}: authenticator closed`);
  assert.ok(Date.now() - started >= 40, 'not before close() was called');
  assert.equal((await refusal(auth.authenticate('Bearer tok-admin'))).message, 'authenticator is closed');
});

test('a caller\'s own AbortSignal ends its wait', async () => {
  const { auth } = authenticator(idpUrl, { timeoutMs: 5000 });
  const controller = new AbortController();
  const pending = refusal(auth.authenticate('Bearer tok-slow', controller.signal));
  setTimeout(() => controller.abort(), 50);
  const err = await pending;
  assert.deepEqual([err.code, err.message], ['UNAVAILABLE', 'authentication aborted by the caller']);
  auth.close();
});
