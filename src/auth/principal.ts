// Who is calling, as the auth layer proves it. Structurally the service's Principal
// and Role (src/service/types.ts): auth may not import service (DESIGN.md layers),
// so the service takes these values as they are.

/** Roles: admin does everything; editor changes records (optionally only in named zones); viewer reads. */
export type Role = 'admin' | 'editor' | 'viewer';

/** An authenticated caller. */
export interface Principal {
  /** Stable id: the token id, or the identity provider's `sub`. */
  readonly id: string;
  /** Display name for the audit log ("ci", "alice@example.com"). */
  readonly name: string;
  readonly role: Role;
  /** Zones (presentation form, lowercase, trailing dot) this principal is limited to; null = every zone. */
  readonly zones: readonly string[] | null;
  /** How the caller proved who it is. */
  readonly via: 'token' | 'introspection' | 'local';
}
