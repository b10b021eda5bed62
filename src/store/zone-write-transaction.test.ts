import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from './index.js';

const TIME = '2026-01-02T03:04:05.000Z';

function withStore(fn: (store: Store) => void): void {
  const store = openStore(join(mkdtempSync(join(tmpdir(), 'mcns-write-tx-')), 'mcns.db'));
  try {
    fn(store);
  } finally {
    store.close();
  }
}

type Row = { name: string; type: number; ttl: number; rdata: Buffer };

function rows(store: Store, zoneId: number): Row[] {
  return store.connection.prepare('SELECT name, type, ttl, rdata FROM records WHERE zone_id = ? ORDER BY id').all(zoneId) as Row[];
}

test('records inserted in one write are all stored, in the order given, whatever their number', () => {
  withStore((store) => {
    for (const count of [1, 63, 64, 65, 1000, 1001]) {
      const zone = `n${count}.test.`;
      const id = store.write((tx) => {
        const zoneId = tx.insertZone(zone, 1, TIME);
        for (let i = 0; i < count; i++) tx.insertRecord(zoneId, `h${i}.${zone}`, 1, 300 + i, new Uint8Array([10, 0, i >> 8, i & 255]));
        return zoneId;
      });
      const stored = rows(store, id);
      assert.equal(stored.length, count, `${count} records`);
      stored.forEach((row, i) => {
        assert.equal(row.name, `h${i}.${zone}`);
        assert.equal(row.ttl, 300 + i);
        assert.deepEqual([...row.rdata], [10, 0, i >> 8, i & 255]);
      });
    }
  });
});

test('a statement after inserts sees them: an RRset deleted in the same write is gone', () => {
  withStore((store) => {
    const id = store.write((tx) => {
      const zoneId = tx.insertZone('order.test.', 1, TIME);
      tx.insertRecord(zoneId, 'a.order.test.', 1, 300, new Uint8Array([192, 0, 2, 1]));
      tx.insertRecord(zoneId, 'b.order.test.', 1, 300, new Uint8Array([192, 0, 2, 2]));
      tx.deleteRRset(zoneId, 'A.ORDER.TEST.', 1);
      tx.insertRecord(zoneId, 'a.order.test.', 1, 60, new Uint8Array([192, 0, 2, 3]));
      return zoneId;
    });
    assert.deepEqual(rows(store, id).map((r) => [r.name, r.ttl, [...r.rdata]]), [
      ['b.order.test.', 300, [192, 0, 2, 2]],
      ['a.order.test.', 60, [192, 0, 2, 3]],
    ]);
  });
});

test('inserts of a write that throws are not written, then or by the next write', () => {
  withStore((store) => {
    const id = store.write((tx) => tx.insertZone('rollback.test.', 1, TIME));
    assert.throws(() => store.write((tx) => {
      for (let i = 0; i < 100; i++) tx.insertRecord(id, `h${i}.rollback.test.`, 1, 300, new Uint8Array([10, 0, 0, i]));
      throw new Error('refused');
    }), /refused/);
    assert.equal(rows(store, id).length, 0);
    store.write((tx) => tx.updateZone(id, 2, TIME));
    assert.equal(rows(store, id).length, 0);
  });
});

test('a record that breaks a constraint fails its whole write', () => {
  withStore((store) => {
    const id = store.write((tx) => tx.insertZone('bad.test.', 1, TIME));
    assert.throws(() => store.write((tx) => {
      tx.insertRecord(id, 'ok.bad.test.', 1, 300, new Uint8Array([10, 0, 0, 1]));
      tx.insertRecord(id, 'bad.bad.test.', 1, 2 ** 31, new Uint8Array([10, 0, 0, 2]));
      tx.updateZone(id, 2, TIME);
    }), /CHECK constraint/);
    assert.equal(rows(store, id).length, 0);
    assert.equal(store.write((tx) => tx.zone('bad.test.'))?.serial, 1);
  });
});

test('RDATA given as a view into a larger buffer is stored as the view\'s bytes only', () => {
  withStore((store) => {
    const backing = new Uint8Array([9, 9, 192, 0, 2, 7, 9, 9]);
    const id = store.write((tx) => {
      const zoneId = tx.insertZone('view.test.', 1, TIME);
      tx.insertRecord(zoneId, 'a.view.test.', 1, 300, backing.subarray(2, 6));
      tx.insertRecord(zoneId, 'b.view.test.', 1, 300, backing.subarray(2, 6));
      tx.replaceRecord(zoneId, 'b.view.test.', 1, backing.subarray(2, 6), backing.subarray(1, 5), 60);
      return zoneId;
    });
    assert.deepEqual(rows(store, id).map((r) => [...r.rdata]), [[192, 0, 2, 7], [9, 192, 0, 2]]);
  });
});
