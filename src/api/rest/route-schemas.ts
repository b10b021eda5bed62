// The REST shape of every operation: path parameters, query, body and success
// response as TypeBox (JSON Schema) values. Fastify validates requests and
// serializes responses with them, and @fastify/swagger builds /v1/openapi.json from
// them. Keyed by OperationName, so a new row in OPERATIONS does not compile until
// it has its schemas here. Semantic checks (name syntax, RDATA, zone scope) are the
// service's; these check shapes and ranges.
import { Type, type TSchema } from 'typebox';
import { ServiceError, type OperationName } from '../../service/index.js';

/** How one operation travels over REST. */
export interface RouteSchema {
  readonly params?: TSchema;
  readonly query?: TSchema;
  /** The JSON body; absent for GET and DELETE (their inputs are in the query). */
  readonly body?: TSchema;
  /** Status of a successful reply: 201 for creations, 204 (no body) when the output is empty. */
  readonly status: 200 | 201 | 204;
  /** Schema of the successful JSON reply; null for 204. */
  readonly response: TSchema | null;
  /** The body may also be a zone file (text/dns or text/plain), which becomes the input's `text`. */
  readonly zoneFileBody?: true;
  /** The reply is a zone file (text/dns) unless the client accepts only JSON. */
  readonly zoneFileReply?: true;
  /** An output that still means "no" becomes this error (readiness: UNAVAILABLE, 503, while not ready). */
  readonly refusal?: (output: unknown) => ServiceError | null;
}

// Presentation names may escape every octet as \DDD, so 255 octets take up to 1020 characters.
const NAME_TEXT = Type.String({ minLength: 1, maxLength: 1100, description: 'domain name in presentation form, absolute or relative to the zone ("www", "@")' });
const ABSOLUTE_NAME_TEXT = Type.String({ minLength: 1, maxLength: 1100, description: 'domain name, always absolute ("www.example.com." or "www.example.com")' });
const ZONE_TEXT = Type.String({ minLength: 1, maxLength: 1100, description: 'zone name ("example.com." or "example.com")' });
const TYPE_TEXT = Type.String({ minLength: 1, maxLength: 20, description: 'RR type mnemonic ("A", "MX", "TYPE65280")' });
const RDATA_TEXT = Type.String({ minLength: 1, maxLength: 70_000, description: 'RDATA in presentation form ("192.0.2.10", "10 mail.example.com.")' });
// RFC 2181 8: a TTL is an unsigned number from 0 to 2^31 - 1.
const TTL = Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'seconds (RFC 2181 8)' });
const SERIAL = Type.Integer({ minimum: 0, maximum: 4_294_967_295, description: 'SOA serial the zone must have now (optimistic concurrency)' });
const PAGE_SIZE = Type.Integer({ minimum: 1, maximum: 1000, description: 'items per page' });
const PAGE_TOKEN = Type.String({ maxLength: 1000, description: 'nextPageToken of the previous page' });
const ROLE = Type.Union([Type.Literal('admin'), Type.Literal('editor'), Type.Literal('viewer')]);
const TIME = Type.String({ description: 'RFC 3339 time' });

const closed = { additionalProperties: false } as const;

const ZONE_PARAMS = Type.Object({ zone: ZONE_TEXT }, closed);
const RRSET_PARAMS = Type.Object({ zone: ZONE_TEXT, name: NAME_TEXT, type: TYPE_TEXT }, closed);
const EXPECTED_SERIAL = Type.Optional(SERIAL);

const ZONE_VIEW = Type.Object({
  name: Type.String(),
  serial: Type.Integer(),
  kind: Type.Union([Type.Literal('primary'), Type.Literal('secondary')]),
  recordCount: Type.Integer(),
  createdAt: TIME,
  updatedAt: TIME,
});
const RRSET_VIEW = Type.Object({ name: Type.String(), type: Type.String(), ttl: Type.Integer(), records: Type.Array(Type.String()) });
const CHANGE_RESULT = Type.Object({ zone: Type.String(), serialBefore: Type.Integer(), serialAfter: Type.Integer() });
const AUDIT_ENTRY = Type.Object({
  id: Type.Integer(),
  time: TIME,
  principal: Type.String(),
  operation: Type.String(),
  zone: Type.Union([Type.String(), Type.Null()]),
  serialBefore: Type.Union([Type.Integer(), Type.Null()]),
  serialAfter: Type.Union([Type.Integer(), Type.Null()]),
  summary: Type.String(),
});
const TOKEN_VIEW = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: ROLE,
  zones: Type.Union([Type.Array(Type.String()), Type.Null()]),
  createdAt: TIME,
  expiresAt: Type.Union([TIME, Type.Null()]),
  revokedAt: Type.Union([TIME, Type.Null()]),
  lastUsedAt: Type.Union([TIME, Type.Null()]),
});

