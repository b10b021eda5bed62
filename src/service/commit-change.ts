// The one write path (DESIGN.md "One write path", ADR 0002 decisions 3-5). Every
// change to a zone is queued here; the writer takes what is queued, applies each
// change in memory against the result of the ones before it, writes all accepted
// changes in ONE SQLite transaction, swaps each touched zone's new snapshot into
// the zone table, and only then settles the callers.
//
//   commit(request) ──> queue ──(setImmediate)──> drain: take ≤ maxBatch
//                                                   │
//        BEGIN IMMEDIATE ───────────────────────────┤
//          per change: validate against the draft ──┤── invalid: that caller's own error
//            records + serial bump + journal + audit│
//          store's follower stages its copy ────────┤── the change log: written, fsync started (thread pool)
//        COMMIT (synchronous=FULL: durable) ────────┤── throws: every caller INTERNAL, nothing swapped, copy taken back
//                                                   │
//        per zone: patchZoneSnapshot (or rebuild) ──┤── ZoneTable.set: visible in DNS
//        store.copied(): the log's fsync done ──────┤   (the next batch may commit meanwhile)
//        settle each caller ────────────────────────┘
//
// Only this writer writes zones, so no caller ever meets "database is locked"; a
// change waits at most for the batch before it, and a lone caller's change is
// written on the next turn of the event loop (no timer: nothing is added to its
// latency but the commit itself).
import {
  RRType, nameLower, nameToText, soaFields, soaWithSerial, typeToText, type Name,
} from '../wire/index.js';
import type { Store, ZoneWriteTransaction } from '../store/index.js';
import {
  ZoneError, buildZoneSnapshot, patchZoneSnapshot, type RecordData, type RRset, type ZoneSnapshot, type ZoneTable,
} from '../zone/index.js';
import { nextSerial } from './next-serial.js';
import { checkNodeRules } from './check-node-rules.js';
import { ServiceError } from './types.js';
import { ZoneDraft } from './zone-draft.js';
import type { ChangeRequest, CommitOutcome, RRsetEdit } from './zone-change.js';

/** Most changes one transaction takes; the rest wait for the next (bounds the time a batch holds the writer). */
export const DEFAULT_MAX_BATCH = 500;

/**
 * Most records (edits, or records of an import) one transaction takes beyond its
 * first change: a queue of large imports is written one or a few at a time, so
 * no batch holds the event loop much longer than its largest change.
 */
const MAX_BATCH_RECORDS = 50_000;

/** What the writer needs. */
export interface CommitChangeDeps {
  readonly store: Store;
  readonly zones: ZoneTable;
  /** The clock for serials, journal and audit times. */
  readonly now: () => Date;
  /** Called after a zone's new snapshot is swapped in (or the zone removed), with its lowercased apex. */
  readonly onZoneChanged?: ((origin: Name) => void) | undefined;
  /** Most changes per transaction (default DEFAULT_MAX_BATCH). */
  readonly maxBatch?: number | undefined;
}

/** Counters of the writer, for benchmarks and metrics. */
export interface CommitStats {
  /** Transactions committed or attempted. */
  readonly batches: number;
  /** Changes taken from the queue. */
  readonly changes: number;
  /** The most changes one batch held. */
  readonly largestBatch: number;
}

/** The write path: commit a change, read counters, close. */
export interface CommitChange {
  /** Queues `request`; resolves when it is durable in SQLite and visible in the zone table, rejects with its ServiceError. */
  commit(request: ChangeRequest): Promise<CommitOutcome>;
  /** Counters since creation. */
  stats(): CommitStats;
  /** Refuses new changes (UNAVAILABLE) and resolves when the queued ones are settled. */
  close(): Promise<void>;
}

/** A queued change and its caller. */
interface Pending {
  readonly request: ChangeRequest;
  readonly resolve: (outcome: CommitOutcome) => void;
  readonly reject: (err: ServiceError) => void;
}

/** One zone inside a batch. */
interface ZoneWork {
  readonly origin: Name;
  /** Lowercase presentation form with the trailing dot. */
  readonly name: string;
  id: number;
  exists: boolean;
  /** Secondary zones change only by transfer from their primary. */
  kind: 'primary' | 'secondary';
  serial: number;
  /** Why the stored zone could not be read into a snapshot (only a whole replacement or a deletion may touch it), or null. */
  broken: string | null;
  readonly draft: ZoneDraft;
  /** The snapshot cannot be patched (a zone cut or DNAME changed): build it from the draft. */
  rebuild: boolean;
  changed: boolean;
}

