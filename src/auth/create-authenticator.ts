// The one entry the adapters call: an Authorization header in, a Principal out (or
// an AuthError). Built-in `mcns_` tokens are always checked in the local database,
// in both modes: they are never sent to the identity provider, and a break-glass
// admin token made with `mcns token create` keeps the management plane usable while
// the identity provider is down (seed 000's runbook, "MCIAS Outage").
import { TOKEN_PREFIX, type TokenRefusal, type TokenStore } from '../store/index.js';
import type { AuthConfig } from './auth-config.js';
import { AuthError } from './auth-error.js';
import { bearerToken } from './bearer-token.js';
import { createIntrospector, type Introspector } from './create-introspector.js';
import type { Principal } from './principal.js';

/** What createAuthenticator needs besides its config. */
export interface AuthenticatorDeps {
  /** The built-in tokens (only verify is used). */
  readonly tokens: Pick<TokenStore, 'verify'>;
  /** The HTTP client for introspection (global fetch by default). */
  readonly fetch?: typeof fetch;
  readonly now: () => Date;
}

/** Turns credentials into principals. */
export interface Authenticator {
  /**
   * The caller behind an `Authorization` header value (null when absent). Rejects
   * with AuthError: UNAUTHENTICATED, PERMISSION_DENIED, or UNAVAILABLE when the
   * identity provider cannot be asked.
   */
  authenticate(authorization: string | null, signal?: AbortSignal): Promise<Principal>;
  /** Aborts introspection requests in flight and drops the cache. */
  close(): void;
}

/** The message of each refusal of a built-in token. */
const REFUSALS: Readonly<Record<TokenRefusal, string>> = {
  malformed: 'malformed token: mcns tokens look like mcns_<id>_<secret>',
  unknown: 'unknown token',
  revoked: 'token revoked',
  expired: 'token expired',
};

/** An authenticator for `config.mode`: built-in tokens only, or built-in tokens then RFC 7662 introspection. */
export function createAuthenticator(config: AuthConfig, deps: AuthenticatorDeps): Authenticator {
  let introspector: Introspector | null = null;
  if (config.mode === 'introspection') {
    if (config.introspection === null) throw new Error('auth mode "introspection" needs its introspection settings');
    introspector = createIntrospector(config.introspection, deps.fetch === undefined ? { now: deps.now } : { fetch: deps.fetch, now: deps.now });
  }

  function local(token: string): Principal {
    const check = deps.tokens.verify(token, deps.now());
    if (!check.ok) throw new AuthError('UNAUTHENTICATED', REFUSALS[check.reason], check.reason);
    const { id, name, role, zones } = check.token;
    return { id, name, role, zones, via: 'token' };
  }

  return {
    async authenticate(authorization, signal) {
      const token = bearerToken(authorization);
      if (introspector === null || token.startsWith(TOKEN_PREFIX)) return local(token);
      return introspector.introspect(token, signal);
    },
    close() {
      introspector?.close();
    },
  };
}
