// What every service method works with: the store, the zone table, the clock, the
// one write path, the token store and the forwarder's cache. Made once by createManagementService.
import type { Store } from '../store/index.js';
import type { Name } from '../wire/index.js';
import type { ZoneTable } from '../zone/index.js';
import type { OperationIO } from './operations.js';
import type { CreatedToken, SnapshotView, TokenView } from './types.js';
import type { ChangeRequest, CommitOutcome } from './zone-change.js';

/**
 * The API tokens' store, as the auth layer provides it (src/auth); main passes it
 * in. Errors it throws with a `code` that is a ServiceErrorCode (NOT_FOUND for an
 * unknown id) reach the caller with that code.
 */
export interface TokenAdmin {
  /** Makes a token; the secret is returned once. */
  create(input: OperationIO['createToken']['input'], now: Date): CreatedToken | Promise<CreatedToken>;
  /** Every token, secrets never included. */
  list(): readonly TokenView[] | Promise<readonly TokenView[]>;
  /** Revokes the token `id` (NOT_FOUND when there is none). */
  revoke(id: string, now: Date): void | Promise<void>;
}

/** One entry of the forwarder's cache as the forwarder reports it (src/forwarder CacheEntryView). */
export interface CacheEntryReport {
  readonly type: number;
  readonly class: number;
  readonly rcode: number;
  readonly negative: boolean;
  /** Seconds until expiry; negative once expired. */
  readonly ttlLeft: number;
  readonly stale: boolean;
  readonly dnssecOk: boolean;
  readonly checkingDisabled: boolean;
  readonly bytes: number;
}

/** The forwarder's answer cache, as the service needs it; main passes the Forwarder itself. */
export interface ForwarderCache {
  /** Drops every entry (no name), one name's entries, or a subtree's; returns how many went. */
  flush(name: Name | undefined, subtree: boolean): number;
  /** The entries cached for one name. */
  show(name: Name): readonly CacheEntryReport[];
}

/** Takes snapshots of the database (src/ops, injected by main). */
export interface SnapshotTaker {
  /** Copies the database into the backup directory, checks the copy, prunes old ones. */
  snapshot(): Promise<SnapshotView>;
}

/** Shared by the service's methods. */
export interface ServiceContext {
  readonly store: Store;
  readonly zones: ZoneTable;
  readonly now: () => Date;
  /** The one write path (commit-change.ts): resolves once the change is durable and visible in DNS. */
  readonly commit: (request: ChangeRequest) => Promise<CommitOutcome>;
  readonly tokens: TokenAdmin | undefined;
  /** The forwarder's cache; undefined when forwarding is off. */
  readonly cache: ForwarderCache | undefined;
  /** Snapshots; undefined when the server runs without ops (tests). */
  readonly snapshots: SnapshotTaker | undefined;
  /** Readiness for the `ready` operation. */
  readonly readiness: () => { ready: boolean; reason: string };
}
