// The write path's input: one change to one zone, parsed from text already (names
// in wire form, RDATA as wire bytes), with who asked for it and why, for the
// journal and the audit log.
import type { Name } from '../wire/index.js';
import type { RecordData } from '../zone/index.js';

/** One RRset edit, as RRsetChange says, with names and RDATA parsed. */
export interface RRsetEdit {
  readonly op: 'replace' | 'delete' | 'add' | 'remove';
  /** Owner, case as given, at or below the zone's apex. */
  readonly name: Name;
  readonly type: number;
  /** The RRset's TTL for replace and add; ignored otherwise. */
  readonly ttl: number;
  /** The records for replace, add and remove; empty for delete. */
  readonly rdatas: readonly Uint8Array[];
  /** The input field errors about this edit name ("changes[2]", or "" for a single-RRset operation). */
  readonly field: string;
}

/**
 * What a change does to its zone:
 * - edit: RRset edits applied in order, all or none (optional optimistic serial check);
 * - create: a new zone with these records (ALREADY_EXISTS if it exists);
 * - replace: the zone's records become exactly these (created if absent: zone import);
 * - delete: the zone and everything in it go.
 */
export type ZoneChange =
  | { readonly kind: 'edit'; readonly edits: readonly RRsetEdit[]; readonly expectedSerial?: number | undefined }
  | { readonly kind: 'create'; readonly records: readonly RecordData[] }
  | { readonly kind: 'replace'; readonly records: readonly RecordData[] }
  | { readonly kind: 'delete' };

/** A change with its zone and its provenance. */
export interface ChangeRequest {
  /** The apex, lowercased wire form. */
  readonly origin: Name;
  readonly change: ZoneChange;
  /** Who asked (principal name for the audit log, "local" for the server itself). */
  readonly principal: string;
  /** JSON for the audit log's detail column (the principal's id and how it authenticated), or null. */
  readonly detail?: string | null;
  /** The operation name for the audit log ("replaceRRset"). */
  readonly operation: string;
  /** One line for the audit log and the journal source ("replace www.example.com. A (2 records)"). */
  readonly summary: string;
}

/** What a committed change did. */
export interface CommitOutcome {
  /** Zone name, lowercase presentation form. */
  readonly zone: string;
  /** Null when the change created the zone. */
  readonly serialBefore: number | null;
  /** Null when the change deleted the zone. */
  readonly serialAfter: number | null;
  /** Records in the zone after the change. */
  readonly recordCount: number;
}
