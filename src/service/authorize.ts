// Authorization from the operations table (ADR 0002 decision 2): the role first,
// then the zone scope. Adapters never check permissions themselves.
import type { OperationSpec } from './operations.js';
import { ServiceError, type Permission, type Principal, type Role } from './types.js';

/** How much each role may do: admin ≥ editor (write) ≥ viewer (read). */
const ROLE_LEVEL: Readonly<Record<Role, number>> = { viewer: 1, editor: 2, admin: 3 };

/** What each permission requires, on the same scale as ROLE_LEVEL. */
const PERMISSION_LEVEL: Readonly<Record<Permission, number>> = { public: 0, read: 1, write: 2, admin: 3 };

/** The caller as messages name it: `token "ci"` or `principal "alice@example.com"`. */
export function principalLabel(principal: Principal): string {
  return `${principal.via === 'token' ? 'token' : 'principal'} "${principal.name}"`;
}

/**
 * Checks that `principal` may call the operation at all (its role): throws
 * UNAUTHENTICATED without a principal for anything but public operations, and
 * PERMISSION_DENIED when the role is below the operation's permission. Returns the
 * principal (null only for public operations).
 */
export function authorizeRole(spec: OperationSpec, principal: Principal | null): Principal | null {
  if (spec.permission === 'public') return principal;
  if (principal === null) {
    throw new ServiceError('UNAUTHENTICATED', `operation "${spec.name}" needs a credential`);
  }
  if (ROLE_LEVEL[principal.role] < PERMISSION_LEVEL[spec.permission]) {
    throw new ServiceError('PERMISSION_DENIED',
      `${principalLabel(principal)} with role ${principal.role} may not call "${spec.name}" (needs ${spec.permission})`);
  }
  return principal;
}

/** True when `principal` may act on `zone` (lowercase presentation form with the trailing dot). */
export function inZoneScope(principal: Principal | null, zone: string): boolean {
  return principal === null || principal.zones === null || principal.zones.includes(zone);
}

/**
 * Throws PERMISSION_DENIED unless `zone` is in the principal's scope:
 * `token "ci" may not change zone "other.org."`.
 */
export function authorizeZone(spec: OperationSpec, principal: Principal | null, zone: string): void {
  if (inZoneScope(principal, zone)) return;
  const verb = spec.permission === 'read' ? 'read' : 'change';
  throw new ServiceError('PERMISSION_DENIED', `${principalLabel(principal!)} may not ${verb} zone "${zone}"`);
}
