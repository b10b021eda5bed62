// Public face of the auth layer: credentials in, a Principal or an AuthError out.
// Built-in tokens live in store/ (TokenStore), which the CLI reaches directly.
export type { Principal, Role } from './principal.js';
export { AuthError, type AuthErrorCode, type AuthFailure } from './auth-error.js';
export type { AuthConfig, AuthMode, IntrospectionConfig } from './auth-config.js';
export { createAuthenticator, type Authenticator, type AuthenticatorDeps } from './create-authenticator.js';
export { createIntrospector, type Introspector, type IntrospectorDeps } from './create-introspector.js';
export { principalFromIntrospection, SCOPE_PREFIX, ZONE_SCOPE_PREFIX, type ClaimMapping } from './principal-from-introspection.js';
export { IntrospectionCache } from './introspection-cache.js';
export { bearerToken } from './bearer-token.js';
export { wwwAuthenticate } from './www-authenticate.js';
