// How each operation's input is read from its protobuf request and its output
// written as its protobuf response. Keyed by operation name, so the compiler
// insists on one codec per row of the operations table; which gRPC method serves
// it comes from the table itself (create-grpc-routes.ts), never from here.
import type { DescMessage, MessageInitShape, MessageShape } from '@bufbuild/protobuf';
import type {
  AuditEntry, ChangeResult, OperationIO, OperationName, Role, RRsetChange, RRsetView, TokenView, ZoneView,
} from '../../service/index.js';
import { omitUndefined } from './omit-undefined.js';
import {
  CreateSnapshotRequestSchema, CreateSnapshotResponseSchema, FlushCacheRequestSchema, FlushCacheResponseSchema, HealthRequestSchema,
  HealthResponseSchema, ReadyRequestSchema, ReadyResponseSchema, ShowCacheRequestSchema, ShowCacheResponseSchema,
} from './gen/mcns/v1/admin_pb.js';
import { ListAuditRequestSchema, ListAuditResponseSchema } from './gen/mcns/v1/audit_pb.js';
import {
  AddRecordsRequestSchema, AddRecordsResponseSchema, ApplyChangesRequestSchema, ApplyChangesResponseSchema,
  DeleteRRsetRequestSchema, DeleteRRsetResponseSchema, GetRRsetRequestSchema, GetRRsetResponseSchema,
  ListRRsetsRequestSchema, ListRRsetsResponseSchema, RemoveRecordsRequestSchema, RemoveRecordsResponseSchema,
  ReplaceRRsetRequestSchema, ReplaceRRsetResponseSchema, type RRsetChange as RRsetChangeMessage,
} from './gen/mcns/v1/record_pb.js';
import {
  CreateTokenRequestSchema, CreateTokenResponseSchema, ListTokensRequestSchema, ListTokensResponseSchema,
  RevokeTokenRequestSchema, RevokeTokenResponseSchema, type TokenSchema,
} from './gen/mcns/v1/token_pb.js';
import {
  CreateZoneRequestSchema, CreateZoneResponseSchema, DeleteZoneRequestSchema, DeleteZoneResponseSchema,
  ExportZoneRequestSchema, ExportZoneResponseSchema, GetZoneRequestSchema, GetZoneResponseSchema,
  ImportZoneRequestSchema, ImportZoneResponseSchema, ListZonesRequestSchema, ListZonesResponseSchema, type ZoneSchema,
} from './gen/mcns/v1/zone_pb.js';
import type { ChangeResultSchema } from './gen/mcns/v1/change_pb.js';
import type { AuditEntrySchema } from './gen/mcns/v1/audit_pb.js';
import type { RRsetSchema } from './gen/mcns/v1/record_pb.js';

/** One operation's request and response messages and the conversions between them and the service's plain values. */
export interface OperationCodec<N extends OperationName> {
  readonly request: DescMessage;
  readonly response: DescMessage;
  /** The service input read from a decoded request of type `request`. */
  readonly input: (request: unknown) => OperationIO[N]['input'];
  /** The response (init shape of `response`) for the service's output. */
  readonly output: (output: OperationIO[N]['output']) => MessageInitShape<DescMessage>;
}

/** Ties a codec's conversions to its message types; the table erases them, the router checks them against the method. */
function codec<N extends OperationName, Req extends DescMessage, Res extends DescMessage>(
  request: Req,
  response: Res,
  input: (request: MessageShape<Req>) => OperationIO[N]['input'],
  output: (output: OperationIO[N]['output']) => MessageInitShape<Res>,
): OperationCodec<N> {
  return {
    request, response, output,
    input: (message) => input(message as MessageShape<Req>),
  } as OperationCodec<N>;
}

function zoneOut(zone: ZoneView): MessageInitShape<typeof ZoneSchema> {
  return {
    name: zone.name, serial: zone.serial, kind: zone.kind, recordCount: zone.recordCount,
    createdAt: zone.createdAt, updatedAt: zone.updatedAt,
  };
}

function rrsetOut(rrset: RRsetView): MessageInitShape<typeof RRsetSchema> {
  return { name: rrset.name, type: rrset.type, ttl: rrset.ttl, records: [...rrset.records] };
}

function changeOut(result: ChangeResult): MessageInitShape<typeof ChangeResultSchema> {
  return { zone: result.zone, serialBefore: result.serialBefore, serialAfter: result.serialAfter };
}

function tokenOut(token: TokenView): MessageInitShape<typeof TokenSchema> {
  return omitUndefined({
    id: token.id, name: token.name, role: token.role, createdAt: token.createdAt,
    zones: token.zones === null ? undefined : { names: [...token.zones] },
    expiresAt: token.expiresAt ?? undefined,
    revokedAt: token.revokedAt ?? undefined,
    lastUsedAt: token.lastUsedAt ?? undefined,
  });
}

function auditOut(entry: AuditEntry): MessageInitShape<typeof AuditEntrySchema> {
  return omitUndefined({
    id: BigInt(entry.id), time: entry.time, principal: entry.principal, operation: entry.operation,
    zone: entry.zone ?? undefined,
    serialBefore: entry.serialBefore ?? undefined,
    serialAfter: entry.serialAfter ?? undefined,
    summary: entry.summary,
  });
}

/**
 * One change of a batch as the service takes it. The op is passed on as sent, so
 * the service validates it (and words the error) exactly as it does for REST.
 */
function changeIn(change: RRsetChangeMessage): RRsetChange {
  return omitUndefined({
    op: change.op, name: change.name, type: change.type, ttl: change.ttl, records: change.records,
  }) as RRsetChange;
}

