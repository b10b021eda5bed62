// The SQLite store: zones, records and the change journal (DESIGN.md "Storage").
// One connection per process; every write is one transaction.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database, { type Database as Db, type Statement, type Transaction } from 'better-sqlite3';
import {
  RRType, nameEquals, nameIsAtOrBelow, nameLower, nameToText, soaFields, soaWithSerial, typeToText, type Name,
} from '../wire/index.js';
import type { RecordData } from '../zone/index.js';
import { encodeChangeset, decodeChangeset, type Changeset } from './changeset.js';
import { chooseSerial, serialIsGreater } from './choose-serial.js';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { StoreError } from './store-error.js';
import { storedNameToWire } from './stored-name.js';
import { ZoneWriteTransaction, type AuditRecord } from './zone-write-transaction.js';

/** Options of openStore. */
export interface StoreOptions {
  /** The clock for timestamps (tests pass a fixed one). */
  readonly now?: () => Date;
  /** How long a write waits for another process's lock before failing (ms). */
  readonly busyTimeoutMs?: number;
}

/** What is known about one zone. */
export interface ZoneInfo {
  readonly id: number;
  /** The apex in wire form, lowercased. */
  readonly origin: Name;
  /** The apex in presentation form, lowercased, with the trailing dot. */
  readonly name: string;
  readonly kind: 'primary' | 'secondary';
  readonly serial: number;
  readonly recordCount: number;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  /** ISO 8601 UTC. */
  readonly updatedAt: string;
}

/** Options of Store.importZone. */
export interface ImportOptions {
  /** Time of the change (defaults to the store's clock). */
  readonly now?: Date;
  /** Who or what made the change, for the journal ("cli zone import example.com.zone"). */
  readonly source?: string;
}

/** What Store.importZone did. */
export interface ImportResult {
  readonly zone: ZoneInfo;
  /** The zone did not exist before. */
  readonly created: boolean;
  /** False when the content equals what was stored: nothing was written, no journal entry. */
  readonly changed: boolean;
  /** Serial before the import, null for a new zone. */
  readonly previousSerial: number | null;
  /** Serial in the imported SOA record. */
  readonly fileSerial: number;
  /** True when fileSerial was not greater (RFC 1982) than previousSerial and previousSerial+1 was stored. */
  readonly bumped: boolean;
  /** Records added and deleted (each SOA counted). */
  readonly added: number;
  readonly deleted: number;
}

/** One journal row: a change of a zone from one serial to the next. */
export interface JournalEntry {
  readonly id: number;
  /** Null when the change created the zone. */
  readonly serialBefore: number | null;
  readonly serialAfter: number;
  /** ISO 8601 UTC. */
  readonly time: string;
  readonly source: string;
  readonly changeset: Changeset;
}

/** A zone without its record count: read without touching the records table. */
export type ZoneHeader = Omit<ZoneInfo, 'recordCount'>;

/** One audit-log row as read back. */
export interface AuditRow extends AuditRecord {
  readonly id: number;
}

/** Which audit rows to read: newest first, optionally of one zone, before an id. */
export interface AuditQuery {
  /** Zone name, lowercase presentation form. */
  readonly zone?: string;
  /** Only rows with a smaller id (the last id of the previous page). */
  readonly beforeId?: number;
  readonly limit: number;
}

type ZoneRow = {
  id: number; name: string; kind: 'primary' | 'secondary'; serial: number;
  created_at: string; updated_at: string; record_count: number;
};
type RecordRow = [id: number, name: string, type: number, ttl: number, rdata: Buffer];
type ChunkRow = [count: number, lastId: number | null, owners: string | null, records: Buffer | null];

/**
 * Rows per loadZoneRecords query: large enough that per-query costs vanish, small
 * enough that a chunk of maximal RDATA (65535 bytes each) stays under SQLite's
 * 1e9-byte limit on one value.
 */
const LOAD_CHUNK_ROWS = 8192;

const ZONE_COLUMNS = `z.id, z.name, z.kind, z.serial, z.created_at, z.updated_at,
  (SELECT count(*) FROM records r WHERE r.zone_id = z.id) AS record_count`;

/** Where loadZoneInto hands each record: RDATA is `length` bytes of `bytes` from `start`, valid during the call only. */
export interface RecordSink {
  add(name: Name, type: number, ttl: number, bytes: Uint8Array, start: number, length: number): void;
}