/** Creates the writer over `deps.store` and `deps.zones`. */
export function createCommitChange(deps: CommitChangeDeps): CommitChange {
  const maxBatch = Math.max(1, deps.maxBatch ?? DEFAULT_MAX_BATCH);
  let queue: Pending[] = [];
  let scheduled = false;
  let closed = false;
  let idle: (() => void) | null = null;
  /** Batches committed whose callers wait for the change log's fsync. */
  let settling = 0;
  let batches = 0;
  let changes = 0;
  let largestBatch = 0;

  const drain = (): void => {
    scheduled = false;
    let take = Math.min(queue.length, maxBatch);
    let weight = 0;
    for (let i = 0; i < take; i++) {
      weight += weightOf(queue[i]!.request);
      if (i > 0 && weight > MAX_BATCH_RECORDS) take = i;
    }
    const batch = take === queue.length ? queue : queue.slice(0, take);
    queue = batch === queue ? [] : queue.slice(take);
    if (queue.length > 0) schedule();
    batches++;
    changes += batch.length;
    if (batch.length > largestBatch) largestBatch = batch.length;
    settling++;
    let settled: Promise<void>;
    try {
      settled = runBatch(deps, batch);
    } catch (err) {
      // A broken invariant outside the transaction: no caller may be left waiting.
      const failure = new ServiceError('INTERNAL', `change not settled: ${reasonOf(err)}`);
      for (const pending of batch) pending.reject(failure);
      settled = Promise.resolve();
    }
    // The next batch need not wait for this one's change-log fsync: it is written after it and synced with or after it.
    void settled.then(() => {
      settling--;
      if (queue.length === 0 && settling === 0 && idle !== null) idle();
    });
  };
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    // setImmediate, not a timer: callers whose I/O completed in this turn of the
    // event loop join the batch, and a lone caller waits for nothing.
    setImmediate(drain);
  };

  return {
    commit(request: ChangeRequest): Promise<CommitOutcome> {
      if (closed) return Promise.reject(new ServiceError('UNAVAILABLE', 'the server is shutting down; no changes are accepted'));
      return new Promise<CommitOutcome>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        schedule();
      });
    },
    stats: () => ({ batches, changes, largestBatch }),
    close(): Promise<void> {
      closed = true;
      if (queue.length === 0 && settling === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        idle = resolve;
      });
    },
  };
}

/** How much work a change is, in records. */
function weightOf(request: ChangeRequest): number {
  const change = request.change;
  switch (change.kind) {
    case 'edit': return change.edits.length;
    case 'create':
    case 'replace': return change.records.length;
    case 'delete': return 1;
  }
}

/**
 * Applies, writes and publishes one batch; resolves once its callers are settled
 * (after the store's follower, the change log, has its copy on disk). Never rejects.
 */
function runBatch(deps: CommitChangeDeps, batch: readonly Pending[]): Promise<void> {
  const now = deps.now();
  const time = now.toISOString();
  const works = new Map<Name, ZoneWork>();
  const results: (CommitOutcome | ServiceError)[] = [];
  try {
    deps.store.write((tx) => {
      for (const { request } of batch) {
        let work = works.get(request.origin);
        if (work === undefined) works.set(request.origin, (work = openZone(deps, tx, request.origin)));
        try {
          results.push(applyChange(tx, work, request, now, time));
        } catch (err) {
          if (!(err instanceof ServiceError)) throw err;
          results.push(err);
        }
      }
      for (const work of works.values()) if (work.changed && work.exists) tx.updateZone(work.id, work.serial, time);
    });
  } catch (err) {
    const reason = reasonOf(err);
    for (const { request, reject } of batch) {
      reject(new ServiceError('INTERNAL', `change to zone "${nameToText(request.origin)}" not committed: ${reason}`));
    }
    return Promise.resolve();
  }

  // Durable now; make it visible before anyone hears so.
  const unpublished = new Map<Name, string>();
  for (const work of works.values()) {
    if (!work.changed) continue;
    try {
      publish(deps.zones, work);
    } catch (err) {
      unpublished.set(work.origin, reasonOf(err));
      continue;
    }
    try {
      deps.onZoneChanged?.(work.origin);
    } catch {
      // A listener's failure is its own; the change is committed and served.
    }
  }
  const settle = (): void => {
    for (let i = 0; i < batch.length; i++) {
      const { request, resolve, reject } = batch[i]!;
      const result = results[i]!;
      const failure = unpublished.get(request.origin);
      if (result instanceof ServiceError) reject(result);
      else if (failure !== undefined) reject(new ServiceError('INTERNAL', `zone "${result.zone}" changed but not served: ${failure}`));
      else resolve(result);
    }
  };
  // The change log's copy (ops) was fsynced beside the COMMIT; answer once it is on disk too.
  return deps.store.copied().then(settle);
}

