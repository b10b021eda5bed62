// Captures every committed zone change made through one connection, for the
// change log file (ops). TEMP triggers on that connection copy each journal row
// (with its zone's name), each zone deletion, and the principal of the audit row
// that follows, into a TEMP table. They run inside the writer's own transaction,
// so a rolled-back change leaves nothing behind and the captured order is the
// commit order; other connections (other processes) are not seen. Nothing in the
// database file changes: TEMP objects live and die with the connection. The TEMP
// table has no constraints, so capturing can never make a change fail.
import type { Database as Db, Statement } from 'better-sqlite3';
import type { Store } from './store.js';

/** One captured change, in commit order. */
export interface CapturedChange {
  /** Capture order; pass the last one taken to `release`. */
  readonly id: number;
  /** A journal entry (records changed, zone created), or the deletion of a zone. */
  readonly kind: 'change' | 'delete';
  /** Zone name, lowercase presentation form with the trailing dot. */
  readonly zone: string;
  /** Null when the change created the zone. */
  readonly serialBefore: number | null;
  /** Null when the zone was deleted. */
  readonly serialAfter: number | null;
  /** ISO 8601 UTC. */
  readonly time: string;
  /** Who made it (from the audit row), or null when the write had no audit row. */
  readonly principal: string | null;
  /** The journal's `source`, or null for a deletion. */
  readonly source: string | null;
  /** The journal's changeset JSON as stored (store/changeset.ts), or null for a deletion. */
  readonly changeset: string | null;
}

const CREATE_SQL = `
  CREATE TEMP TABLE IF NOT EXISTS mcns_change_capture (
    id INTEGER PRIMARY KEY,
    kind TEXT,
    zone TEXT,
    serial_before INTEGER,
    serial_after INTEGER,
    time TEXT,
    principal TEXT,
    source TEXT,
    changeset TEXT
  );
  CREATE TEMP TRIGGER IF NOT EXISTS mcns_capture_journal AFTER INSERT ON main.journal BEGIN
    INSERT INTO mcns_change_capture (kind, zone, serial_before, serial_after, time, source, changeset)
    VALUES ('change', (SELECT name FROM main.zones WHERE id = NEW.zone_id), NEW.serial_before, NEW.serial_after, NEW.time,
      NEW.source, NEW.changeset);
  END;
  CREATE TEMP TRIGGER IF NOT EXISTS mcns_capture_zone_delete BEFORE DELETE ON main.zones BEGIN
    INSERT INTO mcns_change_capture (kind, zone, serial_before, serial_after, time)
    VALUES ('delete', OLD.name, OLD.serial, NULL, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
  END;
  CREATE TEMP TRIGGER IF NOT EXISTS mcns_capture_audit AFTER INSERT ON main.audit_log WHEN NEW.zone IS NOT NULL BEGIN
    UPDATE mcns_change_capture SET principal = NEW.principal, time = NEW.time
    WHERE id = (SELECT max(id) FROM mcns_change_capture
                WHERE zone = NEW.zone AND principal IS NULL AND serial_after IS NEW.serial_after);
  END;`;

const DROP_TRIGGERS_SQL = `
  DROP TRIGGER IF EXISTS temp.mcns_capture_journal;
  DROP TRIGGER IF EXISTS temp.mcns_capture_zone_delete;
  DROP TRIGGER IF EXISTS temp.mcns_capture_audit;`;

type Row = {
  id: number; kind: 'change' | 'delete'; zone: string; serial_before: number | null; serial_after: number | null; time: string;
  principal: string | null; source: string | null; changeset: string | null;
};

/** The capture on one store's connection: take what was committed, release it once it is safe elsewhere. */
export class ChangeCapture {
  readonly #db: Db;
  readonly #take: Statement;
  readonly #release: Statement;
  #installed = false;

  /** Installs the TEMP table and triggers on `store`'s connection. */
  constructor(store: Store) {
    this.#db = store.connection;
    // TEMP tables in memory: the capture is a hand-off, never worth a disk write.
    this.#db.pragma('temp_store = MEMORY');
    this.#db.exec(CREATE_SQL);
    this.#installed = true;
    this.#take = this.#db.prepare('SELECT * FROM temp.mcns_change_capture ORDER BY id');
    this.#release = this.#db.prepare('DELETE FROM temp.mcns_change_capture WHERE id <= ?');
  }

  /** Every change captured and not yet released, oldest first. */
  take(): CapturedChange[] {
    return (this.#take.all() as Row[]).map((r) => ({
      id: r.id, kind: r.kind, zone: r.zone, serialBefore: r.serial_before, serialAfter: r.serial_after, time: r.time,
      principal: r.principal, source: r.source, changeset: r.changeset,
    }));
  }

  /** Forgets the changes up to and including `lastId` (they are written elsewhere now). */
  release(lastId: number): void {
    this.#release.run(lastId);
  }

  /**
   * Runs `fn` with the triggers removed, so bulk writes that are not changes
   * (restoring a snapshot's rows, replaying changes already logged) are not
   * captured. Must not be called inside a transaction.
   */
  without<T>(fn: () => T): T {
    if (this.#db.inTransaction) throw new Error('change capture cannot be suspended inside a transaction');
    this.#db.exec(DROP_TRIGGERS_SQL);
    try {
      return fn();
    } finally {
      if (this.#installed && this.#db.open) this.#db.exec(CREATE_SQL);
    }
  }

  /** Removes the triggers and the table; nothing more is captured. Safe to call twice, and after the store closed. */
  close(): void {
    if (!this.#installed) return;
    this.#installed = false;
    if (!this.#db.open) return;
    this.#db.exec(`${DROP_TRIGGERS_SQL} DROP TABLE IF EXISTS temp.mcns_change_capture;`);
  }
}