/**
 * What joins every Store.write transaction besides SQLite: ops' change log. It
 * stages its copy of the transaction's changes before COMMIT (written, not yet
 * synced), so that its fsync can run while SQLite's COMMIT runs its own.
 */
export interface WriteFollower {
  /** Called inside the transaction after the caller's statements; null when there is nothing to copy. Must not throw. */
  beforeCommit(): StagedCopy | null;
}

/** A copy staged by a WriteFollower. */
export interface StagedCopy {
  /** After COMMIT: resolves when the copy is durable. Never rejects (the follower reports its own failures). */
  committed(): Promise<void>;
  /** After a failed COMMIT (rolled back): take the copy back. */
  rolledBack(): void;
}

const RESOLVED: Promise<void> = Promise.resolve();

/** The zone, record and journal tables of one SQLite database. Open with openStore; close when done. */
export class Store {
  /** The database file. */
  readonly path: string;
  readonly #db: Db;
  readonly #now: () => Date;
  readonly #listZones: Statement;
  readonly #getZone: Statement;
  readonly #recordChunk: Statement;
  readonly #recordsBefore: Statement;
  readonly #recordsWithIds: Statement;
  readonly #insertRecord: Statement;
  readonly #deleteRecord: Statement;
  readonly #insertZone: Statement;
  readonly #updateZone: Statement;
  readonly #deleteZone: Statement;
  readonly #insertJournal: Statement;
  readonly #journalOfZone: Statement;
  readonly #listZoneHeaders: Statement;
  readonly #zoneHeader: Statement;
  readonly #auditPage: Statement;
  readonly #auditPageOfZone: Statement;
  readonly #writer: ZoneWriteTransaction;
  /** BEGIN, fn(writer), COMMIT: made once (better-sqlite3 builds four wrappers per transaction() call). */
  readonly #transaction: Transaction<(fn: (tx: ZoneWriteTransaction) => unknown) => unknown>;
  #follower: WriteFollower | null = null;
  /** The follower's copies not yet durable, or null. */
  #copied: Promise<void> | null = null;