/**
 * The zone's state at the start of a batch, read inside the transaction: its row,
 * and the snapshot served, unless the database moved on without this writer
 * (`mcns zone import` into a running server's database): then the zone is read
 * from SQLite again, so a change never applies to stale content.
 */
function openZone(deps: CommitChangeDeps, tx: ZoneWriteTransaction, origin: Name): ZoneWork {
  const name = nameToText(origin);
  const row = tx.zone(name);
  const work: ZoneWork = {
    origin, name, id: -1, exists: false, kind: 'primary', serial: 0, broken: null, draft: new ZoneDraft(origin, null), rebuild: false,
    changed: false,
  };
  if (row === null) return work;
  Object.assign(work, { id: row.id, exists: true, kind: row.kind, serial: row.serial });
  let base: ZoneSnapshot | null = deps.zones.get(origin);
  if (base === null || base.serial !== row.serial) {
    try {
      base = buildZoneSnapshot(origin, deps.store.loadZoneRecords(row.id), row.serial);
    } catch (err) {
      work.broken = err instanceof ZoneError && err.code === 'NO_SOA' ? 'no SOA record at its apex' : reasonOf(err);
      return work;
    }
    work.changed = true;
  }
  work.draft.rebase(base);
  return work;
}

/** Applies one change to its zone's draft and writes it; throws ServiceError when it is refused (nothing written). */
function applyChange(tx: ZoneWriteTransaction, work: ZoneWork, request: ChangeRequest, now: Date, time: string): CommitOutcome {
  const change = request.change;
  if (work.exists && work.kind === 'secondary' && change.kind !== 'delete') {
    throw new ServiceError('FAILED_PRECONDITION', `zone "${work.name}" is a secondary zone; it changes only by transfer from its primary`, 'zone');
  }
  switch (change.kind) {
    case 'edit':
      if (work.exists && work.broken !== null) {
        throw new ServiceError('FAILED_PRECONDITION', `zone "${work.name}" cannot be read (${work.broken}); import it again or delete it`, 'zone');
      }
      return applyEdits(tx, work, request, change.edits, change.expectedSerial, now, time);
    case 'create':
      if (work.exists) throw new ServiceError('ALREADY_EXISTS', `zone "${work.name}" already exists`, 'zone');
      return replaceContent(tx, work, request, change.records, now, time);
    case 'replace':
      return replaceContent(tx, work, request, change.records, now, time);
    case 'delete': {
      if (!work.exists) throw notFound(work);
      const serialBefore = work.serial;
      tx.deleteZone(work.id);
      audit(tx, request, work, time, serialBefore, null);
      work.exists = false;
      work.broken = null;
      work.id = -1;
      work.draft.rebase(null);
      work.changed = true;
      return { zone: work.name, serialBefore, serialAfter: null, recordCount: 0 };
    }
  }
}

/** The old state of one RRset an edit touched, for the diff; `field` names the first edit that touched it. */
interface TouchedRRset {
  readonly owner: Name;
  readonly type: number;
  readonly before: RRset | null;
  readonly field: string;
}

