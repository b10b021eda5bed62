// The management plane's one entry (ADR 0002 decision 2): invoke(name, principal,
// input) authorizes from the operations table (role, then zone scope), then runs
// the operation. REST routes, gRPC methods and CLI verbs all call this and nothing
// else; every zone change inside goes through commit-change.ts.
import type { Name } from '../wire/index.js';
import type { Store } from '../store/index.js';
import type { ZoneTable } from '../zone/index.js';
import { asServiceError } from './as-service-error.js';
import { listAudit } from './audit-methods.js';
import { authorizeRole, authorizeZone } from './authorize.js';
import { flushCache, showCache } from './cache-methods.js';
import { createCommitChange, type CommitStats } from './commit-change.js';
import { createSnapshot } from './create-snapshot.js';
import { OPERATIONS, type OperationIO, type OperationName, type OperationSpec } from './operations.js';
import { parseZoneName, type ZoneName } from './parse-zone-name.js';
import { applyChanges, editRRset, getRRset, listRRsets } from './rrset-methods.js';
import type { ForwarderCache, ServiceContext, SnapshotTaker, TokenAdmin } from './service-context.js';
import { createToken, listTokens, revokeToken } from './token-methods.js';
import { ServiceError, type Principal } from './types.js';
import { createZone, deleteZone, exportZone, getZone, importZone, listZones } from './zone-methods.js';

/** What the management service is made of; main.ts wires it. */
export interface ManagementServiceDeps {
  /** The database (source of truth). */
  readonly store: Store;
  /** The zones DNS answers from; the service swaps snapshots into it on every change. */
  readonly zones: ZoneTable;
  /** The clock: serials, audit and journal times, token expiry. */
  readonly now: () => Date;
  /** Turns a credential (bearer token text) into a principal; the auth layer's authenticate. */
  readonly authenticate?: ((credential: string) => Promise<Principal>) | undefined;
  /** Readiness for the `ready` operation (database open, zones loaded). */
  readonly readiness: () => { ready: boolean; reason: string };
  /** Called after a zone's new snapshot is served (or the zone removed), with its lowercased apex (NOTIFY, metrics). */
  readonly onZoneChanged?: ((origin: Name) => void) | undefined;
  /** The API tokens' store (auth layer); without it the token operations fail with FAILED_PRECONDITION. */
  readonly tokens?: TokenAdmin | undefined;
  /** The forwarder's answer cache (main passes the Forwarder); without it flushCache and showCache fail with FAILED_PRECONDITION. */
  readonly cache?: ForwarderCache | undefined;
  /** Snapshots (ops, main passes it); without it createSnapshot fails with FAILED_PRECONDITION. */
  readonly snapshots?: SnapshotTaker | undefined;
  /** Most changes per write transaction (default 500). */
  readonly maxBatch?: number | undefined;
}

/** The service the adapters call. */
export interface ManagementService {
  /**
   * Runs operation `name` for `principal` (null: unauthenticated, enough only for
   * public operations). Rejects with ServiceError only.
   */
  invoke<N extends OperationName>(name: N, principal: Principal | null, input: OperationIO[N]['input']): Promise<OperationIO[N]['output']>;
  /**
   * The principal a credential (the bearer token text) proves, with the errors
   * mapped: UNAUTHENTICATED for a missing or refused credential, UNAVAILABLE when
   * the identity provider cannot be reached.
   */
  authenticate(credential: string | null | undefined): Promise<Principal>;
  /** Counters of the write path (batches, changes, largest batch). */
  commitStats(): CommitStats;
  /** Refuses new changes and resolves once the queued ones are committed and settled. */
  close(): Promise<void>;
}

/** What an operation's method gets besides its input. */
interface Call {
  readonly principal: Principal | null;
  /** The input's zone, parsed, for zone-scoped operations and deleteZone/createZone. */
  readonly zone: ZoneName | null;
}

type Method<N extends OperationName> = (ctx: ServiceContext, call: Call, input: OperationIO[N]['input']) => Promise<OperationIO[N]['output']>;