const CACHED_ANSWER = Type.Object({
  type: Type.String({ description: 'RR type mnemonic' }),
  class: Type.String({ description: 'class mnemonic ("IN")' }),
  rcode: Type.String({ description: 'the upstream\'s rcode ("NOERROR", "NXDOMAIN")' }),
  negative: Type.Boolean({ description: 'NXDOMAIN or NODATA (RFC 2308)' }),
  ttlRemaining: Type.Integer({ description: 'seconds until expiry; negative once expired' }),
  stale: Type.Boolean({ description: 'expired but servable under serve-stale (RFC 8767)' }),
  dnssecOk: Type.Boolean({ description: 'asked with DO' }),
  checkingDisabled: Type.Boolean({ description: 'asked with CD' }),
  bytes: Type.Integer(),
});

function page(item: TSchema): TSchema {
  return Type.Object({ items: Type.Array(item), nextPageToken: Type.String({ description: 'empty on the last page' }) });
}

/**
 * One change of a batch. `op` picks which other fields apply (replace and add need
 * ttl and records, remove needs records, delete neither); the service checks that,
 * naming the field as `changes[i].ttl`, because a union here would report every
 * branch's mismatch instead of the one the client meant.
 */
const RRSET_CHANGE = Type.Object({
  op: Type.Union([Type.Literal('replace'), Type.Literal('delete'), Type.Literal('add'), Type.Literal('remove')]),
  name: NAME_TEXT,
  type: TYPE_TEXT,
  ttl: Type.Optional(TTL),
  records: Type.Optional(Type.Array(RDATA_TEXT)),
}, closed);

/** The body of every error reply. */
export const ERROR_BODY = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'stable code, named like gRPC\'s (INVALID_ARGUMENT, NOT_FOUND, ...)' }),
    message: Type.String(),
    field: Type.Union([Type.String(), Type.Null()], { description: 'the input field at fault ("records[1]", "ttl"), or null' }),
  }),
});