/** An `edit` change: RRset edits in order, all or none. */
function applyEdits(
  tx: ZoneWriteTransaction, work: ZoneWork, request: ChangeRequest, edits: readonly RRsetEdit[],
  expectedSerial: number | undefined, now: Date, time: string,
): CommitOutcome {
  if (!work.exists) throw notFound(work);
  if (expectedSerial !== undefined && expectedSerial !== work.serial) {
    throw new ServiceError('ABORTED', `zone "${work.name}" is at serial ${work.serial}, not the expected ${expectedSerial}`, 'expectedSerial');
  }
  const draft = work.draft;
  const origin = work.origin;
  // Each RRset touched, in the order first touched (the order it is written and journaled in), and by owner
  // (an owner's RRsets in that order; the rules are checked once per owner, in the order owners were first touched).
  const touched: TouchedRRset[] = [];
  const byOwner = new Map<Name, TouchedRRset[]>();
  draft.begin();
  try {
    for (const edit of edits) {
      const owner = nameLower(edit.name);
      const current = draft.get(owner, edit.type);
      const sets = byOwner.get(owner);
      if (sets === undefined || !sets.some((t) => t.type === edit.type)) {
        const entry = { owner, type: edit.type, before: current, field: edit.field };
        touched.push(entry);
        if (sets === undefined) byOwner.set(owner, [entry]);
        else sets.push(entry);
      }
      draft.set(owner, edit.type, editedRRset(edit, current, work.name), current);
    }
    for (const [owner, sets] of byOwner) checkNodeRules(draft, owner, sets[0]!.field, work.name);
  } catch (err) {
    draft.rollback();
    throw err;
  }
  draft.commit();

  // The serial: once per change; an SOA the caller set keeps its serial when that is greater.
  const soaEdited = byOwner.get(origin)?.find((t) => t.type === RRType.SOA);
  const oldSoa = soaEdited !== undefined ? soaEdited.before! : draft.get(origin, RRType.SOA)!;
  const soaNow = draft.get(origin, RRType.SOA)!;
  const requested = soaEdited !== undefined ? soaFields(soaNow.rdatas[0]!).serial : undefined;
  const serialBefore = work.serial;
  const serialAfter = nextSerial(serialBefore, now, requested);
  const newSoa: RRset = { name: soaNow.name, type: RRType.SOA, ttl: soaNow.ttl, rdatas: [soaWithSerial(soaNow.rdatas[0]!, serialAfter)] };
  draft.set(origin, RRType.SOA, newSoa);

  // IXFR order (RFC 1995 4): the old SOA leads the deletions, the new SOA the additions.
  const deleted: RecordData[] = recordsOf(oldSoa);
  const added: RecordData[] = recordsOf(newSoa);
  writeRRset(tx, work.id, oldSoa, newSoa);
  for (const entry of touched) {
    if (entry === soaEdited) continue;
    const { owner, type, before } = entry;
    const after = draft.get(owner, type);
    if (type === RRType.DNAME || (type === RRType.NS && owner !== origin)) work.rebuild = true;
    diffRRset(before, after, deleted, added);
    writeRRset(tx, work.id, before, after);
  }
  tx.insertJournal(work.id, serialBefore, serialAfter, time, journalSource(request), { deleted, added });
  audit(tx, request, work, time, serialBefore, serialAfter);
  work.serial = serialAfter;
  work.changed = true;
  return { zone: work.name, serialBefore, serialAfter, recordCount: draft.recordCount };
}

/** The RRset after one edit (null: it goes); NOT_FOUND for deleting or removing what is absent. */
function editedRRset(edit: RRsetEdit, current: RRset | null, zone: string): RRset | null {
  const name = current?.name ?? edit.name;
  switch (edit.op) {
    case 'replace':
      return { name, type: edit.type, ttl: edit.ttl, rdatas: distinct([], edit.rdatas) };
    case 'add':
      // RFC 2181 5.2: one TTL per RRset; the TTL given becomes the set's.
      return { name, type: edit.type, ttl: edit.ttl, rdatas: distinct(current?.rdatas ?? [], edit.rdatas) };
    case 'delete':
      if (current === null) throw rrsetNotFound(edit, zone);
      return null;
    case 'remove': {
      if (current === null) throw rrsetNotFound(edit, zone);
      const gone = new Set(edit.rdatas.map(bytesKey));
      const kept = current.rdatas.filter((rdata) => !gone.has(bytesKey(rdata)));
      const present = new Set(current.rdatas.map(bytesKey));
      for (let i = 0; i < edit.rdatas.length; i++) {
        if (!present.has(bytesKey(edit.rdatas[i]!))) {
          throw new ServiceError('NOT_FOUND',
            `record ${i} is not in the ${typeToText(edit.type)} RRset of "${nameToText(edit.name)}" in zone "${zone}"`,
            edit.field === 'name' ? `records[${i}]` : `${edit.field}.records[${i}]`);
        }
      }
      return kept.length === 0 ? null : { name, type: edit.type, ttl: current.ttl, rdatas: kept };
    }
  }
}