/** Every operation's codec, by operation name. */
export const OPERATION_CODECS: { readonly [N in OperationName]: OperationCodec<N> } = {
  health: codec(HealthRequestSchema, HealthResponseSchema, () => ({}), (out) => ({ status: out.status })),
  ready: codec(ReadyRequestSchema, ReadyResponseSchema, () => ({}), (out) => ({ ready: out.ready, reason: out.reason })),
  listZones: codec(ListZonesRequestSchema, ListZonesResponseSchema,
    (req) => omitUndefined({ filter: req.filter, pageSize: req.pageSize, pageToken: req.pageToken }),
    (out) => ({ zones: out.items.map(zoneOut), nextPageToken: out.nextPageToken })),
  getZone: codec(GetZoneRequestSchema, GetZoneResponseSchema,
    (req) => ({ zone: req.zone }),
    (out) => ({ zone: zoneOut(out) })),
  createZone: codec(CreateZoneRequestSchema, CreateZoneResponseSchema,
    (req) => omitUndefined({
      zone: req.zone, email: req.email, ttl: req.ttl,
      nameservers: req.nameservers.length === 0 ? undefined : req.nameservers,
    }),
    (out) => ({ zone: zoneOut(out) })),
  deleteZone: codec(DeleteZoneRequestSchema, DeleteZoneResponseSchema, (req) => ({ zone: req.zone }), () => ({})),
  importZone: codec(ImportZoneRequestSchema, ImportZoneResponseSchema,
    (req) => ({ zone: req.zone, text: req.text }),
    (out) => ({ result: changeOut(out), recordCount: out.recordCount })),
  exportZone: codec(ExportZoneRequestSchema, ExportZoneResponseSchema,
    (req) => ({ zone: req.zone }),
    (out) => ({ text: out.text })),
  listRRsets: codec(ListRRsetsRequestSchema, ListRRsetsResponseSchema,
    (req) => omitUndefined({
      zone: req.zone, name: req.name, type: req.type, pageSize: req.pageSize, pageToken: req.pageToken,
    }),
    (out) => ({ rrsets: out.items.map(rrsetOut), nextPageToken: out.nextPageToken })),
  getRRset: codec(GetRRsetRequestSchema, GetRRsetResponseSchema,
    (req) => ({ zone: req.zone, name: req.name, type: req.type }),
    (out) => ({ rrset: rrsetOut(out) })),
  replaceRRset: codec(ReplaceRRsetRequestSchema, ReplaceRRsetResponseSchema,
    (req) => omitUndefined({
      zone: req.zone, name: req.name, type: req.type, ttl: req.ttl, records: req.records, expectedSerial: req.expectedSerial,
    }),
    (out) => ({ result: changeOut(out) })),
  deleteRRset: codec(DeleteRRsetRequestSchema, DeleteRRsetResponseSchema,
    (req) => omitUndefined({ zone: req.zone, name: req.name, type: req.type, expectedSerial: req.expectedSerial }),
    (out) => ({ result: changeOut(out) })),
  addRecords: codec(AddRecordsRequestSchema, AddRecordsResponseSchema,
    (req) => omitUndefined({
      zone: req.zone, name: req.name, type: req.type, ttl: req.ttl, records: req.records, expectedSerial: req.expectedSerial,
    }),
    (out) => ({ result: changeOut(out) })),
  removeRecords: codec(RemoveRecordsRequestSchema, RemoveRecordsResponseSchema,
    (req) => omitUndefined({
      zone: req.zone, name: req.name, type: req.type, records: req.records, expectedSerial: req.expectedSerial,
    }),
    (out) => ({ result: changeOut(out) })),
  applyChanges: codec(ApplyChangesRequestSchema, ApplyChangesResponseSchema,
    (req) => omitUndefined({ zone: req.zone, changes: req.changes.map(changeIn), expectedSerial: req.expectedSerial }),
    (out) => ({ result: changeOut(out) })),
  listAudit: codec(ListAuditRequestSchema, ListAuditResponseSchema,
    (req) => omitUndefined({ zone: req.zone, pageSize: req.pageSize, pageToken: req.pageToken }),
    (out) => ({ entries: out.items.map(auditOut), nextPageToken: out.nextPageToken })),
  createToken: codec(CreateTokenRequestSchema, CreateTokenResponseSchema,
    // The role is passed on as sent: the service checks it and words the error as for REST.
    (req) => omitUndefined({
      name: req.name, role: req.role as Role, zones: req.zones?.names, ttlSeconds: req.ttlSeconds,
    }),
    (out) => ({ token: tokenOut(out.token), secret: out.secret })),
  listTokens: codec(ListTokensRequestSchema, ListTokensResponseSchema,
    (req) => omitUndefined({ pageSize: req.pageSize, pageToken: req.pageToken }),
    (out) => ({ tokens: out.items.map(tokenOut), nextPageToken: out.nextPageToken })),
  revokeToken: codec(RevokeTokenRequestSchema, RevokeTokenResponseSchema, (req) => ({ id: req.id }), () => ({})),
  flushCache: codec(FlushCacheRequestSchema, FlushCacheResponseSchema,
    (req) => omitUndefined({ name: req.name, subtree: req.subtree }),
    (out) => ({ flushed: out.flushed })),
  showCache: codec(ShowCacheRequestSchema, ShowCacheResponseSchema,
    (req) => ({ name: req.name }),
    (out) => ({ entries: out.entries.map((e) => ({ ...e })) })),
  createSnapshot: codec(CreateSnapshotRequestSchema, CreateSnapshotResponseSchema, () => ({}),
    (out) => ({ path: out.path, bytes: BigInt(out.bytes), problems: [...out.problems], pruned: [...out.pruned] })),
};