  /** Use openStore; this takes an already migrated connection. */
  constructor(db: Db, path: string, now: () => Date) {
    this.#db = db;
    this.path = path;
    this.#now = now;
    this.#listZones = db.prepare(`SELECT ${ZONE_COLUMNS} FROM zones z ORDER BY z.name`);
    this.#getZone = db.prepare(`SELECT ${ZONE_COLUMNS} FROM zones z WHERE z.name = ?`);
    // Owners joined by newlines, and one BLOB of (type, TTL, RDATA length, RDATA) per
    // record; both aggregates walk the same rows in the same (subquery) order.
    this.#recordChunk = db.prepare(`SELECT count(*), max(id), group_concat(name, char(10)),
        CAST(group_concat(unhex(printf('%04x%08x%04x', type, ttl, length(rdata))) || rdata, '') AS BLOB)
      FROM (SELECT id, name, type, ttl, rdata FROM records WHERE zone_id = ? AND id > ? ORDER BY id LIMIT ${LOAD_CHUNK_ROWS})`).raw();
    this.#recordsBefore = db.prepare(
      'SELECT name, type, ttl, rdata FROM records WHERE zone_id = ? AND id <= ? ORDER BY id DESC LIMIT ?').raw();
    this.#recordsWithIds = db.prepare('SELECT id, name, type, ttl, rdata FROM records WHERE zone_id = ? ORDER BY id').raw();
    this.#insertRecord = db.prepare('INSERT INTO records (zone_id, name, type, ttl, rdata) VALUES (?, ?, ?, ?, ?)');
    this.#deleteRecord = db.prepare('DELETE FROM records WHERE id = ?');
    this.#insertZone = db.prepare(
      "INSERT INTO zones (name, kind, serial, created_at, updated_at) VALUES (?, 'primary', ?, ?, ?) RETURNING id");
    this.#updateZone = db.prepare('UPDATE zones SET serial = ?, updated_at = ? WHERE id = ?');
    this.#deleteZone = db.prepare('DELETE FROM zones WHERE name = ?');
    this.#insertJournal = db.prepare(
      'INSERT INTO journal (zone_id, serial_before, serial_after, time, source, changeset) VALUES (?, ?, ?, ?, ?, ?)');
    this.#journalOfZone = db.prepare(
      'SELECT id, serial_before, serial_after, time, source, changeset FROM journal WHERE zone_id = ? ORDER BY id');
    const headerColumns = 'z.id, z.name, z.kind, z.serial, z.created_at, z.updated_at, 0 AS record_count';
    this.#listZoneHeaders = db.prepare(`SELECT ${headerColumns} FROM zones z ORDER BY z.name`);
    this.#zoneHeader = db.prepare(`SELECT ${headerColumns} FROM zones z WHERE z.name = ?`);
    const auditColumns = 'id, time, principal, operation, zone, serial_before, serial_after, summary, detail';
    this.#auditPage = db.prepare(`SELECT ${auditColumns} FROM audit_log WHERE id < ? ORDER BY id DESC LIMIT ?`);
    this.#auditPageOfZone = db.prepare(`SELECT ${auditColumns} FROM audit_log WHERE zone = ? AND id < ? ORDER BY id DESC LIMIT ?`);
    this.#writer = new ZoneWriteTransaction(db);
    this.#transaction = db.transaction((fn: (tx: ZoneWriteTransaction) => unknown) => {
      const writer = this.#writer;
      writer.discard();
      const result = fn(writer);
      // Records the writer still holds are part of this transaction: written before the COMMIT (and before the follower's copy).
      writer.flush();
      return result;
    });
  }

  /** The schema version of the open database (always the newest this build knows). */
  get schemaVersion(): number {
    return SCHEMA_VERSION;
  }

  /** The connection, for the other tables' classes in this folder (TokenStore); outside store/, use their methods. */
  get connection(): Db {
    return this.#db;
  }

  /** Every zone, by name, with its serial and record count. */
  listZones(): ZoneInfo[] {
    return (this.#listZones.all() as ZoneRow[]).map(zoneInfo);
  }

  /** The zone at `origin`, or null. */
  getZone(origin: Name): ZoneInfo | null {
    const row = this.#getZone.get(zoneKey(origin)) as ZoneRow | undefined;
    return row === undefined ? null : zoneInfo(row);
  }

  /** Every zone, by name, without record counts (no scan of the records table). */
  listZoneHeaders(): ZoneHeader[] {
    return (this.#listZoneHeaders.all() as ZoneRow[]).map(zoneHeader);
  }

  /** The zone named `name` (lowercase presentation form with the trailing dot) without its record count, or null. */
  zoneHeader(name: string): ZoneHeader | null {
    const row = this.#zoneHeader.get(name) as ZoneRow | undefined;
    return row === undefined ? null : zoneHeader(row);
  }

  /**
   * Runs `fn` in one write transaction (BEGIN IMMEDIATE, so no other writer can
   * slip in between reading and writing) and commits when it returns; anything it
   * throws rolls back every statement and propagates. With synchronous=FULL the
   * commit is durable when this returns; the follower's copy (see `follow`) is
   * durable when `copied()` resolves. Nested use is refused by SQLite.
   */
  write<T>(fn: (tx: ZoneWriteTransaction) => T): T {
    const follower = this.#follower;
    if (follower === null) return this.#transaction.immediate(fn) as T;
    let staged: StagedCopy | null = null;
    let value: T;
    try {
      value = this.#transaction.immediate((tx) => {
        const result = fn(tx);
        staged = follower.beforeCommit();
        return result;
      }) as T;
    } catch (err) {
      // Staged means the statements ran and the COMMIT failed: the copy must not keep them.
      (staged as StagedCopy | null)?.rolledBack();
      throw err;
    }
    if (staged !== null) {
      const before = this.#copied;
      const copied = (staged as StagedCopy).committed();
      const all = before === null ? copied : Promise.all([before, copied]).then(() => undefined);
      this.#copied = all;
      void all.then(() => {
        if (this.#copied === all) this.#copied = null;
      });
    }
    return value;
  }

  /**
   * Makes `follower` part of every `write` from now on (null: none): it stages
   * its copy of what the transaction did after the caller's statements, before
   * COMMIT, so that the copy's fsync runs beside SQLite's (ops' change log).
   */
  follow(follower: WriteFollower | null): void {
    this.#follower = follower;
  }

  /**
   * Resolves when the follower's copy of every write committed so far is
   * durable (at once when there is no follower or nothing is pending). Never
   * rejects: the follower reports its own failures.
   */
  copied(): Promise<void> {
    return this.#copied ?? RESOLVED;
  }

  /** Appends one audit entry in its own transaction (for operations outside the zone write path); returns its id. */
  appendAudit(entry: AuditRecord): number {
    return this.write((tx) => tx.insertAudit(entry));
  }

  /** Audit rows, newest first. */
  auditEntries(query: AuditQuery): AuditRow[] {
    type Row = {
      id: number; time: string; principal: string; operation: string; zone: string | null;
      serial_before: number | null; serial_after: number | null; summary: string; detail: string | null;
    };
    const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
    const rows = (query.zone === undefined
      ? this.#auditPage.all(before, query.limit)
      : this.#auditPageOfZone.all(query.zone, before, query.limit)) as Row[];
    return rows.map((r) => ({
      id: r.id, time: r.time, principal: r.principal, operation: r.operation, zone: r.zone,
      serialBefore: r.serial_before, serialAfter: r.serial_after, summary: r.summary, detail: r.detail,
    }));
  }

  /** The zone at `origin`; throws NOT_FOUND (`zone "example.com." not found`). */
  requireZone(origin: Name): ZoneInfo {
    const zone = this.getZone(origin);
    if (zone === null) throw new StoreError('NOT_FOUND', `zone "${zoneKey(origin)}" not found`);
    return zone;
  }

  /**
   * Every record of a zone, in the order stored, ready for buildZoneSnapshot. Each
   * RDATA is a view into its chunk's BLOB (see loadZoneInto).
   */
  loadZoneRecords(zoneId: number): RecordData[] {
    const out: RecordData[] = [];
    this.loadZoneInto(zoneId, {
      add: (name, type, ttl, bytes, start, length) => {
        out.push({ name, type, ttl, rdata: new Uint8Array(bytes.buffer, bytes.byteOffset + start, length) });
      },
    });
    return out;
  }

  /**
   * Hands every record of a zone, in the order stored, to `sink` (a
   * ZoneSnapshotBuilder at the start of serve): no object per record. Built for a
   * million records a second. Row by row, better-sqlite3 makes one Buffer per BLOB
   * and several values per row, which costs more than everything else together;
   * so each chunk of rows comes back as one row of two aggregates (owners joined
   * by newlines; type, TTL and RDATA of every record packed into one BLOB), and
   * the sink gets each RDATA as a range of its chunk's BLOB. Owner names take the
   * fast path of storedNameToWire, once per run of equal owners.
   */
  loadZoneInto(zoneId: number, sink: RecordSink): void {
    let lastText = '';
    let lastName = '' as Name;
    let afterId = 0;
    for (;;) {
      const row = this.#recordChunk.get(zoneId, afterId) as ChunkRow;
      const count = row[0];
      if (count === 0) break;
      afterId = row[1]!;
      const owners = row[2]!.split('\n');
      const blob = row[3]!;
      if (owners.length !== count) {
        // An owner with a newline in it (only a hand edit can do that): read the chunk row by row.
        this.#loadChunkByRows(zoneId, afterId, count, sink);
        continue;
      }
      let p = 0;
      for (let i = 0; i < count; i++) {
        const text = owners[i]!;
        if (text !== lastText) {
          lastText = text;
          lastName = storedNameToWire(text);
        }
        // Each record in the chunk BLOB: type (2 bytes), TTL (4), RDATA length (2), RDATA.
        const type = (blob[p]! << 8) | blob[p + 1]!;
        const ttl = blob[p + 2]! * 0x1000000 + ((blob[p + 3]! << 16) | (blob[p + 4]! << 8) | blob[p + 5]!);
        const length = (blob[p + 6]! << 8) | blob[p + 7]!;
        sink.add(lastName, type, ttl, blob, p + 8, length);
        p += 8 + length;
      }
    }
  }

  /** The slow path of loadZoneRecords: the `count` rows of the chunk ending at id `lastId`. */
  #loadChunkByRows(zoneId: number, lastId: number, count: number, sink: RecordSink): void {
    const rows = this.#recordsBefore.all(zoneId, lastId, count) as [string, number, number, Buffer][];
    rows.reverse();
    for (const [name, type, ttl, rdata] of rows) sink.add(storedNameToWire(name), type, ttl, rdata, 0, rdata.length);
  }

  /**
   * Replaces the content of the zone at `origin` (creating it if new) in one
   * transaction: the records that differ are deleted and inserted, the change is
   * journaled, and the serial set. The serial is the SOA's own when it is greater
   * (RFC 1982) than the stored one, else the stored one plus one (`bumped`).
   * Importing the stored content again writes nothing (`changed: false`). Any
   * error rolls everything back. The caller has run validateZone; this only
   * refuses what cannot be stored (no apex SOA, names outside the zone).
   */
  importZone(origin: Name, records: readonly RecordData[], options: ImportOptions = {}): ImportResult {
    const key = zoneKey(origin);
    const soa = checkStorable(origin, key, records);
    const time = (options.now ?? this.#now()).toISOString();
    const source = options.source ?? 'import';
    const fileSerial = soaFields(soa.rdata).serial;
    return this.#db.transaction((): ImportResult => {
      const existing = this.#getZone.get(key) as ZoneRow | undefined;
      const oldRows = existing === undefined ? [] : (this.#recordsWithIds.all(existing.id) as RecordRow[]);
      const previousSerial = existing?.serial ?? null;

      // Old records by identity (owner text as given, type, TTL, RDATA), the apex SOA apart.
      const oldByKey = new Map<string, RecordRow>();
      let oldSoa: RecordRow | undefined;
      for (const row of oldRows) {
        if (row[2] === RRType.SOA && row[1].toLowerCase() === key) oldSoa = row;
        else oldByKey.set(recordKey(row[1], row[2], row[3], row[4]), row);
      }
      const added: StoredRecord[] = [];
      const kept = new Set<string>();
      for (const record of records) {
        if (record === soa) continue;
        const text = nameToText(record.name);
        const rdata = asBuffer(record.rdata);
        const k = recordKey(text, record.type, record.ttl, rdata);
        if (kept.has(k)) continue; // RFC 2181 5: duplicate records are one record
        kept.add(k);
        if (oldByKey.has(k)) oldByKey.delete(k);
        else added.push({ text, record: { name: record.name, type: record.type, ttl: record.ttl, rdata } });
      }
      const deleted = [...oldByKey.values()];
      const soaText = nameToText(soa.name);
      const soaSame = oldSoa !== undefined && oldSoa[1] === soaText && oldSoa[3] === soa.ttl &&
        asBuffer(soaWithSerial(oldSoa[4], 0)).equals(asBuffer(soaWithSerial(soa.rdata, 0)));
      const contentChanged = added.length > 0 || deleted.length > 0 || !soaSame;

      if (existing !== undefined && previousSerial !== null && !contentChanged && !serialIsGreater(fileSerial, previousSerial)) {
        return {
          zone: zoneInfo(existing), created: false, changed: false, previousSerial, fileSerial, bumped: false, added: 0, deleted: 0,
        };
      }
      const choice = chooseSerial(previousSerial, fileSerial);
      const newSoa: RecordData = { name: soa.name, type: RRType.SOA, ttl: soa.ttl, rdata: asBuffer(soaWithSerial(soa.rdata, choice.serial)) };
      // IXFR order (RFC 1995 4): the old SOA leads the deletions, the new SOA the additions.
      if (oldSoa !== undefined) deleted.unshift(oldSoa);
      added.unshift({ text: soaText, record: newSoa });

      let zoneId: number;
      if (existing === undefined) {
        zoneId = (this.#insertZone.get(key, choice.serial, time, time) as { id: number }).id;
      } else {
        zoneId = existing.id;
        this.#updateZone.run(choice.serial, time, zoneId);
      }
      for (const row of deleted) this.#deleteRecord.run(row[0]);
      for (const { text, record } of added) this.#insertRecord.run(zoneId, text, record.type, record.ttl, asBuffer(record.rdata));
      const changeset: Changeset = {
        deleted: deleted.map((row) => ({ name: storedNameToWire(row[1]), type: row[2], ttl: row[3], rdata: row[4] })),
        added: added.map((a) => a.record),
      };
      this.#insertJournal.run(zoneId, previousSerial, choice.serial, time, source, encodeChangeset(changeset));
      const zone = zoneInfo(this.#getZone.get(key) as ZoneRow);
      return {
        zone, created: existing === undefined, changed: true, previousSerial, fileSerial, bumped: choice.bumped,
        added: added.length, deleted: deleted.length,
      };
    }).immediate();
  }

  /** Deletes the zone at `origin` with its records and journal; throws NOT_FOUND. */
  deleteZone(origin: Name): void {
    const result = this.#deleteZone.run(zoneKey(origin));
    if (result.changes === 0) throw new StoreError('NOT_FOUND', `zone "${zoneKey(origin)}" not found`);
  }

  /** The journal of a zone, oldest first. */
  journalEntries(zoneId: number): JournalEntry[] {
    type Row = { id: number; serial_before: number | null; serial_after: number; time: string; source: string; changeset: string };
    return (this.#journalOfZone.all(zoneId) as Row[]).map((row) => ({
      id: row.id, serialBefore: row.serial_before, serialAfter: row.serial_after, time: row.time, source: row.source,
      changeset: decodeChangeset(row.changeset),
    }));
  }

  /**
   * Folds the WAL into the database file and empties it (a stopping server leaves
   * one self-contained file), waiting up to waitMs for readers of an older state;
   * returns false when one kept it from finishing (the WAL then stays: harmless).
   */
  checkpoint(waitMs = 1000): boolean {
    if (!this.#db.open) return false;
    const busy = this.#db.pragma('busy_timeout', { simple: true }) as number;
    this.#db.pragma(`busy_timeout = ${Math.max(0, Math.floor(waitMs))}`);
    try {
      const [result] = this.#db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      return result?.busy === 0;
    } finally {
      this.#db.pragma(`busy_timeout = ${busy}`);
    }
  }

  /** Closes the database connection; further calls fail. Safe to call twice. */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}

/**
 * Opens (creating it and its directory if needed) and migrates the database at
 * `path`. WAL mode so that readers never block the writer; synchronous=FULL so
 * that an acknowledged change survives power loss (WAL with NORMAL may lose the
 * last commits); foreign keys on; a busy timeout for the CLI writing while
 * `serve` runs.
 */
export function openStore(path: string, options: StoreOptions = {}): Store {
  const now = options.now ?? (() => new Date());
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
  } catch (err) {
    throw new StoreError('OPEN_FAILED', `cannot open database "${path}": ${reasonOf(err)}`);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, path, now);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError('OPEN_FAILED', `cannot open database "${path}": ${reasonOf(err)}`);
  }
  return new Store(db, path, now);
}

interface StoredRecord {
  readonly text: string;
  readonly record: RecordData;
}

/** The zones.name of an apex: presentation form, lowercase, trailing dot. */
function zoneKey(origin: Name): string {
  return nameToText(nameLower(origin));
}

function zoneHeader(row: ZoneRow): ZoneHeader {
  return {
    id: row.id, origin: storedNameToWire(row.name), name: row.name, kind: row.kind, serial: row.serial,
    createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function zoneInfo(row: ZoneRow): ZoneInfo {
  return {
    id: row.id, origin: storedNameToWire(row.name), name: row.name, kind: row.kind, serial: row.serial,
    recordCount: row.record_count, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function recordKey(name: string, type: number, ttl: number, rdata: Buffer): string {
  return `${name}\0${type}\0${ttl}\0${rdata.toString('latin1')}`;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The apex SOA record; throws INVALID listing what cannot be stored. */
function checkStorable(origin: Name, key: string, records: readonly RecordData[]): RecordData {
  const problems: string[] = [];
  let soa: RecordData | undefined;
  for (const record of records) {
    if (!nameIsAtOrBelow(record.name, origin)) {
      problems.push(`${nameToText(record.name)} ${typeToText(record.type)} is outside zone "${key}"`);
    } else if (record.type === RRType.SOA) {
      if (!nameEquals(record.name, origin)) problems.push(`${nameToText(record.name)} SOA is not at the apex of zone "${key}"`);
      else if (soa !== undefined) problems.push(`zone "${key}" has more than one SOA record`);
      else soa = record;
    }
    if (problems.length > 20) break;
  }
  if (soa === undefined && problems.length === 0) problems.push(`zone "${key}" has no SOA record at its apex`);
  if (problems.length > 0 || soa === undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new StoreError('INVALID', `zone "${key}" not stored: ${problems[0] ?? ''}${more}`, problems);
  }
  return soa;
}

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.charAt(0).toLowerCase() + message.slice(1);
}
