// What createAuthenticator needs from [auth] in mcns.toml. Defined here because
// auth may not import config; config's AuthConfig has the same shape, so the
// composition root passes config.auth as it is.

/** How bearer tokens are checked. */
export type AuthMode = 'tokens' | 'introspection';

/** RFC 7662 token introspection: where to ask, as whom, how long to wait and to remember, and how to read the answer. */
export interface IntrospectionConfig {
  /** The introspection endpoint (https://idp.example/oauth2/introspect). */
  readonly url: string;
  /** Client credentials sent with HTTP Basic (RFC 6749 2.3.1). */
  readonly clientId: string;
  readonly clientSecret: string;
  /** Give up on one introspection request after this long (ms). */
  readonly timeoutMs: number;
  /** Remember a positive answer this long at most (ms); never beyond the token's `exp`. */
  readonly cacheTtlMs: number;
  /** Answer member holding the role ("scope": space-separated string, or an array). */
  readonly roleClaim: string;
  /** Answer member holding the zone scope ("scope"). */
  readonly zonesClaim: string;
}

/** [auth]: built-in tokens only, or an identity provider as well. */
export interface AuthConfig {
  readonly mode: AuthMode;
  /** Required when mode is "introspection"; ignored otherwise. */
  readonly introspection: IntrospectionConfig | null;
}
