// Numbered schema migrations. A migration is never edited once released: a change
// is a new entry at the end. Each runs in its own transaction and is recorded in
// schema_migrations, so a crash mid-upgrade leaves the last complete version.
import type { Database } from 'better-sqlite3';
import { StoreError } from './store-error.js';

/** One step of the schema: version N turns schema N-1 into N. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Every migration, in order; versions are 1, 2, 3, ... without gaps. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'zones, records and the change journal',
    sql: `
      -- One row per zone. name: presentation form, lowercase, trailing dot ("example.com.").
      CREATE TABLE zones (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL DEFAULT 'primary' CHECK (kind IN ('primary', 'secondary')),
        serial INTEGER NOT NULL CHECK (serial BETWEEN 0 AND 4294967295),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- Class IN records (ADR 0001: owner as presentation text, case as given; RDATA as
      -- uncompressed wire bytes, so loading parses no text).
      CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        zone_id INTEGER NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
        name TEXT NOT NULL COLLATE NOCASE,
        type INTEGER NOT NULL CHECK (type BETWEEN 0 AND 65535),
        ttl INTEGER NOT NULL CHECK (ttl BETWEEN 0 AND 2147483647),
        rdata BLOB NOT NULL
      ) STRICT;
      CREATE INDEX records_zone_id ON records (zone_id);

      -- One row per change of a zone, by serial: the records deleted and added (SOA
      -- included), as JSON {"deleted":[[name,type,ttl,rdata_base64],...],"added":[...]}.
      -- IXFR, audit and replay after restore read it. serial_before is NULL when the
      -- change created the zone.
      CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        zone_id INTEGER NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
        serial_before INTEGER CHECK (serial_before BETWEEN 0 AND 4294967295),
        serial_after INTEGER NOT NULL CHECK (serial_after BETWEEN 0 AND 4294967295),
        time TEXT NOT NULL,
        source TEXT NOT NULL,
        changeset TEXT NOT NULL
      ) STRICT;
      CREATE INDEX journal_zone_serial ON journal (zone_id, serial_after);
    `,
  },
  {
    version: 2,
    name: 'audit log',
    sql: `
      -- Who changed what and when (issue 3). Written in the same transaction as the
      -- change it describes; zone is kept as text so entries outlive a deleted zone.
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        time TEXT NOT NULL,
        principal TEXT NOT NULL,
        operation TEXT NOT NULL,
        zone TEXT,
        serial_before INTEGER CHECK (serial_before BETWEEN 0 AND 4294967295),
        serial_after INTEGER CHECK (serial_after BETWEEN 0 AND 4294967295),
        summary TEXT NOT NULL,
        detail TEXT
      ) STRICT;
      CREATE INDEX audit_log_zone ON audit_log (zone, id);
    `,
  },
  {
    version: 3,
    name: 'api tokens',
    sql: `
      -- Built-in API tokens (issue 3). The secret is never stored: secret_hash is
      -- SHA-256 of it. zones is a JSON array of zone names, NULL for every zone.
      CREATE TABLE api_tokens (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        secret_hash BLOB NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'viewer')),
        zones TEXT,
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT,
        last_used_at TEXT
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'records by owner and type',
    sql: `
      -- The management plane edits one RRset at a time (service/commit-change.ts):
      -- find its records without scanning the zone. name keeps its NOCASE collation.
      CREATE INDEX records_owner_type ON records (zone_id, name, type);
    `,
  },
];

/** The schema version this build of mcns writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database up to SCHEMA_VERSION; refuses one that a newer mcns has
 * migrated further (its tables may mean things this build does not know).
 * Returns the versions applied.
 */
export function migrate(db: Database, file: string, now: () => Date, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const versionOf = db.prepare('SELECT max(version) AS v FROM schema_migrations');
  const currentVersion = (): number => (versionOf.get() as { v: number | null }).v ?? 0;
  const known = migrations.length;
  const current = currentVersion();
  if (current > known) {
    throw new StoreError('SCHEMA_TOO_NEW',
      `database "${file}" has schema version ${current}, newer than the ${known} this mcns understands; ` +
      'run the mcns version that wrote it, or restore a backup made by this one');
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations.slice(current)) {
    // Checked again under the write lock: another process may have just migrated.
    const ran = db.transaction(() => {
      if (currentVersion() >= migration.version) return false;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now().toISOString());
      return true;
    }).immediate();
    if (ran) applied.push(migration.version);
  }
  return applied;
}
