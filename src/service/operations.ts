// The one table of management operations (issue 3): each is named once here with
// its REST route, gRPC method, CLI verb and required permission. Adapters build
// their routes from this table; `invoke` authorizes from it, so no adapter can
// forget a check. Inputs and outputs are plain values (./types.ts).
import type {
  AuditEntry, CachedAnswerView, ChangeResult, CreatedToken, Page, Permission, Role, RRsetChange, RRsetView, SnapshotView, TokenView, ZoneView,
} from './types.js';

/** Inputs and outputs of every operation, by name. Zone and owner names are presentation text. */
export interface OperationIO {
  health: { input: Record<string, never>; output: { status: 'ok' } };
  ready: { input: Record<string, never>; output: { ready: boolean; reason: string } };
  listZones: { input: { filter?: string; pageSize?: number; pageToken?: string }; output: Page<ZoneView> };
  getZone: { input: { zone: string }; output: ZoneView };
  createZone: {
    input: { zone: string; nameservers?: readonly string[]; email?: string; ttl?: number };
    output: ZoneView;
  };
  deleteZone: { input: { zone: string }; output: Record<string, never> };
  importZone: { input: { zone: string; text: string }; output: ChangeResult & { recordCount: number } };
  exportZone: { input: { zone: string }; output: { text: string } };
  listRRsets: {
    input: { zone: string; name?: string; type?: string; pageSize?: number; pageToken?: string };
    output: Page<RRsetView>;
  };
  getRRset: { input: { zone: string; name: string; type: string }; output: RRsetView };
  replaceRRset: {
    input: { zone: string; name: string; type: string; ttl: number; records: readonly string[]; expectedSerial?: number };
    output: ChangeResult;
  };
  deleteRRset: { input: { zone: string; name: string; type: string; expectedSerial?: number }; output: ChangeResult };
  addRecords: {
    input: { zone: string; name: string; type: string; ttl: number; records: readonly string[]; expectedSerial?: number };
    output: ChangeResult;
  };
  removeRecords: {
    input: { zone: string; name: string; type: string; records: readonly string[]; expectedSerial?: number };
    output: ChangeResult;
  };
  applyChanges: { input: { zone: string; changes: readonly RRsetChange[]; expectedSerial?: number }; output: ChangeResult };
  listAudit: { input: { zone?: string; pageSize?: number; pageToken?: string }; output: Page<AuditEntry> };
  createToken: {
    input: { name: string; role: Role; zones?: readonly string[] | null; ttlSeconds?: number };
    output: CreatedToken;
  };
  listTokens: { input: { pageSize?: number; pageToken?: string }; output: Page<TokenView> };
  revokeToken: { input: { id: string }; output: Record<string, never> };
  flushCache: { input: { name?: string; subtree?: boolean }; output: { flushed: number } };
  showCache: { input: { name: string }; output: { entries: readonly CachedAnswerView[] } };
  createSnapshot: { input: Record<string, never>; output: SnapshotView };
}

/** The name of an operation. */
export type OperationName = keyof OperationIO;

/** HTTP methods the REST adapter uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One row of the operations table. */
export interface OperationSpec {
  readonly name: OperationName;
  /** One line for OpenAPI, `--help` and docs. */
  readonly summary: string;
  readonly permission: Permission;
  /** True when the input's `zone` must be inside the principal's zone scope. */
  readonly zoneScoped: boolean;
  /** REST route; `{zone}`, `{name}`, `{type}`, `{id}` are path parameters. */
  readonly rest: { readonly method: HttpMethod; readonly path: string };
  /** gRPC service and method (proto/mcns/v1/*.proto). */
  readonly grpc: { readonly service: 'AdminService' | 'ZoneService' | 'RecordService' | 'TokenService' | 'AuditService'; readonly method: string };
  /** CLI verb ("zone list"). */
  readonly cli: string;
}

