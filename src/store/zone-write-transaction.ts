// The statements of the one write path (service/commit-change.ts), run inside a
// transaction that Store.write opens: RRset-level record edits, zone rows, the
// journal and the audit log. Prepared once per connection. Inserted records are
// held back and written many rows per statement (a batch of 1,000 new records is
// 16 statements, not 1,000 crossings into SQLite); every other statement, and
// Store.write before it commits, writes the held rows first, so the order of the
// writes is the order of the calls.
import type { Database as Db, Statement } from 'better-sqlite3';
import { encodeChangeset, type Changeset } from './changeset.js';

/** A zone row as the write path needs it. */
export interface ZoneRow {
  readonly id: number;
  readonly name: string;
  readonly kind: 'primary' | 'secondary';
  readonly serial: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One audit-log row to append (migration 2). */
export interface AuditRecord {
  /** ISO 8601 UTC. */
  readonly time: string;
  readonly principal: string;
  readonly operation: string;
  /** Zone name, lowercase presentation form; null for operations on no zone. */
  readonly zone: string | null;
  readonly serialBefore: number | null;
  readonly serialAfter: number | null;
  readonly summary: string;
  /** Optional JSON detail. */
  readonly detail?: string | null;
}

/** Rows per multi-row INSERT: the largest statement prepared (5 parameters a row, far below SQLite's limit). */
const INSERT_CHUNK_ROWS = 64;

type RawZoneRow = { id: number; name: string; kind: 'primary' | 'secondary'; serial: number; created_at: string; updated_at: string };

/**
 * Writes of the management plane. Only valid inside Store.write: every method runs
 * in the caller's transaction, so a failure anywhere rolls all of it back. Owners
 * are presentation text (ADR 0001 decision 3); the records table compares them
 * without regard to ASCII case (COLLATE NOCASE, RFC 4343), and migration 4 indexes
 * (zone_id, name, type) so an RRset is found without scanning its zone.
 */
export class ZoneWriteTransaction {
  readonly #zoneByName: Statement;
  readonly #insertZone: Statement;
  readonly #updateZone: Statement;
  readonly #deleteZone: Statement;
  readonly #deleteRRset: Statement;
  readonly #deleteRecord: Statement;
  readonly #insertRecord: Statement;
  readonly #replaceRecord: Statement;
  readonly #setRRsetTtl: Statement;
  readonly #insertJournal: Statement;
  readonly #insertAudit: Statement;
  readonly #deleteAllRecords: Statement;
  // RDATA is bound as given: better-sqlite3 binds any Uint8Array (a view's offset
  // and length respected) as a BLOB, so no Buffer view is made per record.
  /** INSERT of INSERT_CHUNK_ROWS >> k rows at index k, prepared when first needed. */
  readonly #insertRecords: (Statement | undefined)[] = [];
  readonly #db: Db;
  /** Parameters of the records inserted and not yet written: 5 per record. */
  #held: unknown[] = [];

  /** Prepares the statements on `db` (Store does this once). */
  constructor(db: Db) {
    this.#db = db;
    this.#zoneByName = db.prepare('SELECT id, name, kind, serial, created_at, updated_at FROM zones WHERE name = ?');
    this.#insertZone = db.prepare(
      "INSERT INTO zones (name, kind, serial, created_at, updated_at) VALUES (?, 'primary', ?, ?, ?) RETURNING id");
    this.#updateZone = db.prepare('UPDATE zones SET serial = ?, updated_at = ? WHERE id = ?');
    this.#deleteZone = db.prepare('DELETE FROM zones WHERE id = ?');
    this.#deleteRRset = db.prepare('DELETE FROM records WHERE zone_id = ? AND name = ? AND type = ?');
    this.#deleteRecord = db.prepare('DELETE FROM records WHERE zone_id = ? AND name = ? AND type = ? AND rdata = ?');
    this.#deleteAllRecords = db.prepare('DELETE FROM records WHERE zone_id = ?');
    this.#insertRecord = db.prepare('INSERT INTO records (zone_id, name, type, ttl, rdata) VALUES (?, ?, ?, ?, ?)');
    this.#replaceRecord = db.prepare('UPDATE records SET ttl = ?, rdata = ? WHERE zone_id = ? AND name = ? AND type = ? AND rdata = ?');
    this.#setRRsetTtl = db.prepare('UPDATE records SET ttl = ? WHERE zone_id = ? AND name = ? AND type = ? AND ttl <> ?');
    this.#insertJournal = db.prepare(
      'INSERT INTO journal (zone_id, serial_before, serial_after, time, source, changeset) VALUES (?, ?, ?, ?, ?, ?)');
    this.#insertAudit = db.prepare(`INSERT INTO audit_log (time, principal, operation, zone, serial_before, serial_after, summary, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** The row of zone `name` (lowercase presentation form), or null. */
  zone(name: string): ZoneRow | null {
    this.flush();
    const row = this.#zoneByName.get(name) as RawZoneRow | undefined;
    return row === undefined ? null : {
      id: row.id, name: row.name, kind: row.kind, serial: row.serial, createdAt: row.created_at, updatedAt: row.updated_at,
    };
  }

