import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createQueryEngine } from '../query/index.js';
import { nameFromText, nameLower, RRType, decodeMessage, encodeMessage, rdataToText, type Message } from '../wire/index.js';
import Database from 'better-sqlite3';
import { openStore } from '../store/index.js';
import { PRINCIPALS, withTestService, type TestService } from './open-test-service.js';
import { ServiceError } from './types.js';

const admin = PRINCIPALS.admin;
const ORIGIN = nameFromText('example.com.');

async function exampleZone(t: TestService): Promise<void> {
  await t.service.invoke('createZone', admin, { zone: 'example.com', nameservers: ['ns1.example.net.'] });
}

/** The A records of `owner` as stored in SQLite. */
function storedA(t: TestService, owner: string): string[] {
  const id = t.store.zoneHeader('example.com.')!.id;
  const lower = nameLower(nameFromText(owner));
  return t.store.loadZoneRecords(id).filter((r) => r.type === RRType.A && nameLower(r.name) === lower).map((r) => rdataToText(1, r.rdata));
}

/** The A records of `owner` in the snapshot DNS answers from. */
function servedA(t: TestService, owner: string): string[] {
  const set = t.zones.get(ORIGIN)?.nodes.get(nameLower(nameFromText(owner)))?.rrsets.get(RRType.A);
  return set === undefined ? [] : set.rdatas.map((r) => rdataToText(1, r));
}

test('20 concurrent callers x 50 changes: no error, one serial per change without gaps, all stored and served', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const before = t.service.commitStats();
    const results: { caller: number; i: number; serialBefore: number; serialAfter: number }[] = [];
    await Promise.all(Array.from({ length: 20 }, async (_, caller) => {
      for (let i = 0; i < 50; i++) {
        const r = await t.service.invoke('replaceRRset', PRINCIPALS.editorZone, {
          zone: 'example.com', name: `c${caller}-${i}`, type: 'A', ttl: 60, records: [`10.0.${caller}.${i}`],
        });
        // Visible in DNS when the call returns.
        assert.deepEqual(servedA(t, `c${caller}-${i}.example.com.`), [`10.0.${caller}.${i}`]);
        results.push({ caller, i, serialBefore: r.serialBefore, serialAfter: r.serialAfter });
      }
    }));
    assert.equal(results.length, 1000);
    results.sort((a, b) => a.serialBefore - b.serialBefore);
    for (let k = 0; k < results.length; k++) {
      assert.equal(results[k]!.serialAfter, results[k]!.serialBefore + 1);
      if (k > 0) assert.equal(results[k]!.serialBefore, results[k - 1]!.serialAfter, 'no gaps, no repeats');
    }
    assert.equal(results[0]!.serialBefore, 2026112201);
    const final = results[results.length - 1]!.serialAfter;
    assert.equal(t.store.zoneHeader('example.com.')!.serial, final);
    assert.equal(t.zones.get(ORIGIN)!.serial, final);
    for (const { caller, i } of results) {
      assert.deepEqual(storedA(t, `c${caller}-${i}.example.com.`), [`10.0.${caller}.${i}`]);
    }
    const journal = t.store.journalEntries(t.store.zoneHeader('example.com.')!.id);
    assert.equal(journal.length, 1001);
    const audit = await t.service.invoke('listAudit', admin, { pageSize: 1000 });
    assert.equal(audit.items.filter((e) => e.operation === 'replaceRRset').length, 1000);
    const after = t.service.commitStats();
    assert.equal(after.changes - before.changes, 1000);
    assert.ok(after.batches - before.batches < 1000, `changes shared commits (${after.batches - before.batches} batches)`);
  });
});

test('one invalid change in a batch fails alone; the others are committed', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'alias', type: 'CNAME', ttl: 60, records: ['www'] });
    const before = t.service.commitStats();
    // Started in one turn of the event loop, so they share one batch.
    const calls = [
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'a', type: 'A', ttl: 60, records: ['192.0.2.1'] }),
      t.service.invoke('addRecords', admin, { zone: 'example.com', name: 'alias', type: 'A', ttl: 60, records: ['192.0.2.2'] }),
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'b', type: 'A', ttl: 60, records: ['192.0.2.3'] }),
      t.service.invoke('deleteRRset', admin, { zone: 'example.com', name: 'nothing', type: 'A' }),
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'c', type: 'A', ttl: 60, records: ['192.0.2.4'] }),
    ];
    const settled = await Promise.allSettled(calls);
    const after = t.service.commitStats();
    assert.equal(after.batches - before.batches, 1, 'one transaction');
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
    const codes = settled.map((s) => (s.status === 'rejected' ? (s.reason as ServiceError).code : 'ok'));
    assert.deepEqual(codes, ['ok', 'INVALID_ARGUMENT', 'ok', 'NOT_FOUND', 'ok']);
    const serials = settled.flatMap((s) => (s.status === 'fulfilled' ? [[s.value.serialBefore, s.value.serialAfter]] : []));
    assert.deepEqual(serials, [[2026112202, 2026112203], [2026112203, 2026112204], [2026112204, 2026112205]]);
    assert.deepEqual([servedA(t, 'a.example.com.'), servedA(t, 'b.example.com.'), servedA(t, 'c.example.com.')],
      [['192.0.2.1'], ['192.0.2.3'], ['192.0.2.4']]);
    assert.deepEqual(servedA(t, 'alias.example.com.'), []);
    assert.equal(t.store.journalEntries(t.store.zoneHeader('example.com.')!.id).length, 5);
  });
});

