// How the audit log and the journal name a caller.
import type { Principal } from './types.js';

/** The audit log's name for a caller. */
export function auditName(principal: Principal | null): string {
  return principal === null ? 'anonymous' : principal.name;
}

/** The audit log's detail of a caller: its stable id and how it proved who it is (names need not be unique). */
export function auditDetail(principal: Principal | null): string | null {
  return principal === null ? null : JSON.stringify({ principalId: principal.id, via: principal.via });
}
