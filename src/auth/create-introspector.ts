// OAuth 2.0 Token Introspection (RFC 7662) client: asks the identity provider whether
// a bearer token is active and what it may do, remembers positive answers briefly,
// and turns every way of not getting an answer into UNAVAILABLE, so that the
// management plane says "identity provider unreachable" (REST 502) and DNS, which
// never authenticates, is not touched at all.
import { createHash } from 'node:crypto';
import type { IntrospectionConfig } from './auth-config.js';
import { AuthError } from './auth-error.js';
import { IntrospectionCache } from './introspection-cache.js';
import { principalFromIntrospection } from './principal-from-introspection.js';
import type { Principal } from './principal.js';

/** What createIntrospector needs besides its config. */
export interface IntrospectorDeps {
  /** The HTTP client (global fetch by default; tests may pass their own). */
  readonly fetch?: typeof fetch;
  readonly now: () => Date;
  /** Answers remembered at most (default 10,000). */
  readonly cacheEntries?: number;
}

/** Asks the identity provider about tokens. */
export interface Introspector {
  /** The caller a token stands for; AuthError UNAUTHENTICATED, PERMISSION_DENIED or UNAVAILABLE otherwise. */
  introspect(token: string, signal?: AbortSignal): Promise<Principal>;
  /** Aborts requests in flight and forgets cached answers; later calls fail UNAVAILABLE. */
  close(): void;
}

/** An introspection answer larger than this is refused (real ones are a few hundred bytes). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** An RFC 7662 client for `config.url` with a cache of positive answers. */
export function createIntrospector(config: IntrospectionConfig, deps: IntrospectorDeps): Introspector {
  const url = new URL(config.url);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`introspection url "${config.url}" must be http or https`);
  }
  // Shown in errors and logs: never the credentials or query a URL may carry.
  const shownUrl = `${url.origin}${url.pathname}`;
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const cache = new IntrospectionCache(deps.cacheEntries);
  const pending = new Map<string, Promise<Principal>>();
  const closing = new AbortController();
  // RFC 6749 2.3.1: client_id and secret are form-encoded, then joined by ":" for HTTP Basic.
  const basic = Buffer.from(`${formEncode(config.clientId)}:${formEncode(config.clientSecret)}`).toString('base64');

  const unreachable = (reason: string): AuthError =>
    new AuthError('UNAVAILABLE', `identity provider unreachable at ${shownUrl}: ${reason}`);
  const invalidAnswer = (reason: string): AuthError =>
    new AuthError('UNAVAILABLE', `identity provider at ${shownUrl} sent an invalid introspection answer: ${reason}`);

  /** One POST to the endpoint; the parsed JSON object it answered. */
  async function ask(token: string): Promise<Record<string, unknown>> {
    // A timer of our own, not AbortSignal.timeout: inside AbortSignal.any, Node 20 may
    // garbage-collect a timeout signal nothing else refers to, and then it never
    // fires (a slow provider was waited for to the end; seen as a flaky test). The
    // timer's closure holds the controller until it fires or the request ends.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new DOMException('no answer in time', 'TimeoutError')), config.timeoutMs);
    try {
      return await askWithin(token, AbortSignal.any([timeout.signal, closing.signal]));
    } finally {
      clearTimeout(timer);
    }
  }

  /** `ask`'s request, given the signal that ends it. */
  async function askWithin(token: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const failure = (err: unknown): AuthError => unreachable(reasonOf(err, signal, config.timeoutMs));
    let response: Response;
    try {
      // RFC 7662 2.1: "The protected resource calls the introspection endpoint using an
      // HTTP POST request with parameters sent as application/x-www-form-urlencoded".
      response = await fetchFn(url, {
        method: 'POST',
        headers: {
          'authorization': `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          'accept': 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
        redirect: 'error',
        signal,
      });
    } catch (err) {
      throw failure(err);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new AuthError('UNAVAILABLE', `identity provider at ${shownUrl} answered HTTP ${response.status}${statusText(response)}`);
    }
    let body: string;
    try {
      body = await readLimited(response, MAX_ANSWER_BYTES);
    } catch (err) {
      if (err instanceof AuthError) throw invalidAnswer(err.message);
      throw failure(err);
    }
    let answer: unknown;
    try {
      answer = JSON.parse(body);
    } catch {
      throw invalidAnswer('not JSON');
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw invalidAnswer('not a JSON object');
    if (typeof (answer as Record<string, unknown>)['active'] !== 'boolean') throw invalidAnswer('"active" is not a boolean');
    return answer as Record<string, unknown>;
  }

  async function lookUp(token: string, key: string): Promise<Principal> {
    const answer = await ask(token);
    const nowMs = deps.now().getTime();
    const principal = principalFromIntrospection(answer, config, nowMs);
    // Only positive answers are remembered, never past the token's own expiry: a
    // token refused now may be valid a moment later, and one accepted must not
    // outlive its exp.
    const exp = answer['exp'];
    const ttl = Math.min(config.cacheTtlMs, typeof exp === 'number' ? exp * 1000 - nowMs : Infinity);
    if (ttl > 0 && !closing.signal.aborted) cache.set(key, principal, nowMs + ttl);
    return principal;
  }

  return {
    async introspect(token, signal) {
      if (closing.signal.aborted) throw new AuthError('UNAVAILABLE', 'authenticator is closed');
      const key = createHash('sha256').update(token).digest('hex');
      const cached = cache.get(key, deps.now().getTime());
      if (cached !== null) return cached;
      // Callers presenting the same token at once share one request.
      let request = pending.get(key);
      if (request === undefined) {
        request = lookUp(token, key).finally(() => pending.delete(key));
        pending.set(key, request);
      }
      return signal === undefined ? request : abortable(request, signal);
    },
    close() {
      closing.abort();
      cache.clear();
      pending.clear();
    },
  };
}

/** Why a request got no answer, in a few lowercase words. */
function reasonOf(err: unknown, signal: AbortSignal, timeoutMs: number): string {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    if (reason instanceof Error && reason.name === 'TimeoutError') return `no answer within ${timeoutMs}ms`;
    return 'authenticator closed';
  }
  // fetch wraps socket errors: TypeError("fetch failed", { cause: Error("connect ECONNREFUSED ...") }).
  const cause = err instanceof Error && err.cause !== undefined ? err.cause : err;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const text = cause.message !== '' ? cause.message : typeof code === 'string' ? code : cause.name;
    return text.charAt(0).toLowerCase() + text.slice(1);
  }
  return String(cause);
}

function statusText(response: Response): string {
  return response.statusText === '' ? '' : ` ${response.statusText.toLowerCase()}`;
}

/** The body as text, refusing more than `limit` bytes (AuthError with the reason). */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (response.body === null) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new AuthError('UNAVAILABLE', `larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `promise`, or a rejection as soon as `signal` aborts (the shared request goes on for the others). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new AuthError('UNAVAILABLE', 'authentication aborted by the caller'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AuthError('UNAVAILABLE', 'authentication aborted by the caller'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** application/x-www-form-urlencoded for one value (RFC 6749 Appendix B). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}
