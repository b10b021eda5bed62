// API token administration, delegated to the auth layer's token store (injected as
// TokenAdmin); each change is also written to the audit log.
import type { OperationIO } from './operations.js';
import { decodePageToken, encodePageToken, parsePageSize } from './page-token.js';
import { parseZoneName } from './parse-zone-name.js';
import type { ServiceContext, TokenAdmin } from './service-context.js';
import { ServiceError, type Principal, type Role } from './types.js';
import { asServiceError } from './as-service-error.js';
import { auditDetail, auditName } from './audit-name.js';

type Output<N extends keyof OperationIO> = Promise<OperationIO[N]['output']>;
type Input<N extends keyof OperationIO> = OperationIO[N]['input'];

const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];
/** Longest token name accepted. */
const MAX_TOKEN_NAME = 100;

/** createToken: validates the name, role, zones (normalized) and lifetime, then asks the token store. */
export async function createToken(ctx: ServiceContext, principal: Principal | null, input: Input<'createToken'>): Output<'createToken'> {
  const tokens = tokenAdmin(ctx);
  if (typeof input.name !== 'string' || input.name.trim().length === 0 || input.name.length > MAX_TOKEN_NAME) {
    throw new ServiceError('INVALID_ARGUMENT', `token name must be 1 to ${MAX_TOKEN_NAME} characters`, 'name');
  }
  if (!ROLES.includes(input.role)) {
    throw new ServiceError('INVALID_ARGUMENT', `role "${String(input.role)}" is not admin, editor or viewer`, 'role');
  }
  let zones: string[] | null = null;
  if (input.zones !== undefined && input.zones !== null) {
    if (!Array.isArray(input.zones)) throw new ServiceError('INVALID_ARGUMENT', 'zones must be a list of zone names or null', 'zones');
    zones = [...new Set(input.zones.map((z, i) => parseZoneName(z, `zones[${i}]`).text))];
  }
  const ttl = input.ttlSeconds;
  // The words of REST's schema for the same check, which a gRPC caller (uint32) reaches here.
  if (ttl !== undefined && (typeof ttl !== 'number' || !Number.isInteger(ttl))) throw new ServiceError('INVALID_ARGUMENT', 'ttlSeconds must be integer', 'ttlSeconds');
  if (ttl !== undefined && ttl < 1) throw new ServiceError('INVALID_ARGUMENT', 'ttlSeconds must be >= 1', 'ttlSeconds');
  const now = ctx.now();
  const created = await adminCall(() => tokens.create({ name: input.name, role: input.role, zones, ...(ttl === undefined ? {} : { ttlSeconds: ttl }) }, now));
  const scope = zones === null ? 'every zone' : `zones ${zones.join(' ')}`;
  ctx.store.appendAudit({
    time: now.toISOString(), principal: auditName(principal), detail: auditDetail(principal), operation: 'createToken',
    zone: null, serialBefore: null, serialAfter: null,
    summary: `create token "${created.token.name}" (${created.token.id}, ${created.token.role}, ${scope})`,
  });
  return created;
}

/** listTokens: every token by id (secrets are never stored, so never shown). */
export async function listTokens(ctx: ServiceContext, input: Input<'listTokens'>): Output<'listTokens'> {
  const tokens = tokenAdmin(ctx);
  const pageSize = parsePageSize(input.pageSize);
  const after = decodePageToken('listTokens', input.pageToken);
  const all = [...(await adminCall(() => tokens.list()))].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest = after === null ? all : all.filter((t) => t.id > String(after));
  const items = rest.slice(0, pageSize);
  return { items, nextPageToken: rest.length > pageSize ? encodePageToken('listTokens', items[items.length - 1]!.id) : '' };
}

/** revokeToken: NOT_FOUND for an unknown id. */
export async function revokeToken(ctx: ServiceContext, principal: Principal | null, input: Input<'revokeToken'>): Output<'revokeToken'> {
  const tokens = tokenAdmin(ctx);
  if (typeof input.id !== 'string' || input.id.length === 0) throw new ServiceError('INVALID_ARGUMENT', 'id must name a token', 'id');
  const now = ctx.now();
  await adminCall(() => tokens.revoke(input.id, now));
  ctx.store.appendAudit({
    time: now.toISOString(), principal: auditName(principal), detail: auditDetail(principal), operation: 'revokeToken',
    zone: null, serialBefore: null, serialAfter: null,
    summary: `revoke token ${input.id}`,
  });
  return {};
}

function tokenAdmin(ctx: ServiceContext): TokenAdmin {
  if (ctx.tokens === undefined) throw new ServiceError('FAILED_PRECONDITION', 'api tokens are not managed by this server');
  return ctx.tokens;
}

/** Runs a token-store call; an error carrying a service error code keeps it. */
async function adminCall<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asServiceError(err);
  }
}