/** Every operation's REST shape. */
export const ROUTE_SCHEMAS: Readonly<Record<OperationName, RouteSchema>> = {
  health: { status: 200, response: Type.Object({ status: Type.Literal('ok') }) },
  ready: {
    status: 200,
    response: Type.Object({ ready: Type.Boolean(), reason: Type.String() }),
    refusal: (output) => {
      const { ready, reason } = output as { ready: boolean; reason: string };
      return ready ? null : new ServiceError('UNAVAILABLE', `not ready: ${reason}`);
    },
  },
  listZones: {
    query: Type.Object({ filter: Type.Optional(Type.String({ maxLength: 1100 })), pageSize: Type.Optional(PAGE_SIZE), pageToken: Type.Optional(PAGE_TOKEN) }, closed),
    status: 200,
    response: page(ZONE_VIEW),
  },
  getZone: { params: ZONE_PARAMS, status: 200, response: ZONE_VIEW },
  createZone: {
    body: Type.Object({
      zone: ZONE_TEXT,
      nameservers: Type.Optional(Type.Array(NAME_TEXT, { maxItems: 100 })),
      email: Type.Optional(Type.String({ minLength: 1, maxLength: 1100, description: 'SOA RNAME as an address or a name' })),
      ttl: Type.Optional(TTL),
    }, closed),
    status: 201,
    response: ZONE_VIEW,
  },
  deleteZone: { params: ZONE_PARAMS, status: 204, response: null },
  importZone: {
    params: ZONE_PARAMS,
    body: Type.Object({ text: Type.String({ description: 'the zone file (a latin1 byte string)' }) }, closed),
    zoneFileBody: true,
    status: 200,
    response: Type.Object({ zone: Type.String(), serialBefore: Type.Integer(), serialAfter: Type.Integer(), recordCount: Type.Integer() }),
  },
  exportZone: { params: ZONE_PARAMS, zoneFileReply: true, status: 200, response: Type.Object({ text: Type.String() }) },
  listRRsets: {
    params: ZONE_PARAMS,
    query: Type.Object({
      name: Type.Optional(NAME_TEXT), type: Type.Optional(TYPE_TEXT), pageSize: Type.Optional(PAGE_SIZE), pageToken: Type.Optional(PAGE_TOKEN),
    }, closed),
    status: 200,
    response: page(RRSET_VIEW),
  },
  getRRset: { params: RRSET_PARAMS, status: 200, response: RRSET_VIEW },
  replaceRRset: {
    params: RRSET_PARAMS,
    body: Type.Object({ ttl: TTL, records: Type.Array(RDATA_TEXT, { minItems: 1 }), expectedSerial: EXPECTED_SERIAL }, closed),
    status: 200,
    response: CHANGE_RESULT,
  },
  deleteRRset: { params: RRSET_PARAMS, query: Type.Object({ expectedSerial: EXPECTED_SERIAL }, closed), status: 200, response: CHANGE_RESULT },
  addRecords: {
    params: RRSET_PARAMS,
    body: Type.Object({ ttl: TTL, records: Type.Array(RDATA_TEXT, { minItems: 1 }), expectedSerial: EXPECTED_SERIAL }, closed),
    status: 200,
    response: CHANGE_RESULT,
  },
  removeRecords: {
    params: RRSET_PARAMS,
    body: Type.Object({ records: Type.Array(RDATA_TEXT, { minItems: 1 }), expectedSerial: EXPECTED_SERIAL }, closed),
    status: 200,
    response: CHANGE_RESULT,
  },
  applyChanges: {
    params: ZONE_PARAMS,
    body: Type.Object({ changes: Type.Array(RRSET_CHANGE, { minItems: 1, maxItems: 100_000 }), expectedSerial: EXPECTED_SERIAL }, closed),
    status: 200,
    response: CHANGE_RESULT,
  },
  listAudit: {
    query: Type.Object({ zone: Type.Optional(ZONE_TEXT), pageSize: Type.Optional(PAGE_SIZE), pageToken: Type.Optional(PAGE_TOKEN) }, closed),
    status: 200,
    response: page(AUDIT_ENTRY),
  },
  createToken: {
    body: Type.Object({
      name: Type.String({ minLength: 1, maxLength: 200 }),
      role: ROLE,
      zones: Type.Optional(Type.Union([Type.Array(ZONE_TEXT, { maxItems: 10_000 }), Type.Null()])),
      ttlSeconds: Type.Optional(Type.Integer({ minimum: 1, description: 'lifetime; no expiry when absent' })),
    }, closed),
    status: 201,
    response: Type.Object({ token: TOKEN_VIEW, secret: Type.String({ description: 'the bearer token; shown only now' }) }),
  },
  listTokens: {
    query: Type.Object({ pageSize: Type.Optional(PAGE_SIZE), pageToken: Type.Optional(PAGE_TOKEN) }, closed),
    status: 200,
    response: page(TOKEN_VIEW),
  },
  revokeToken: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }, closed), status: 204, response: null },
  flushCache: {
    body: Type.Object({
      name: Type.Optional(ABSOLUTE_NAME_TEXT),
      subtree: Type.Optional(Type.Boolean({ description: 'also every name below `name`' })),
    }, closed),
    status: 200,
    response: Type.Object({ flushed: Type.Integer({ description: 'entries removed' }) }),
  },
  showCache: {
    params: Type.Object({ name: ABSOLUTE_NAME_TEXT }, closed),
    status: 200,
    response: Type.Object({ entries: Type.Array(CACHED_ANSWER) }),
  },
  createSnapshot: {
    body: Type.Object({}, closed),
    status: 201,
    response: Type.Object({
      path: Type.String({ description: 'the snapshot file on the server\'s host' }),
      bytes: Type.Integer(),
      problems: Type.Array(Type.String(), { description: 'problems of mcns invariants in the copy; empty: integrity ok' }),
      pruned: Type.Array(Type.String(), { description: 'older snapshots deleted to keep [backup] keep' }),
    }),
  },
};
