// Integrity of an mcns database file: SQLite's own checks (integrity_check or
// quick_check, foreign_key_check), the tables mcns needs, the schema version, and
// the invariants the write path keeps (one SOA and some NS at each apex, serials
// that agree, a journal without gaps). Used by `mcns integrity-check`, by restore
// before it trusts a snapshot, and (quick form) by `serve` before it opens.
import { existsSync } from 'node:fs';
import Database, { type Database as Db } from 'better-sqlite3';
import { RRType, soaFields } from '../wire/index.js';
import { SCHEMA_VERSION } from './migrations.js';

/** Options of checkDatabase. */
export interface CheckDatabaseOptions {
  /**
   * PRAGMA quick_check instead of integrity_check (no index-to-table cross
   * check: several times faster on a large file) and no mcns invariants; what
   * `serve` runs at start.
   */
  readonly quick?: boolean;
}

/** What checkDatabase found. */
export interface DatabaseCheck {
  /** One line per problem, naming the check and the object; empty when the file is sound. */
  readonly problems: readonly string[];
  /** The problems SQLite itself reports (integrity, foreign keys, unreadable pages): the file is damaged. */
  readonly corrupt: boolean;
  /** The tables mcns needs (schema_migrations, zones) are there. */
  readonly isMcnsDatabase: boolean;
  /** Highest applied migration, or null when unknown. */
  readonly schemaVersion: number | null;
  /** Every zone's name and serial, when they could be read. */
  readonly zones: ReadonlyMap<string, number>;
}

/** Most problems one check reports (integrity_check stops itself at 100). */
const MAX_PROBLEMS = 100;

/** The tables every mcns database has from migration 1 on. */
const REQUIRED_TABLES = ['schema_migrations', 'zones', 'records', 'journal'] as const;

/**
 * Checks the database file at `path` through a connection of its own (WAL
 * readers do not block the server's writer). Never throws for a damaged file: an
 * unreadable file is one problem ("file is not a database").
 */
export function checkDatabase(path: string, options: CheckDatabaseOptions = {}): DatabaseCheck {
  if (!existsSync(path)) {
    return { problems: [`no such file: ${path}`], corrupt: false, isMcnsDatabase: false, schemaVersion: null, zones: new Map() };
  }
  let db: Db;
  try {
    db = new Database(path, { fileMustExist: true });
  } catch (err) {
    return { problems: [`cannot open: ${reasonOf(err)}`], corrupt: true, isMcnsDatabase: false, schemaVersion: null, zones: new Map() };
  }
  try {
    return checkConnection(db, options.quick === true);
  } finally {
    db.close();
  }
}

/** The checks, on an open connection. */
function checkConnection(db: Db, quick: boolean): DatabaseCheck {
  const problems: string[] = [];
  const zones = new Map<string, number>();
  const pragma = quick ? 'quick_check' : 'integrity_check';
  let corrupt = false;
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.pragma(`${pragma}(${MAX_PROBLEMS})`, { simple: false }) as Record<string, string>[];
    // One problem per line; SQLite puts several in one row and heads them with the schema name.
    const lines = rows.flatMap((r) => String(Object.values(r)[0]).split('\n'))
      .map((line) => line.trim()).filter((line) => line !== '' && !/^\*\*\* in database \w+ \*\*\*$/.test(line));
    if (!(lines.length === 1 && lines[0] === 'ok')) {
      corrupt = true;
      for (const line of lines) problems.push(`${pragma}: ${line}`);
    }
  } catch (err) {
    return { problems: [`${pragma}: ${reasonOf(err)}`], corrupt: true, isMcnsDatabase: false, schemaVersion: null, zones };
  }
  let tables: Set<string>;
  try {
    tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  } catch (err) {
    problems.push(`schema: ${reasonOf(err)}`);
    return { problems, corrupt: true, isMcnsDatabase: false, schemaVersion: null, zones };
  }
  const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
  const isMcnsDatabase = tables.has('schema_migrations') && tables.has('zones');
  if (missing.length > 0) problems.push(`schema: table${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing: not an mcns database`);
  let schemaVersion: number | null = null;
  if (tables.has('schema_migrations')) {
    try {
      schemaVersion = (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
      if (schemaVersion > SCHEMA_VERSION) {
        problems.push(`schema: version ${schemaVersion} is newer than the ${SCHEMA_VERSION} this mcns understands`);
      }
    } catch (err) {
      corrupt = true;
      problems.push(`schema_migrations: ${reasonOf(err)}`);
    }
  }
  if (corrupt || missing.length > 0) return { problems, corrupt, isMcnsDatabase, schemaVersion, zones };
  try {
    for (const row of db.prepare('SELECT name, serial FROM zones ORDER BY name').all() as { name: string; serial: number }[]) {
      zones.set(row.name, row.serial);
    }
  } catch (err) {
    problems.push(`zones: ${reasonOf(err)}`);
    return { problems, corrupt: true, isMcnsDatabase, schemaVersion, zones };
  }
  if (quick) return { problems, corrupt, isMcnsDatabase, schemaVersion, zones };

  try {
    const fk = db.pragma('foreign_key_check', { simple: false }) as { table: string; rowid: number | null; parent: string }[];
    for (const row of fk.slice(0, MAX_PROBLEMS)) {
      corrupt = true;
      problems.push(`foreign_key_check: ${row.table} row ${row.rowid ?? '?'} refers to a missing ${row.parent} row`);
    }
    problems.push(...apexProblems(db), ...journalProblems(db));
  } catch (err) {
    corrupt = true;
    problems.push(`read: ${reasonOf(err)}`);
  }
  return { problems, corrupt, isMcnsDatabase, schemaVersion, zones };
}

