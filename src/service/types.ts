// The service layer's contract: who is calling, what they may do, the shapes of
// inputs and outputs, and the one error type. Adapters (REST, gRPC, CLI) see only
// these plain values, never HTTP or protobuf types (DESIGN.md "Management plane").

/** Roles (issue 3): admin does everything; editor changes records (optionally only in named zones); viewer reads. */
export type Role = 'admin' | 'editor' | 'viewer';

/** An authenticated caller. */
export interface Principal {
  /** Stable id: the token id, the introspected `sub`, or "local" for the server's own machine. */
  readonly id: string;
  /** Display name for the audit log ("ci", "alice@example.com"). */
  readonly name: string;
  readonly role: Role;
  /** Zones (presentation form, lowercase, trailing dot) this principal is limited to; null = every zone. */
  readonly zones: readonly string[] | null;
  /** How the caller proved who it is. */
  readonly via: 'token' | 'introspection' | 'local';
}

/** What an operation requires of its caller. */
export type Permission = 'public' | 'read' | 'write' | 'admin';

/** Stable error codes, named like gRPC's canonical codes; each adapter maps them in one table. */
export type ServiceErrorCode =
  | 'INVALID_ARGUMENT'     // bad input: REST 400, gRPC INVALID_ARGUMENT
  | 'NOT_FOUND'            // 404
  | 'ALREADY_EXISTS'       // 409
  | 'ABORTED'              // expected serial did not match (optimistic concurrency): 409
  | 'FAILED_PRECONDITION'  // e.g. not ready yet: 412/409
  | 'UNAUTHENTICATED'      // missing, malformed, revoked or expired credential: 401
  | 'PERMISSION_DENIED'    // authenticated but not allowed (role or zone scope): 403
  | 'UNAVAILABLE'          // a dependency is unreachable (identity provider): REST 502 / 503, gRPC UNAVAILABLE
  | 'INTERNAL';            // a broken invariant: 500

/** The service layer's one error: a stable code, a lowercase message naming the object, and the input field at fault. */
export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** The input field at fault ("records[1]", "name", "ttl"), when there is one. */
  readonly field: string | undefined;
  constructor(code: ServiceErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.field = field;
  }
}

/** A zone as the management plane shows it. Names are presentation form with the trailing dot. */
export interface ZoneView {
  readonly name: string;
  readonly serial: number;
  readonly kind: 'primary' | 'secondary';
  readonly recordCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One RRset as the management plane shows it: RDATA in presentation form. */
export interface RRsetView {
  /** Owner, absolute presentation form ("www.example.com."). */
  readonly name: string;
  /** Type mnemonic ("A", "TYPE65280"). */
  readonly type: string;
  readonly ttl: number;
  /** RDATA in presentation form, one per record ("192.0.2.10", "10 mail.example.com."). */
  readonly records: readonly string[];
}

/**
 * One change in a batch. Names may be absolute or relative to the zone ("www", "@").
 * - replace: the RRset becomes exactly `records` with `ttl` (created if absent).
 * - delete: the RRset goes (NOT_FOUND if absent).
 * - add: the records join the RRset (created if absent; `ttl` sets the RRset's TTL).
 * - remove: the records leave the RRset (NOT_FOUND if one is absent).
 */
export type RRsetChange =
  | { readonly op: 'replace'; readonly name: string; readonly type: string; readonly ttl: number; readonly records: readonly string[] }
  | { readonly op: 'delete'; readonly name: string; readonly type: string }
  | { readonly op: 'add'; readonly name: string; readonly type: string; readonly ttl: number; readonly records: readonly string[] }
  | { readonly op: 'remove'; readonly name: string; readonly type: string; readonly records: readonly string[] };

/** The result of any change: the serial before and after (the SOA serial is bumped once per change). */
export interface ChangeResult {
  readonly zone: string;
  readonly serialBefore: number;
  readonly serialAfter: number;
}

/** One page of a list. `nextPageToken` is empty on the last page. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextPageToken: string;
}

/** One audit-log entry: who changed what, when, and the serials around it. */
export interface AuditEntry {
  readonly id: number;
  readonly time: string;
  readonly principal: string;
  readonly operation: string;
  readonly zone: string | null;
  readonly serialBefore: number | null;
  readonly serialAfter: number | null;
  /** A short human summary ("replace www.example.com. A (2 records)"). */
  readonly summary: string;
}

/** An API token as listed (the secret is shown only once, at creation). */
export interface TokenView {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly zones: readonly string[] | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

/** A token just created: the only time the secret is visible. */
export interface CreatedToken {
  readonly token: TokenView;
  readonly secret: string;
}

/**
 * One entry of the forwarder's answer cache as `showCache` lists it. The cache
 * keys an answer by name, type, class, DO and CD, so one name may have several.
 */
export interface CachedAnswerView {
  /** Type mnemonic ("A", "TYPE65280"). */
  readonly type: string;
  /** Class mnemonic ("IN"). */
  readonly class: string;
  /** Rcode mnemonic the upstream gave ("NOERROR", "NXDOMAIN"). */
  readonly rcode: string;
  /** NXDOMAIN or NODATA, kept for the SOA's negative TTL (RFC 2308 5). */
  readonly negative: boolean;
  /** Seconds until the entry expires; negative once expired (then `stale` tells whether it may still be served). */
  readonly ttlRemaining: number;
  /** Expired but still servable under serve-stale (RFC 8767). */
  readonly stale: boolean;
  /** Asked with DO set (RFC 3225). */
  readonly dnssecOk: boolean;
  /** Asked with CD set (RFC 4035 3.2.2). */
  readonly checkingDisabled: boolean;
  /** Bytes the entry holds. */
  readonly bytes: number;
}

/** A snapshot the server took (createSnapshot): a checked copy of the database on the server's host. */
export interface SnapshotView {
  /** The file, named by the time (UTC): ".../backups/mcns-20261122-184500.db". */
  readonly path: string;
  readonly bytes: number;
  /** Problems of mcns invariants found in the copy; empty: integrity ok. */
  readonly problems: readonly string[];
  /** Older snapshots deleted to keep the newest `[backup] keep`. */
  readonly pruned: readonly string[];
}
