// How an RFC 7662 introspection answer becomes a Principal. The mapping, also in
// README.md:
//   role:  "mcns:admin", "mcns:editor" or "mcns:viewer" in the role claim (default
//          "scope"); when several are present the strongest wins; none is
//          PERMISSION_DENIED (the provider knows the caller, mcns grants nothing).
//   zones: every "mcns:zone:<zone>" in the zones claim (default "scope"); none means
//          every zone, as for a built-in token created without zones.
//   A dedicated claim (neither "scope" nor shared with the other mapping) may also
//   hold bare values: "editor" as a role, "example.com." as a zone.
//   id: sub, else username, else client_id; name: username, else the id.
import { nameFromText, nameLower, nameToText } from '../wire/index.js';
import { AuthError } from './auth-error.js';
import type { Principal, Role } from './principal.js';

/** Which answer members carry the role and the zones. */
export interface ClaimMapping {
  readonly roleClaim: string;
  readonly zonesClaim: string;
}

/** The prefix of every mcns value in a shared claim such as "scope". */
export const SCOPE_PREFIX = 'mcns:';

/** The prefix of a zone value: "mcns:zone:example.com.". */
export const ZONE_SCOPE_PREFIX = 'mcns:zone:';

/** Strongest first: a caller with several roles gets the first listed. */
const ROLES_BY_STRENGTH: readonly Role[] = ['admin', 'editor', 'viewer'];

/**
 * The caller an introspection answer describes, at `nowMs`. Throws UNAUTHENTICATED
 * (inactive, expired, not yet valid, no subject), PERMISSION_DENIED (no mcns role or
 * an unreadable zone) or UNAVAILABLE (an answer that breaks RFC 7662's types).
 */
export function principalFromIntrospection(
  answer: Readonly<Record<string, unknown>>, mapping: ClaimMapping, nowMs: number,
): Principal {
  // RFC 7662 2.2: "active REQUIRED. Boolean indicator of whether or not the presented
  // token is currently active."
  if (answer['active'] !== true) throw new AuthError('UNAUTHENTICATED', 'token is not active', 'inactive');
  const exp = numericDate(answer, 'exp');
  if (exp !== null && exp * 1000 <= nowMs) throw new AuthError('UNAUTHENTICATED', 'token expired', 'expired');
  const nbf = numericDate(answer, 'nbf');
  if (nbf !== null && nbf * 1000 > nowMs) throw new AuthError('UNAUTHENTICATED', 'token not yet valid', 'not-yet-valid');

  const sub = stringMember(answer, 'sub');
  const username = stringMember(answer, 'username');
  const id = sub ?? username ?? stringMember(answer, 'client_id');
  if (id === null) throw new AuthError('UNAUTHENTICATED', 'identity provider names no subject for the token', 'no-subject');

  const shared = mapping.roleClaim === mapping.zonesClaim;
  const roleItems = claimItems(answer[mapping.roleClaim]);
  const bareRoles = !shared && mapping.roleClaim !== 'scope';
  const granted = new Set<string>();
  for (const item of roleItems) {
    if (item.startsWith(SCOPE_PREFIX)) granted.add(item.slice(SCOPE_PREFIX.length));
    else if (bareRoles) granted.add(item);
  }
  const role = ROLES_BY_STRENGTH.find((r) => granted.has(r));
  if (role === undefined) {
    throw new AuthError('PERMISSION_DENIED',
      `"${id}" has no mcns role: the identity provider's "${mapping.roleClaim}" holds none of mcns:admin, mcns:editor, mcns:viewer`);
  }

  const bareZones = !shared && mapping.zonesClaim !== 'scope';
  const zones: string[] = [];
  for (const item of claimItems(answer[mapping.zonesClaim])) {
    let zone: string | null = null;
    if (item.startsWith(ZONE_SCOPE_PREFIX)) zone = item.slice(ZONE_SCOPE_PREFIX.length);
    else if (bareZones && !item.startsWith(SCOPE_PREFIX)) zone = item;
    if (zone === null) continue;
    const normalized = zoneKey(zone, id);
    if (!zones.includes(normalized)) zones.push(normalized);
  }
  return { id, name: username ?? id, role, zones: zones.length === 0 ? null : zones, via: 'introspection' };
}

/** The values of a claim: a space-separated string (RFC 7662 "scope") or an array of strings. */
function claimItems(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v.length > 0);
  return [];
}

function stringMember(answer: Readonly<Record<string, unknown>>, key: string): string | null {
  const value = answer[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** RFC 7662 2.2: exp, iat and nbf are "integer timestamp, measured in the number of seconds since January 1 1970 UTC". */
function numericDate(answer: Readonly<Record<string, unknown>>, key: string): number | null {
  const value = answer[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AuthError('UNAVAILABLE', `identity provider sent an invalid introspection answer: "${key}" is not a number`);
  }
  return value;
}

/**
 * A zone of the scope as the service compares them (lowercase, trailing dot). An
 * unreadable zone denies rather than being skipped: skipping the only one would turn
 * a scoped caller into one with every zone.
 */
function zoneKey(zone: string, id: string): string {
  try {
    if (zone.length === 0) throw new Error('empty name');
    return nameToText(nameLower(nameFromText(zone.endsWith('.') ? zone : `${zone}.`)));
  } catch (err) {
    throw new AuthError('PERMISSION_DENIED', `"${id}" has an unreadable zone scope "${zone}": ${(err as Error).message}`);
  }
}