/** Every zone: exactly one SOA and at least one NS at the apex, and the SOA's serial equal to zones.serial. */
function apexProblems(db: Db): string[] {
  const out: string[] = [];
  // records.name is COLLATE NOCASE, so the apex matches whatever case it was written in.
  const rows = db.prepare(`SELECT z.id, z.name, z.kind, z.serial,
      (SELECT count(*) FROM records r WHERE r.zone_id = z.id AND r.name = z.name AND r.type = ${RRType.SOA}) AS soas,
      (SELECT count(*) FROM records r WHERE r.zone_id = z.id AND r.name = z.name AND r.type = ${RRType.NS}) AS nss,
      (SELECT r.rdata FROM records r WHERE r.zone_id = z.id AND r.name = z.name AND r.type = ${RRType.SOA} LIMIT 1) AS soa,
      (SELECT count(*) FROM records r WHERE r.zone_id = z.id) AS total
    FROM zones z ORDER BY z.name`).all() as {
      id: number; name: string; kind: string; serial: number; soas: number; nss: number; soa: Buffer | null; total: number;
    }[];
  for (const z of rows) {
    // A secondary zone waiting for its first transfer has no records yet.
    if (z.kind === 'secondary' && z.total === 0) continue;
    if (z.soas !== 1) out.push(`zone "${z.name}": ${z.soas === 0 ? 'no' : z.soas} SOA records at its apex (must be exactly one)`);
    if (z.nss === 0) out.push(`zone "${z.name}": no NS records at its apex`);
    if (z.soa !== null) {
      let serial: number | null = null;
      try {
        serial = soaFields(z.soa).serial;
      } catch (err) {
        out.push(`zone "${z.name}": SOA record does not parse: ${reasonOf(err)}`);
      }
      if (serial !== null && serial !== z.serial) out.push(`zone "${z.name}": zones.serial is ${z.serial} but its SOA record says ${serial}`);
    }
    if (out.length >= MAX_PROBLEMS) break;
  }
  return out;
}

/** Per zone, by id: each entry starts where the one before ended, and the last ends at the zone's serial. */
function journalProblems(db: Db): string[] {
  const out: string[] = [];
  const zoneSerial = new Map((db.prepare('SELECT id, name, serial FROM zones').all() as { id: number; name: string; serial: number }[])
    .map((z) => [z.id, z]));
  const last = new Map<number, { id: number; after: number }>();
  const rows = db.prepare('SELECT id, zone_id, serial_before, serial_after FROM journal ORDER BY zone_id, id').raw()
    .iterate() as IterableIterator<[number, number, number | null, number]>;
  for (const [id, zoneId, before, after] of rows) {
    const name = zoneSerial.get(zoneId)?.name ?? `#${zoneId}`;
    const previous = last.get(zoneId);
    if (previous !== undefined && before !== previous.after) {
      out.push(`zone "${name}": journal entry ${id} starts at serial ${before ?? 'none (zone created)'} but entry ${previous.id} before it ended at ${previous.after}`);
    }
    last.set(zoneId, { id, after });
    if (out.length >= MAX_PROBLEMS) return out;
  }
  for (const [zoneId, entry] of last) {
    const zone = zoneSerial.get(zoneId);
    if (zone !== undefined && zone.serial !== entry.after) {
      out.push(`zone "${zone.name}": journal ends at serial ${entry.after} (entry ${entry.id}) but the zone is at ${zone.serial}`);
    }
  }
  return out;
}

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.charAt(0).toLowerCase() + message.slice(1);
}