  /** Adds a zone row; returns its id. */
  insertZone(name: string, serial: number, time: string): number {
    this.flush();
    return (this.#insertZone.get(name, serial, time, time) as { id: number }).id;
  }

  /** Sets a zone's serial and update time. */
  updateZone(id: number, serial: number, time: string): void {
    this.flush();
    this.#updateZone.run(serial, time, id);
  }

  /** Deletes a zone row; its records and journal go with it (ON DELETE CASCADE). */
  deleteZone(id: number): void {
    this.flush();
    this.#deleteAllRecords.run(id);
    this.#deleteZone.run(id);
  }

  /** Deletes every record of one RRset (owner compared without ASCII case). */
  deleteRRset(zoneId: number, owner: string, type: number): void {
    this.flush();
    this.#deleteRRset.run(zoneId, owner, type);
  }

  /** Deletes the records of one RRset with exactly this RDATA. */
  deleteRecord(zoneId: number, owner: string, type: number, rdata: Uint8Array): void {
    this.flush();
    this.#deleteRecord.run(zoneId, owner, type, rdata);
  }

  /** Deletes every record of a zone, keeping the zone row. */
  deleteAllRecords(zoneId: number): void {
    this.flush();
    this.#deleteAllRecords.run(zoneId);
  }

  /** Adds one record. */
  insertRecord(zoneId: number, owner: string, type: number, ttl: number, rdata: Uint8Array): void {
    this.#held.push(zoneId, owner, type, ttl, rdata);
  }

  /** Writes the records held by insertRecord (Store.write calls this before COMMIT; every other statement first). */
  flush(): void {
    const held = this.#held;
    if (held.length === 0) return;
    this.#held = [];
    const rows = held.length / 5;
    let row = 0;
    // Chunks of 64, 32, ..., 1 rows: at most one statement of each size past the full chunks.
    for (let k = 0, size = INSERT_CHUNK_ROWS; size >= 1; k++, size >>= 1) {
      while (rows - row >= size) {
        const statement = size === 1 ? this.#insertRecord : (this.#insertRecords[k] ??= this.#prepareInsert(size));
        statement.run(size === rows ? held : held.slice(row * 5, (row + size) * 5));
        row += size;
      }
    }
  }

  /** Forgets held records (Store.write, when the transaction they were for rolled back). */
  discard(): void {
    this.#held = [];
  }

  #prepareInsert(rows: number): Statement {
    return this.#db.prepare(`INSERT INTO records (zone_id, name, type, ttl, rdata) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?)').join(', ')}`);
  }

  /**
   * Turns the record with RDATA `from` into one with `to` and `ttl`, in place: an
   * UPDATE touches only the row's page, where a delete and an insert also rewrite
   * index pages (fewer pages in the WAL, a cheaper durable commit).
   */
  replaceRecord(zoneId: number, owner: string, type: number, from: Uint8Array, to: Uint8Array, ttl: number): void {
    this.flush();
    this.#replaceRecord.run(ttl, to, zoneId, owner, type, from);
  }

  /** Gives every record of an RRset the TTL `ttl` (RFC 2181 5.2: one TTL per RRset). */
  setRRsetTtl(zoneId: number, owner: string, type: number, ttl: number): void {
    this.flush();
    this.#setRRsetTtl.run(ttl, zoneId, owner, type, ttl);
  }

  /** Appends a journal entry: the change from serialBefore (null: zone created) to serialAfter. */
  insertJournal(zoneId: number, serialBefore: number | null, serialAfter: number, time: string, source: string, changeset: Changeset): void {
    this.flush();
    this.#insertJournal.run(zoneId, serialBefore, serialAfter, time, source, encodeChangeset(changeset));
  }

  /** Appends an audit-log entry; returns its id. */
  insertAudit(entry: AuditRecord): number {
    this.flush();
    const result = this.#insertAudit.run(entry.time, entry.principal, entry.operation, entry.zone, entry.serialBefore,
      entry.serialAfter, entry.summary, entry.detail ?? null);
    return Number(result.lastInsertRowid);
  }
}