/** `existing` followed by each of `more` not already there (RFC 2181 5: duplicate records are one record). */
function distinct(existing: readonly Uint8Array[], more: readonly Uint8Array[]): Uint8Array[] {
  const out = existing.slice();
  if (existing.length + more.length <= SMALL_SET) {
    // A few records (the common case): compared byte by byte, no key strings.
    for (const rdata of more) if (!out.some((kept) => sameBytes(kept, rdata))) out.push(rdata);
    return out;
  }
  const seen = new Set(existing.map(bytesKey));
  for (const rdata of more) {
    const key = bytesKey(rdata);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(rdata);
  }
  return out;
}

/**
 * A `create` or `replace` change: the zone's content becomes `records`, already
 * checked with validateZone by the caller. The serial is the SOA's own for a new
 * zone; for an existing zone the SOA's own when greater, else the date rule.
 */
function replaceContent(
  tx: ZoneWriteTransaction, work: ZoneWork, request: ChangeRequest, records: readonly RecordData[], now: Date, time: string,
): CommitOutcome {
  const origin = work.origin;
  const soaIndex = records.findIndex((r) => r.type === RRType.SOA && nameLower(r.name) === origin);
  if (soaIndex < 0) throw new ServiceError('INVALID_ARGUMENT', `zone "${work.name}" has no SOA record at its apex`);
  const fileSoa = records[soaIndex]!;
  const given = soaFields(fileSoa.rdata).serial;
  const serialBefore = work.exists ? work.serial : null;
  const serialAfter = serialBefore === null ? given : nextSerial(serialBefore, now, given);
  const content = records.slice();
  content[soaIndex] = { name: fileSoa.name, type: RRType.SOA, ttl: fileSoa.ttl, rdata: soaWithSerial(fileSoa.rdata, serialAfter) };
  const snapshot = buildZoneSnapshot(origin, content, serialAfter);

  const deleted: RecordData[] = [];
  const added: RecordData[] = [];
  const draft = work.draft;
  if (!work.exists) {
    work.id = tx.insertZone(work.name, serialAfter, time);
    work.exists = true;
  } else if (work.broken !== null) {
    // Its rows could not be read as a zone: replace them all (the journal shows only what is added).
    tx.deleteAllRecords(work.id);
    work.broken = null;
  }
  // RRset by RRset: only what differs is written (IXFR order: SOA first on each side).
  const oldSoa = draft.get(origin, RRType.SOA);
  const newSoa = snapshot.soa;
  if (oldSoa !== null) deleted.push(...recordsOf(oldSoa));
  added.push(...recordsOf(newSoa));
  writeRRset(tx, work.id, oldSoa, newSoa);
  for (const [lower, node] of snapshot.nodes) {
    node.rrsets.forEach((set) => {
      if (lower === origin && set.type === RRType.SOA) return;
      const before = draft.get(lower, set.type);
      if (before !== null && sameRRset(before, set)) return;
      diffRRset(before, set, deleted, added);
      writeRRset(tx, work.id, before, set);
    });
  }
  for (const set of draft.rrsets()) {
    if (snapshot.nodes.get(nameLower(set.name))?.rrsets.get(set.type) !== undefined) continue;
    diffRRset(set, null, deleted, added);
    writeRRset(tx, work.id, set, null);
  }
  if (serialBefore !== null) tx.insertJournal(work.id, serialBefore, serialAfter, time, journalSource(request), { deleted, added });
  else tx.insertJournal(work.id, null, serialAfter, time, journalSource(request), { deleted: [], added });
  audit(tx, request, work, time, serialBefore, serialAfter);
  draft.rebase(snapshot);
  work.serial = serialAfter;
  work.rebuild = false;
  work.changed = true;
  return { zone: work.name, serialBefore, serialAfter, recordCount: snapshot.recordCount };
}

/**
 * Writes the difference between two states of one RRset (either may be null). A
 * record whose RDATA changed is rewritten in place where one goes and another
 * comes (replaceRecord), so the common one-record replace and the SOA serial bump
 * are one UPDATE each.
 */