test('a transaction that throws fails every caller of the batch with INTERNAL; nothing is written or swapped', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const snapshot = t.zones.get(ORIGIN);
    const generation = t.zones.generation;
    const write = t.store.write.bind(t.store);
    t.store.write = <T>(fn: Parameters<typeof write<T>>[0]): T => write((tx) => {
      fn(tx);
      throw new Error('Disk I/O error');
    });
    const settled = await Promise.allSettled([
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'a', type: 'A', ttl: 60, records: ['192.0.2.1'] }),
      t.service.invoke('createZone', admin, { zone: 'second.test', nameservers: ['ns1.example.net.'] }),
    ]);
    for (const s of settled) {
      assert.equal(s.status, 'rejected');
      const err = (s as PromiseRejectedResult).reason as ServiceError;
      assert.equal(err.code, 'INTERNAL');
      assert.match(err.message, /^change to zone "(example\.com|second\.test)\." not committed: disk I\/O error$/);
    }
    assert.equal(t.zones.get(ORIGIN), snapshot, 'the same snapshot is served');
    assert.equal(t.zones.generation, generation);
    assert.equal(t.zones.get(nameFromText('second.test.')), null);
    t.store.write = write;
    assert.equal(t.store.zoneHeader('second.test.'), null);
    assert.equal(t.store.zoneHeader('example.com.')!.serial, 2026112201);
    assert.deepEqual(storedA(t, 'a.example.com.'), []);
    assert.equal(t.store.auditEntries({ limit: 10 }).length, 1, 'only the creation is audited');
    // The writer goes on.
    const ok = await t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'a', type: 'A', ttl: 60, records: ['192.0.2.1'] });
    assert.equal(ok.serialAfter, 2026112202);
  });
});

test('a change is answered over DNS as soon as the call returns (the answer cache sees the new snapshot)', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const engine = createQueryEngine({ zones: t.zones });
    const ask = (id: number): Message => {
      const query: Message = {
        header: { id, qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, z: false, ad: false, cd: false },
        rcode: 0, questions: [{ name: nameFromText('www.example.com.'), type: RRType.A, class: 1 }],
        answers: [], authorities: [], additionals: [], edns: null,
      };
      return decodeMessage(engine.handle(encodeMessage(query), { transport: 'udp', remoteAddress: '192.0.2.9', remotePort: 53 }) as Uint8Array);
    };
    assert.equal(ask(1).rcode, 3, 'NXDOMAIN before');
    assert.equal(ask(2).rcode, 3, 'NXDOMAIN again (cached)');
    await t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.80'] });
    const answer = ask(3);
    assert.equal(answer.rcode, 0);
    assert.deepEqual(answer.answers.map((rr) => rdataToText(1, rr.rdata)), ['192.0.2.80']);
    await t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.81'] });
    assert.deepEqual(ask(4).answers.map((rr) => rdataToText(1, rr.rdata)), ['192.0.2.81']);
    const soa = ask(5);
    assert.equal(soa.answers.length, 1);
  });
});

test('a zone changed in SQLite by another process is read again before a change applies to it', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.1'] });
    // `mcns zone import` into the same database while the server runs.
    const other = openStore(t.path);
    const text = [
      '$ORIGIN example.com.', '@ 60 SOA ns1.example.net. hm 2026123100 3600 900 1209600 300', '@ 60 NS ns1.example.net.',
      'outside 60 A 192.0.2.200', '',
    ].join('\n');
    const { parseZoneFile } = await import('../wire/index.js');
    other.importZone(ORIGIN, parseZoneFile(text, { origin: ORIGIN, fileName: 'x' }).records);
    other.close();
    const result = await t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'new', type: 'A', ttl: 60, records: ['192.0.2.2'] });
    assert.deepEqual(result, { zone: 'example.com.', serialBefore: 2026123100, serialAfter: 2026123101 });
    assert.deepEqual(servedA(t, 'outside.example.com.'), ['192.0.2.200']);
    assert.deepEqual(servedA(t, 'www.example.com.'), [], 'the old content is not resurrected');
    assert.deepEqual(storedA(t, 'new.example.com.'), ['192.0.2.2']);
  });
});