/** Every operation's method, by name: the compiler checks that none of the table's operations is missing. */
const METHODS: { readonly [N in OperationName]: Method<N> } = {
  health: async () => ({ status: 'ok' }),
  ready: async (ctx) => ctx.readiness(),
  listZones: (ctx, call, input) => listZones(ctx, call.principal, input),
  getZone: (ctx, call) => getZone(ctx, call.zone!),
  createZone: (ctx, call, input) => createZone(ctx, call.principal, call.zone!, input),
  deleteZone: (ctx, call) => deleteZone(ctx, call.principal, call.zone!),
  importZone: (ctx, call, input) => importZone(ctx, call.principal, call.zone!, input),
  exportZone: (ctx, call) => exportZone(ctx, call.zone!),
  listRRsets: (ctx, call, input) => listRRsets(ctx, call.zone!, input),
  getRRset: (ctx, call, input) => getRRset(ctx, call.zone!, input),
  replaceRRset: (ctx, call, input) => editRRset(ctx, call.principal, call.zone!, 'replaceRRset', input),
  deleteRRset: (ctx, call, input) => editRRset(ctx, call.principal, call.zone!, 'deleteRRset', input),
  addRecords: (ctx, call, input) => editRRset(ctx, call.principal, call.zone!, 'addRecords', input),
  removeRecords: (ctx, call, input) => editRRset(ctx, call.principal, call.zone!, 'removeRecords', input),
  applyChanges: (ctx, call, input) => applyChanges(ctx, call.principal, call.zone!, input),
  listAudit: (ctx, _call, input) => listAudit(ctx, input),
  createToken: (ctx, call, input) => createToken(ctx, call.principal, input),
  listTokens: (ctx, _call, input) => listTokens(ctx, input),
  revokeToken: (ctx, call, input) => revokeToken(ctx, call.principal, input),
  flushCache: (ctx, call, input) => flushCache(ctx, call.principal, input),
  showCache: (ctx, _call, input) => showCache(ctx, input),
  createSnapshot: (ctx, call) => createSnapshot(ctx, call.principal),
};

/** Operations that name a zone without being zone-scoped (admin only): their `zone` is parsed all the same. */
const NAMES_A_ZONE: ReadonlySet<OperationName> = new Set(['createZone', 'deleteZone']);

/** Builds the management service over the store and the zone table; one per process. */
export function createManagementService(deps: ManagementServiceDeps): ManagementService {
  const writer = createCommitChange({ store: deps.store, zones: deps.zones, now: deps.now, onZoneChanged: deps.onZoneChanged, maxBatch: deps.maxBatch });
  const ctx: ServiceContext = {
    store: deps.store, zones: deps.zones, now: deps.now, commit: writer.commit, tokens: deps.tokens, readiness: deps.readiness,
    cache: deps.cache, snapshots: deps.snapshots,
  };
  const specs = new Map<string, OperationSpec>(OPERATIONS.map((spec) => [spec.name, spec]));

  async function invoke<N extends OperationName>(name: N, principal: Principal | null, input: OperationIO[N]['input']): Promise<OperationIO[N]['output']> {
    try {
      const spec = specs.get(name);
      if (spec === undefined) throw new ServiceError('INVALID_ARGUMENT', `operation "${String(name)}" does not exist`, 'operation');
      authorizeRole(spec, principal);
      const given: unknown = input ?? {};
      if (typeof given !== 'object' || given === null || Array.isArray(given)) {
        throw new ServiceError('INVALID_ARGUMENT', `input of "${name}" must be an object`);
      }
      let zone: ZoneName | null = null;
      if (spec.zoneScoped || NAMES_A_ZONE.has(name)) {
        zone = parseZoneName((given as { zone?: unknown }).zone, 'zone');
        authorizeZone(spec, principal, zone.text);
      }
      const method = METHODS[name] as Method<N>;
      return await method(ctx, { principal, zone }, given as OperationIO[N]['input']);
    } catch (err) {
      throw asServiceError(err);
    }
  }

  async function authenticate(credential: string | null | undefined): Promise<Principal> {
    if (credential === null || credential === undefined || credential.length === 0) {
      throw new ServiceError('UNAUTHENTICATED', 'no credential given (send "Authorization: Bearer <token>")');
    }
    if (deps.authenticate === undefined) throw new ServiceError('UNAUTHENTICATED', 'this server accepts no credentials');
    try {
      return await deps.authenticate(credential);
    } catch (err) {
      const mapped = asServiceError(err);
      if (mapped.code === 'UNAVAILABLE' || mapped.code === 'UNAUTHENTICATED') throw mapped;
      // A bare error without a code is a broken invariant; any other refusal (its
      // own code: revoked, expired, malformed) means the credential was not accepted.
      const coded = typeof (err as { code?: unknown } | null)?.code === 'string';
      if (mapped.code === 'INTERNAL' && !coded) throw mapped;
      throw new ServiceError('UNAUTHENTICATED', `credential not accepted: ${mapped.message}`);
    }
  }

  return {
    invoke,
    authenticate,
    commitStats: () => writer.stats(),
    close: () => writer.close(),
  };
}