/** Every management operation, once. */
export const OPERATIONS: readonly OperationSpec[] = [
  { name: 'health', summary: 'liveness: the process answers', permission: 'public', zoneScoped: false,
    rest: { method: 'GET', path: '/v1/health' }, grpc: { service: 'AdminService', method: 'Health' }, cli: 'status' },
  { name: 'ready', summary: 'readiness: database open and zones loaded', permission: 'public', zoneScoped: false,
    rest: { method: 'GET', path: '/v1/ready' }, grpc: { service: 'AdminService', method: 'Ready' }, cli: 'status' },
  { name: 'listZones', summary: 'list zones (name filter, pagination)', permission: 'read', zoneScoped: false,
    rest: { method: 'GET', path: '/v1/zones' }, grpc: { service: 'ZoneService', method: 'ListZones' }, cli: 'zone list' },
  { name: 'getZone', summary: 'show one zone', permission: 'read', zoneScoped: true,
    rest: { method: 'GET', path: '/v1/zones/{zone}' }, grpc: { service: 'ZoneService', method: 'GetZone' }, cli: 'zone get' },
  { name: 'createZone', summary: 'create a zone with default SOA and NS', permission: 'admin', zoneScoped: false,
    rest: { method: 'POST', path: '/v1/zones' }, grpc: { service: 'ZoneService', method: 'CreateZone' }, cli: 'zone create' },
  { name: 'deleteZone', summary: 'delete a zone and all its records', permission: 'admin', zoneScoped: false,
    rest: { method: 'DELETE', path: '/v1/zones/{zone}' }, grpc: { service: 'ZoneService', method: 'DeleteZone' }, cli: 'zone delete' },
  { name: 'importZone', summary: 'replace a zone\'s records with a zone file', permission: 'write', zoneScoped: true,
    rest: { method: 'PUT', path: '/v1/zones/{zone}/file' }, grpc: { service: 'ZoneService', method: 'ImportZone' }, cli: 'zone import' },
  { name: 'exportZone', summary: 'the zone as an RFC 1035 zone file', permission: 'read', zoneScoped: true,
    rest: { method: 'GET', path: '/v1/zones/{zone}/file' }, grpc: { service: 'ZoneService', method: 'ExportZone' }, cli: 'zone export' },
  { name: 'listRRsets', summary: 'list RRsets (owner and type filters, pagination)', permission: 'read', zoneScoped: true,
    rest: { method: 'GET', path: '/v1/zones/{zone}/rrsets' }, grpc: { service: 'RecordService', method: 'ListRRsets' }, cli: 'record list' },
  { name: 'getRRset', summary: 'show one RRset', permission: 'read', zoneScoped: true,
    rest: { method: 'GET', path: '/v1/zones/{zone}/rrsets/{name}/{type}' }, grpc: { service: 'RecordService', method: 'GetRRset' }, cli: 'record get' },
  { name: 'replaceRRset', summary: 'set an RRset to exactly these records', permission: 'write', zoneScoped: true,
    rest: { method: 'PUT', path: '/v1/zones/{zone}/rrsets/{name}/{type}' }, grpc: { service: 'RecordService', method: 'ReplaceRRset' }, cli: 'record set' },
  { name: 'deleteRRset', summary: 'delete an RRset', permission: 'write', zoneScoped: true,
    rest: { method: 'DELETE', path: '/v1/zones/{zone}/rrsets/{name}/{type}' }, grpc: { service: 'RecordService', method: 'DeleteRRset' }, cli: 'record delete' },
  { name: 'addRecords', summary: 'add records to an RRset (created if absent)', permission: 'write', zoneScoped: true,
    rest: { method: 'POST', path: '/v1/zones/{zone}/rrsets/{name}/{type}' }, grpc: { service: 'RecordService', method: 'AddRecords' }, cli: 'record add' },
  { name: 'removeRecords', summary: 'remove single records from an RRset', permission: 'write', zoneScoped: true,
    rest: { method: 'POST', path: '/v1/zones/{zone}/rrsets/{name}/{type}/remove' }, grpc: { service: 'RecordService', method: 'RemoveRecords' }, cli: 'record remove' },
  { name: 'applyChanges', summary: 'apply a batch of RRset changes atomically (optional expected serial)', permission: 'write', zoneScoped: true,
    rest: { method: 'PATCH', path: '/v1/zones/{zone}/rrsets' }, grpc: { service: 'RecordService', method: 'ApplyChanges' }, cli: 'record apply' },
  { name: 'listAudit', summary: 'the audit log: who changed what, when, serials before and after', permission: 'admin', zoneScoped: false,
    rest: { method: 'GET', path: '/v1/audit' }, grpc: { service: 'AuditService', method: 'ListAudit' }, cli: 'audit' },
  { name: 'createToken', summary: 'create an API token (the secret is shown once)', permission: 'admin', zoneScoped: false,
    rest: { method: 'POST', path: '/v1/tokens' }, grpc: { service: 'TokenService', method: 'CreateToken' }, cli: 'token create' },
  { name: 'listTokens', summary: 'list API tokens (never their secrets)', permission: 'admin', zoneScoped: false,
    rest: { method: 'GET', path: '/v1/tokens' }, grpc: { service: 'TokenService', method: 'ListTokens' }, cli: 'token list' },
  { name: 'revokeToken', summary: 'revoke an API token', permission: 'admin', zoneScoped: false,
    rest: { method: 'DELETE', path: '/v1/tokens/{id}' }, grpc: { service: 'TokenService', method: 'RevokeToken' }, cli: 'token revoke' },
  // admin, not write: a flush changes what every client of the forwarder is answered (and costs upstream queries).
  { name: 'flushCache', summary: 'drop forwarded answers from the cache: one name, a subtree, or all', permission: 'admin', zoneScoped: false,
    rest: { method: 'POST', path: '/v1/cache/flush' }, grpc: { service: 'AdminService', method: 'FlushCache' }, cli: 'cache flush' },
  { name: 'showCache', summary: 'the forwarded answers cached for one name', permission: 'read', zoneScoped: false,
    rest: { method: 'GET', path: '/v1/cache/{name}' }, grpc: { service: 'AdminService', method: 'ShowCache' }, cli: 'cache show' },
  // admin: a snapshot holds every zone, token hash and audit entry, and costs disk on the server.
  { name: 'createSnapshot', summary: 'take a snapshot of the database now (consistent, checked, old ones pruned)', permission: 'admin', zoneScoped: false,
    rest: { method: 'POST', path: '/v1/snapshots' }, grpc: { service: 'AdminService', method: 'CreateSnapshot' }, cli: 'snapshot' },
];

/** The row for one operation. */
export function operationSpec(name: OperationName): OperationSpec {
  const spec = OPERATIONS.find((op) => op.name === name);
  if (spec === undefined) throw new Error(`operation "${name}" is not in the table`);
  return spec;
}
