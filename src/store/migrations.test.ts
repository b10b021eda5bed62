import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS, SCHEMA_VERSION, StoreError, type Migration } from './index.js';

const now = (): Date => new Date('2026-01-01T00:00:00.000Z');

test('migrations are numbered 1, 2, 3, ... without gaps', () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1));
  assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
});

test('only the migrations not yet applied run, in order, each recorded', () => {
  const db = new Database(':memory:');
  const steps: Migration[] = [
    { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
    { version: 2, name: 'two', sql: 'ALTER TABLE a ADD COLUMN y INTEGER' },
  ];
  assert.deepEqual(migrate(db, ':memory:', now, steps.slice(0, 1)), [1]);
  assert.deepEqual(migrate(db, ':memory:', now, steps), [2]);
  assert.deepEqual(migrate(db, ':memory:', now, steps), []);
  assert.deepEqual(db.prepare('SELECT version, name, applied_at FROM schema_migrations').raw().all(),
    [[1, 'one', '2026-01-01T00:00:00.000Z'], [2, 'two', '2026-01-01T00:00:00.000Z']]);
  assert.deepEqual(db.prepare('SELECT name FROM pragma_table_info(\'a\')').pluck().all(), ['x', 'y']);
  db.close();
});

test('a failing migration leaves the schema at the last complete version', () => {
  const db = new Database(':memory:');
  const steps: Migration[] = [
    { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' },
    { version: 2, name: 'broken', sql: 'CREATE TABLE b (x INTEGER); CREATE TABLE a (x INTEGER)' },
  ];
  assert.throws(() => migrate(db, ':memory:', now, steps), /table a already exists/);
  assert.equal(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get(), 1);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get(), 0);
  db.close();
});

test('a schema newer than the migrations known is refused', () => {
  const db = new Database(':memory:');
  migrate(db, 'x.db', now, [{ version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER)' }]);
  assert.throws(() => migrate(db, 'x.db', now, []), (err: unknown) =>
    err instanceof StoreError && err.code === 'SCHEMA_TOO_NEW' && err.message.startsWith('database "x.db" has schema version 1, newer than the 0'));
  db.close();
});