function writeRRset(tx: ZoneWriteTransaction, zoneId: number, before: RRset | null, after: RRset | null): void {
  if (after === null) {
    if (before !== null) tx.deleteRRset(zoneId, nameToText(before.name), before.type);
    return;
  }
  const owner = nameToText(after.name);
  if (before === null) {
    for (const rdata of after.rdatas) tx.insertRecord(zoneId, owner, after.type, after.ttl, rdata);
    return;
  }
  if (before.rdatas.length + after.rdatas.length > 64) {
    // For a large set one DELETE and the inserts beat a statement per difference.
    if (sameRRset(before, after)) return;
    tx.deleteRRset(zoneId, owner, after.type);
    for (const rdata of after.rdatas) tx.insertRecord(zoneId, owner, after.type, after.ttl, rdata);
    return;
  }
  const old = new Set(before.rdatas.map(bytesKey));
  const now = new Set(after.rdatas.map(bytesKey));
  const gone = before.rdatas.filter((rdata) => !now.has(bytesKey(rdata)));
  const come = after.rdatas.filter((rdata) => !old.has(bytesKey(rdata)));
  if (before.ttl !== after.ttl) tx.setRRsetTtl(zoneId, owner, after.type, after.ttl);
  const paired = Math.min(gone.length, come.length);
  for (let i = 0; i < paired; i++) tx.replaceRecord(zoneId, owner, after.type, gone[i]!, come[i]!, after.ttl);
  for (let i = paired; i < gone.length; i++) tx.deleteRecord(zoneId, owner, after.type, gone[i]!);
  for (let i = paired; i < come.length; i++) tx.insertRecord(zoneId, owner, after.type, after.ttl, come[i]!);
}

/**
 * Adds to the journal's changeset what changed between two states of an RRset. A
 * TTL change replaces every record (IXFR compares whole records, RFC 1995 4).
 */
function diffRRset(before: RRset | null, after: RRset | null, deleted: RecordData[], added: RecordData[]): void {
  if (before !== null && after !== null && before.ttl === after.ttl) {
    const old = new Set(before.rdatas.map(bytesKey));
    const now = new Set(after.rdatas.map(bytesKey));
    for (const rdata of before.rdatas) if (!now.has(bytesKey(rdata))) deleted.push(recordOf(before, rdata));
    for (const rdata of after.rdatas) if (!old.has(bytesKey(rdata))) added.push(recordOf(after, rdata));
    return;
  }
  if (before !== null) deleted.push(...recordsOf(before));
  if (after !== null) added.push(...recordsOf(after));
}

/** True when both RRsets hold the same TTL and records (order aside). */
function sameRRset(a: RRset, b: RRset): boolean {
  if (a.ttl !== b.ttl || a.rdatas.length !== b.rdatas.length) return false;
  const keys = new Set(a.rdatas.map(bytesKey));
  return b.rdatas.every((rdata) => keys.has(bytesKey(rdata)));
}

/** Swaps the zone's new snapshot into the table (or removes the zone). */
function publish(zones: ZoneTable, work: ZoneWork): void {
  if (!work.exists) {
    zones.delete(work.origin);
    return;
  }
  const draft = work.draft;
  const base = draft.base!;
  const patched = work.rebuild ? null : patchZoneSnapshot(base, draft.patches(), work.serial);
  zones.set(patched ?? buildZoneSnapshot(work.origin, draft.records(), work.serial));
}

function audit(
  tx: ZoneWriteTransaction, request: ChangeRequest, work: ZoneWork, time: string, serialBefore: number | null, serialAfter: number | null,
): void {
  tx.insertAudit({
    time, principal: request.principal, operation: request.operation, zone: work.name, serialBefore, serialAfter, summary: request.summary,
    detail: request.detail ?? null,
  });
}

/** The journal's `source`: the operation and who asked. */
function journalSource(request: ChangeRequest): string {
  return `api ${request.operation} by ${request.principal}: ${request.summary}`;
}

function recordOf(set: RRset, rdata: Uint8Array): RecordData {
  return { name: set.name, type: set.type, ttl: set.ttl, rdata };
}

function recordsOf(set: RRset): RecordData[] {
  return set.rdatas.map((rdata) => recordOf(set, rdata));
}

/** Up to this many records, RDATA is compared pairwise instead of through a Set of key strings. */
const SMALL_SET = 8;

/** True when two RDATA hold the same bytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (n !== b.length) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** RDATA as a string key (byte equality; names inside compare as given, as buildZoneSnapshot does). */
function bytesKey(rdata: Uint8Array): string {
  return Buffer.from(rdata.buffer, rdata.byteOffset, rdata.byteLength).toString('latin1');
}

function notFound(work: ZoneWork): ServiceError {
  return new ServiceError('NOT_FOUND', `zone "${work.name}" not found`, 'zone');
}

function rrsetNotFound(edit: RRsetEdit, zone: string): ServiceError {
  return new ServiceError('NOT_FOUND',
    `rrset "${nameToText(edit.name)}" ${typeToText(edit.type)} not found in zone "${zone}"`, edit.field);
}

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.charAt(0).toLowerCase() + message.slice(1);
}
