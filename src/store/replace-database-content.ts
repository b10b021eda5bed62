// Restores a snapshot into a database that is open and serving: every table's
// rows are replaced by the snapshot's in ONE write transaction on the server's
// own connection. The connection, its prepared statements and every object that
// holds the Store stay valid; other readers see the old rows or the new, never a
// mix; and a failure anywhere rolls all of it back.
import type { Store } from './store.js';
import { StoreError } from './store-error.js';

/** What replaceDatabaseContent copied. */
export interface ReplaceResult {
  /** Rows copied, by table. */
  readonly rows: Readonly<Record<string, number>>;
}

/** The schema name the snapshot is attached under while it is copied. */
const ATTACHED = 'mcns_restore_source';

/**
 * Replaces every row of `store`'s tables with those of the database file
 * `source`, which must be at the same schema version (the caller migrates a copy
 * first) and have the same tables and columns: anything else is refused with
 * INVALID before a row changes. Must not be called inside a transaction
 * (SQLite cannot ATTACH there).
 */
export function replaceDatabaseContent(store: Store, source: string): ReplaceResult {
  const db = store.connection;
  if (db.inTransaction) throw new Error('replaceDatabaseContent cannot run inside a transaction');
  db.prepare(`ATTACH DATABASE ? AS ${ATTACHED}`).run(source);
  try {
    const tablesOf = (schema: string): string[] =>
      (db.prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
        .all() as { name: string }[]).map((r) => r.name);
    const columnsOf = (schema: string, table: string): string[] =>
      (db.prepare(`SELECT name FROM pragma_table_info(?, ?) ORDER BY cid`).all(table, schema) as { name: string }[]).map((r) => r.name);
    const ours = tablesOf('main');
    const theirs = tablesOf(ATTACHED);
    if (ours.join() !== theirs.join()) {
      throw new StoreError('INVALID', `snapshot "${source}" has tables ${theirs.join(', ')}; this database has ${ours.join(', ')}`);
    }
    const columns = new Map<string, string[]>();
    for (const table of ours) {
      const mine = columnsOf('main', table);
      const other = columnsOf(ATTACHED, table);
      if (mine.join() !== other.join()) {
        throw new StoreError('INVALID', `snapshot "${source}" table ${table} has columns ${other.join(', ')}; this database has ${mine.join(', ')}`);
      }
      columns.set(table, mine);
    }
    const rows: Record<string, number> = {};
    // Foreign keys off for the copy: with them on, SQLite deletes row by row and counts
    // each insert against its parent, twice as slow; the whole result is checked with
    // foreign_key_check before COMMIT instead, and any violation rolls it all back.
    // Nothing else runs on this connection meanwhile (one thread, no await).
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        for (const table of ours) db.prepare(`DELETE FROM main."${table}"`).run();
        for (const table of ours) {
          const list = columns.get(table)!.map((c) => `"${c}"`).join(', ');
          rows[table] = db.prepare(`INSERT INTO main."${table}" (${list}) SELECT ${list} FROM ${ATTACHED}."${table}"`).run().changes;
        }
        const broken = (db.pragma('main.foreign_key_check') as { table: string; parent: string }[])[0];
        if (broken !== undefined) {
          throw new StoreError('INVALID', `snapshot "${source}": a ${broken.table} row refers to a missing ${broken.parent} row; nothing was restored`);
        }
      }).immediate();
    } finally {
      db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
    }
    return { rows };
  } finally {
    db.exec(`DETACH DATABASE ${ATTACHED}`);
  }
}