test('changes to several zones in one batch each get their own serial and snapshot; NS below the apex rebuilds', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await t.service.invoke('createZone', admin, { zone: 'other.org', nameservers: ['ns1.example.net.'] });
    const [a, b, c] = await Promise.all([
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'sub', type: 'NS', ttl: 60, records: ['ns.sub'] }),
      t.service.invoke('replaceRRset', admin, { zone: 'other.org', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.1'] }),
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'ns.sub', type: 'A', ttl: 60, records: ['192.0.2.53'] }),
    ]);
    assert.deepEqual([a.serialAfter, b.serialAfter, c.serialAfter], [2026112202, 2026112202, 2026112203]);
    const snapshot = t.zones.get(ORIGIN)!;
    assert.equal(snapshot.serial, 2026112203);
    const glue = snapshot.nodes.get(nameLower(nameFromText('ns.sub.example.com.')))!;
    assert.ok((glue.flags & 2) !== 0, 'glue below the new cut is occluded');
  });
});

test('close waits for queued changes and refuses new ones with UNAVAILABLE', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const pending = t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'x', type: 'A', ttl: 60, records: ['192.0.2.1'] });
    await t.service.close();
    assert.equal((await pending).serialAfter, 2026112202);
    await assert.rejects(
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'y', type: 'A', ttl: 60, records: ['192.0.2.1'] }),
      (err: unknown) => err instanceof ServiceError && err.code === 'UNAVAILABLE',
    );
  });
});

test('a zone SQLite cannot give as a snapshot refuses edits, and a whole import repairs it; secondaries refuse changes', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await t.service.invoke('createZone', admin, { zone: 'sec.test', nameservers: ['ns1.example.net.'] });
    const db = new Database(t.path);
    // A hand edit: the apex SOA row removed, the serial moved so the served snapshot is stale.
    db.prepare("DELETE FROM records WHERE type = 6 AND name = 'example.com.'").run();
    db.prepare("UPDATE zones SET serial = serial + 5 WHERE name = 'example.com.'").run();
    db.prepare("UPDATE zones SET kind = 'secondary' WHERE name = 'sec.test.'").run();
    db.close();
    await assert.rejects(
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.1'] }),
      (err: unknown) => err instanceof ServiceError && err.code === 'FAILED_PRECONDITION' &&
        err.message === 'zone "example.com." cannot be read (no SOA record at its apex); import it again or delete it',
    );
    const text = '@ 60 SOA ns1.example.net. hm 1 3600 900 1209600 300\n@ 60 NS ns1.example.net.\nwww 60 A 192.0.2.7\n';
    const repaired = await t.service.invoke('importZone', admin, { zone: 'example.com', text });
    assert.equal(repaired.serialBefore, 2026112206);
    assert.equal(repaired.serialAfter, 2026112207);
    assert.deepEqual(servedA(t, 'www.example.com.'), ['192.0.2.7']);
    assert.equal(t.store.loadZoneRecords(t.store.zoneHeader('example.com.')!.id).length, 3, 'the old rows are gone');
    await assert.rejects(
      t.service.invoke('replaceRRset', admin, { zone: 'sec.test', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.1'] }),
      (err: unknown) => err instanceof ServiceError && err.code === 'FAILED_PRECONDITION' && err.message.includes('is a secondary zone'),
    );
  });
});

test('a listener that throws does not keep the change from its caller', async () => {
  await withTestService(async (t) => {
    const view = await t.service.invoke('createZone', admin, { zone: 'example.com', nameservers: ['ns1.example.net.'] });
    assert.equal(view.serial, 2026112201);
    assert.notEqual(t.zones.get(ORIGIN), null);
  }, { onZoneChanged: () => { throw new Error('listener broke'); } });
});

test('a batch takes at most maxBatch changes; the rest follow in the next one', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const before = t.service.commitStats();
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) =>
      t.service.invoke('replaceRRset', admin, { zone: 'example.com', name: `m${i}`, type: 'A', ttl: 60, records: ['192.0.2.1'] })));
    const after = t.service.commitStats();
    assert.equal(after.batches - before.batches, 3);
    assert.deepEqual(results.map((r) => r.serialAfter - 2026112201), [1, 2, 3, 4, 5, 6, 7]);
  }, { maxBatch: 3 });
});
