import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameFromText, nameLower } from '../wire/index.js';
import { OPERATIONS, type OperationIO, type OperationName } from './operations.js';
import { PRINCIPALS, TEST_NOW, withTestService, type TestService } from './open-test-service.js';
import { ServiceError, type Principal } from './types.js';

const admin = PRINCIPALS.admin;

/** Asserts that `promise` rejects with a ServiceError of `code` (and `field`, and a message containing `text`). */
async function rejects(promise: Promise<unknown>, code: ServiceError['code'], field?: string, text?: string): Promise<ServiceError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ServiceError, `expected a ServiceError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (field !== undefined) assert.equal(err.field, field, err.message);
    if (text !== undefined) assert.ok(err.message.includes(text), `"${err.message}" should include "${text}"`);
    return err;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

/** example.com. with www A and mail MX, made by an admin. */
async function exampleZone(t: TestService): Promise<void> {
  await t.service.invoke('createZone', admin, { zone: 'example.com', nameservers: ['ns1', 'ns2.example.net'] });
  await t.service.invoke('replaceRRset', admin, { zone: 'example.com.', name: 'www', type: 'A', ttl: 300, records: ['192.0.2.10'] });
  await t.service.invoke('replaceRRset', admin, { zone: 'example.com.', name: '@', type: 'MX', ttl: 300, records: ['10 mail'] });
}

function servedTypes(t: TestService, owner: string): number[] {
  const node = t.zones.get(nameFromText('example.com.'))?.nodes.get(nameLower(nameFromText(owner)));
  return node === undefined ? [] : [...node.rrsets.keys()];
}

test('health and ready need no principal', async () => {
  await withTestService(async ({ service }) => {
    assert.deepEqual(await service.invoke('health', null, {}), { status: 'ok' });
    assert.deepEqual(await service.invoke('ready', null, {}), { ready: true, reason: 'zones loaded' });
  });
});

test('createZone makes the SOA and NS records, with the date serial YYYYMMDD01', async () => {
  await withTestService(async (t) => {
    const view = await t.service.invoke('createZone', admin, { zone: 'Example.COM', nameservers: ['ns1', 'ns2.example.net'], ttl: 7200 });
    assert.deepEqual(view, {
      name: 'example.com.', serial: 2026112201, kind: 'primary', recordCount: 3,
      createdAt: TEST_NOW.toISOString(), updatedAt: TEST_NOW.toISOString(),
    });
    const { text } = await t.service.invoke('exportZone', admin, { zone: 'example.com.' });
    assert.equal(text, [
      '$ORIGIN example.com.',
      '@\t7200\tIN\tSOA\tns1.example.com. hostmaster.example.com. 2026112201 3600 900 1209600 300',
      '@\t7200\tIN\tNS\tns1.example.com.',
      '@\t7200\tIN\tNS\tns2.example.net.',
      '',
    ].join('\n'));
    await t.service.invoke('createZone', admin, { zone: 'other.org', nameservers: ['ns.example.net.'], email: 'dns.admin@example.net' });
    const soa = await t.service.invoke('getRRset', admin, { zone: 'other.org', name: '@', type: 'SOA' });
    assert.equal(soa.records[0], 'ns.example.net. dns\\.admin.example.net. 2026112201 3600 900 1209600 300');
    assert.equal(soa.ttl, 3600);
    assert.deepEqual(t.changed.length, 2, 'onZoneChanged once per created zone');
  });
});

test('createZone refuses an existing zone and a zone without nameservers', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await rejects(t.service.invoke('createZone', admin, { zone: 'example.com.', nameservers: ['ns1'] }), 'ALREADY_EXISTS', 'zone',
      'zone "example.com." already exists');
    await rejects(t.service.invoke('createZone', admin, { zone: 'new.test.', nameservers: [] }), 'INVALID_ARGUMENT', 'nameservers',
      'needs at least one nameserver');
    await rejects(t.service.invoke('createZone', admin, { zone: 'new.test.' }), 'INVALID_ARGUMENT', 'nameservers');
    await rejects(t.service.invoke('createZone', admin, { zone: 'new.test.', nameservers: ['a..b'] }), 'INVALID_ARGUMENT', 'nameservers[0]');
    await rejects(t.service.invoke('createZone', admin, { zone: 'new.test.', nameservers: ['ns1'], ttl: -5 }), 'INVALID_ARGUMENT', 'ttl');
  });
});

test('getZone, listZones with a filter, pages and the caller\'s scope', async () => {
  await withTestService(async (t) => {
    for (const zone of ['a.test', 'b.test', 'c.test', 'example.com', 'other.org']) {
      await t.service.invoke('createZone', admin, { zone, nameservers: ['ns.example.net.'] });
    }
    assert.equal((await t.service.invoke('getZone', admin, { zone: 'B.TEST' })).name, 'b.test.');
    await rejects(t.service.invoke('getZone', admin, { zone: 'missing.test' }), 'NOT_FOUND', 'zone', 'zone "missing.test." not found');

    const names: string[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await t.service.invoke('listZones', admin, { pageSize: 2, pageToken });
      names.push(...page.items.map((z) => z.name));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== '');
    assert.deepEqual(names, ['a.test.', 'b.test.', 'c.test.', 'example.com.', 'other.org.']);
    assert.equal(pages, 3);

    const filtered = await t.service.invoke('listZones', admin, { filter: '.TEST' });
    assert.deepEqual(filtered.items.map((z) => z.name), ['a.test.', 'b.test.', 'c.test.']);
    const scoped = await t.service.invoke('listZones', PRINCIPALS.editorZone, {});
    assert.deepEqual(scoped.items.map((z) => z.name), ['example.com.']);
    assert.equal(scoped.items[0]!.recordCount, 2);
  });
});

test('deleteZone removes the zone from SQLite and from DNS; the audit log keeps its entries', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    assert.deepEqual(await t.service.invoke('deleteZone', admin, { zone: 'example.com' }), {});
    assert.equal(t.zones.get(nameFromText('example.com.')), null);
    assert.equal(t.store.zoneHeader('example.com.'), null);
    await rejects(t.service.invoke('getZone', admin, { zone: 'example.com' }), 'NOT_FOUND');
    await rejects(t.service.invoke('deleteZone', admin, { zone: 'example.com' }), 'NOT_FOUND', 'zone');
    const audit = await t.service.invoke('listAudit', admin, { zone: 'example.com.' });
    assert.deepEqual(audit.items.map((e) => e.operation), ['deleteZone', 'replaceRRset', 'replaceRRset', 'createZone']);
    assert.equal(audit.items[0]!.serialAfter, null);
    assert.equal(audit.items[0]!.serialBefore, 2026112203);
  });
});

test('replaceRRset, addRecords, removeRecords and deleteRRset change DNS before they return', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const replaced = await t.service.invoke('replaceRRset', admin, {
      zone: 'example.com', name: 'www.example.com', type: 'a', ttl: 60, records: ['192.0.2.1', '192.0.2.2', '192.0.2.1'],
    });
    assert.deepEqual(replaced, { zone: 'example.com.', serialBefore: 2026112203, serialAfter: 2026112204 });
    assert.deepEqual(await t.service.invoke('getRRset', admin, { zone: 'example.com', name: 'www', type: 'A' }),
      { name: 'www.example.com.', type: 'A', ttl: 60, records: ['192.0.2.1', '192.0.2.2'] }, 'duplicates collapse');

    await t.service.invoke('addRecords', admin, { zone: 'example.com', name: 'www', type: 'A', ttl: 120, records: ['192.0.2.3', '192.0.2.1'] });
    assert.deepEqual(await t.service.invoke('getRRset', admin, { zone: 'example.com', name: 'www', type: 'A' }),
      { name: 'www.example.com.', type: 'A', ttl: 120, records: ['192.0.2.1', '192.0.2.2', '192.0.2.3'] }, 'one TTL for the set');

    await t.service.invoke('removeRecords', admin, { zone: 'example.com', name: 'www', type: 'A', records: ['192.0.2.1', '192.0.2.3'] });
    assert.deepEqual((await t.service.invoke('getRRset', admin, { zone: 'example.com', name: 'www', type: 'A' })).records, ['192.0.2.2']);
    await t.service.invoke('removeRecords', admin, { zone: 'example.com', name: 'www', type: 'A', records: ['192.0.2.2'] });
    assert.deepEqual(servedTypes(t, 'www.example.com.'), [], 'removing the last record removes the RRset');

    await t.service.invoke('addRecords', admin, { zone: 'example.com', name: 'txt', type: 'TXT', ttl: 60, records: ['"v=spf1 -all"'] });
    const deleted = await t.service.invoke('deleteRRset', admin, { zone: 'example.com', name: 'txt', type: 'TXT' });
    assert.equal(deleted.serialAfter, deleted.serialBefore + 1);
    assert.deepEqual(servedTypes(t, 'txt.example.com.'), []);
    assert.equal((await t.service.invoke('getZone', admin, { zone: 'example.com' })).serial, deleted.serialAfter);
    await rejects(t.service.invoke('deleteRRset', admin, { zone: 'example.com', name: 'txt', type: 'TXT' }), 'NOT_FOUND', 'name',
      'rrset "txt.example.com." TXT not found in zone "example.com."');
    await rejects(t.service.invoke('removeRecords', admin, { zone: 'example.com', name: '@', type: 'MX', records: ['10 mail', '20 other'] }),
      'NOT_FOUND', 'records[1]');
  });
});

test('listRRsets: canonical order, owner and type filters, pages', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await t.service.invoke('applyChanges', admin, {
      zone: 'example.com', changes: [
        { op: 'replace', name: 'b', type: 'A', ttl: 60, records: ['192.0.2.2'] },
        { op: 'replace', name: 'a', type: 'TXT', ttl: 60, records: ['"a"'] },
        { op: 'replace', name: 'a', type: 'A', ttl: 60, records: ['192.0.2.1'] },
        { op: 'replace', name: 'z.a', type: 'A', ttl: 60, records: ['192.0.2.3'] },
      ],
    });
    const all = await t.service.invoke('listRRsets', admin, { zone: 'example.com' });
    assert.deepEqual(all.items.map((s) => `${s.name} ${s.type}`), [
      'example.com. NS', 'example.com. SOA', 'example.com. MX', 'a.example.com. A', 'a.example.com. TXT', 'z.a.example.com. A',
      'b.example.com. A', 'www.example.com. A',
    ]);
    const seen: string[] = [];
    let pageToken = '';
    do {
      const page = await t.service.invoke('listRRsets', admin, { zone: 'example.com', pageSize: 3, pageToken });
      seen.push(...page.items.map((s) => `${s.name} ${s.type}`));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    assert.deepEqual(seen, all.items.map((s) => `${s.name} ${s.type}`));
    const byType = await t.service.invoke('listRRsets', admin, { zone: 'example.com', type: 'A', pageSize: 2 });
    assert.deepEqual(byType.items.map((s) => s.name), ['a.example.com.', 'z.a.example.com.']);
    const next = await t.service.invoke('listRRsets', admin, { zone: 'example.com', type: 'A', pageSize: 2, pageToken: byType.nextPageToken });
    assert.deepEqual(next.items.map((s) => s.name), ['b.example.com.', 'www.example.com.']);
    const byName = await t.service.invoke('listRRsets', admin, { zone: 'example.com', name: 'a' });
    assert.deepEqual(byName.items.map((s) => s.type), ['A', 'TXT']);
  });
});

test('applyChanges is all or nothing, with one serial, one journal entry and one audit entry', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const result = await t.service.invoke('applyChanges', PRINCIPALS.editorZone, {
      zone: 'example.com', expectedSerial: 2026112203, changes: [
        { op: 'delete', name: 'www', type: 'A' },
        { op: 'replace', name: 'www', type: 'CNAME', ttl: 300, records: ['web.example.net.'] },
        { op: 'add', name: 'api', type: 'AAAA', ttl: 60, records: ['2001:db8::1'] },
      ],
    });
    assert.deepEqual(result, { zone: 'example.com.', serialBefore: 2026112203, serialAfter: 2026112204 });
    assert.deepEqual(servedTypes(t, 'www.example.com.'), [5]);
    const zoneId = t.store.zoneHeader('example.com.')!.id;
    const journal = t.store.journalEntries(zoneId);
    const last = journal[journal.length - 1]!;
    assert.equal(last.serialBefore, 2026112203);
    assert.equal(last.serialAfter, 2026112204);
    assert.deepEqual(last.changeset.deleted.map((r) => r.type), [6, 1], 'old SOA first, then www A');
    assert.deepEqual(last.changeset.added.map((r) => r.type).sort((a, b) => a - b), [5, 6, 28]);
    const audit = await t.service.invoke('listAudit', admin, { pageSize: 1 });
    assert.equal(audit.items[0]!.principal, 'deploy');
    assert.equal(audit.items[0]!.operation, 'applyChanges');
    assert.match(audit.items[0]!.summary, /^delete www\.example\.com\. A; replace www\.example\.com\. CNAME \(1 record\); add api/);

    // A CNAME beside the A the second change adds: the whole batch is refused.
    await rejects(t.service.invoke('applyChanges', admin, {
      zone: 'example.com', changes: [
        { op: 'add', name: 'new', type: 'TXT', ttl: 60, records: ['"x"'] },
        { op: 'add', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.9'] },
      ],
    }), 'INVALID_ARGUMENT', 'changes[1]', '"www.example.com." cannot own a CNAME record beside A records');
    assert.deepEqual(servedTypes(t, 'new.example.com.'), []);
    assert.equal((await t.service.invoke('getZone', admin, { zone: 'example.com' })).serial, 2026112204);
  });
});

test('an expected serial that is not the current one aborts the change', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await rejects(t.service.invoke('replaceRRset', admin, {
      zone: 'example.com', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.99'], expectedSerial: 2026112202,
    }), 'ABORTED', 'expectedSerial', 'zone "example.com." is at serial 2026112203, not the expected 2026112202');
    assert.deepEqual((await t.service.invoke('getRRset', admin, { zone: 'example.com', name: 'www', type: 'A' })).records, ['192.0.2.10']);
    const ok = await t.service.invoke('deleteRRset', admin, { zone: 'example.com', name: 'www', type: 'A', expectedSerial: 2026112203 });
    assert.equal(ok.serialAfter, 2026112204);
  });
});

test('importZone replaces every record through the write path and keeps a greater file serial', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const text = '$ORIGIN example.com.\n$TTL 600\n@ SOA ns1 hostmaster 2026120100 3600 900 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\nnew TXT "caf\u00e9"\n';
    const result = await t.service.invoke('importZone', PRINCIPALS.editorZone, { zone: 'example.com', text });
    assert.deepEqual(result, { zone: 'example.com.', serialBefore: 2026112203, serialAfter: 2026120100, recordCount: 4 });
    assert.deepEqual(servedTypes(t, 'www.example.com.'), [], 'records not in the file are gone');
    assert.deepEqual((await t.service.invoke('getRRset', admin, { zone: 'example.com', name: 'new', type: 'TXT' })).records,
      ['"caf\\195\\169"'], 'UTF-8 text keeps its bytes');
    const stored = t.store.loadZoneRecords(t.store.zoneHeader('example.com.')!.id);
    assert.equal(stored.length, 4);
    // The same file again: its serial is not greater, so the date rule bumps it.
    const again = await t.service.invoke('importZone', admin, { zone: 'example.com', text });
    assert.equal(again.serialAfter, 2026120101);
    // Exported text imports back to the same content.
    const exported = (await t.service.invoke('exportZone', admin, { zone: 'example.com' })).text;
    await t.service.invoke('importZone', admin, { zone: 'example.com', text: exported });
    assert.equal((await t.service.invoke('exportZone', admin, { zone: 'example.com' })).text.replace(/2026120\d+/, 'S'),
      exported.replace(/2026120\d+/, 'S'));
  });
});

test('importZone creates a missing zone for an admin only, with the file\'s serial', async () => {
  await withTestService(async (t) => {
    const text = '@ 300 SOA ns1 hostmaster 7 3600 900 1209600 300\n@ 300 NS ns1\nns1 300 A 192.0.2.1\n';
    await rejects(t.service.invoke('importZone', PRINCIPALS.editorAll, { zone: 'fresh.test', text }), 'PERMISSION_DENIED', 'zone',
      'principal "alice@example.com" may not create zone "fresh.test." (needs admin)');
    const created = await t.service.invoke('importZone', admin, { zone: 'fresh.test', text });
    assert.deepEqual(created, { zone: 'fresh.test.', serialBefore: 0, serialAfter: 7, recordCount: 3 });
    assert.equal(t.zones.get(nameFromText('fresh.test.'))?.serial, 7);
  });
});

test('importZone refuses bad text with file:line:column and changes nothing', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    const before = (await t.service.invoke('exportZone', admin, { zone: 'example.com' })).text;
    await rejects(t.service.invoke('importZone', admin, {
      zone: 'example.com', text: '$TTL 60\n@ SOA ns1 hostmaster 1 2 3 4 5\nwww A 192.0.2.300\n',
    }), 'INVALID_ARGUMENT', 'text', 'zone "example.com." not imported: text:3:');
    await rejects(t.service.invoke('importZone', admin, {
      zone: 'example.com', text: '$TTL 60\n@ SOA ns1 hostmaster 1 2 3 4 5\n@ NS ns1\nwww CNAME x.\nwww A 192.0.2.1\n',
    }), 'INVALID_ARGUMENT', 'text', 'has a CNAME and');
    await rejects(t.service.invoke('importZone', admin, { zone: 'example.com', text: '$INCLUDE /etc/passwd\n' }), 'INVALID_ARGUMENT', 'text');
    await rejects(t.service.invoke('importZone', admin, { zone: 'example.com', text: '$TTL 60\n@ NS ns1\n' }), 'INVALID_ARGUMENT', 'text',
      'no SOA record');
    assert.equal((await t.service.invoke('exportZone', admin, { zone: 'example.com' })).text, before);
    assert.equal(t.store.zoneHeader('example.com.')!.serial, 2026112203);
  });
});

test('listAudit: newest first, a zone filter, pages, serials of each change', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await t.service.invoke('createZone', admin, { zone: 'other.org', nameservers: ['ns.example.net.'] });
    const ids: number[] = [];
    let pageToken = '';
    do {
      const page = await t.service.invoke('listAudit', admin, { pageSize: 2, pageToken });
      ids.push(...page.items.map((e) => e.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== '');
    assert.deepEqual(ids, [4, 3, 2, 1]);
    const ofZone = await t.service.invoke('listAudit', admin, { zone: 'example.com' });
    assert.deepEqual(ofZone.items.map((e) => [e.operation, e.serialBefore, e.serialAfter, e.zone, e.time]), [
      ['replaceRRset', 2026112202, 2026112203, 'example.com.', TEST_NOW.toISOString()],
      ['replaceRRset', 2026112201, 2026112202, 'example.com.', TEST_NOW.toISOString()],
      ['createZone', null, 2026112201, 'example.com.', TEST_NOW.toISOString()],
    ]);
    assert.equal(ofZone.items[0]!.summary, 'replace example.com. MX (1 record)');
    assert.equal(ofZone.items[0]!.principal, 'root');
  });
});

test('createToken, listTokens and revokeToken go to the token store and the audit log', async () => {
  await withTestService(async (t) => {
    const created = await t.service.invoke('createToken', admin, { name: 'ci', role: 'editor', zones: ['Example.COM'], ttlSeconds: 3600 });
    assert.equal(created.secret, 'mcns_t1_secret');
    assert.deepEqual(created.token.zones, ['example.com.'], 'zones normalized');
    await t.service.invoke('createToken', admin, { name: 'dash', role: 'viewer' });
    const page = await t.service.invoke('listTokens', admin, { pageSize: 1 });
    assert.deepEqual(page.items.map((tk) => tk.id), ['t1']);
    const rest = await t.service.invoke('listTokens', admin, { pageToken: page.nextPageToken });
    assert.deepEqual(rest.items.map((tk) => tk.id), ['t2']);
    assert.deepEqual(await t.service.invoke('revokeToken', admin, { id: 't1' }), {});
    await rejects(t.service.invoke('revokeToken', admin, { id: 'nope' }), 'NOT_FOUND', 'id', 'token "nope" not found');
    await rejects(t.service.invoke('createToken', admin, { name: 'x', role: 'root' as 'admin' }), 'INVALID_ARGUMENT', 'role');
    await rejects(t.service.invoke('createToken', admin, { name: '', role: 'viewer' }), 'INVALID_ARGUMENT', 'name');
    await rejects(t.service.invoke('createToken', admin, { name: 'x', role: 'viewer', ttlSeconds: 0 }), 'INVALID_ARGUMENT', 'ttlSeconds');
    const audit = await t.service.invoke('listAudit', admin, {});
    assert.deepEqual(audit.items.map((e) => e.operation), ['revokeToken', 'createToken', 'createToken']);
    assert.equal(audit.items[2]!.summary, 'create token "ci" (t1, editor, zones example.com.)');
  });
});

test('token operations without a token store fail with FAILED_PRECONDITION', async () => {
  await withTestService(async (t) => {
    await rejects(t.service.invoke('listTokens', admin, {}), 'FAILED_PRECONDITION');
  }, { tokens: undefined });
});

/** Each validation error: operation, input, field, part of the message. */
const INVALID: readonly [string, OperationName, Record<string, unknown>, string, string][] = [
  ['bad zone name', 'getZone', { zone: 'a..b' }, 'zone', 'zone name "a..b" is not valid'],
  ['zone not text', 'getZone', { zone: 5 }, 'zone', 'zone must be a zone name'],
  ['owner outside the zone', 'replaceRRset', { zone: 'example.com', name: 'www.other.org.', type: 'A', ttl: 1, records: ['192.0.2.1'] },
    'name', 'name "www.other.org." is outside zone "example.com."'],
  ['label too long', 'getRRset', { zone: 'example.com', name: 'x'.repeat(64), type: 'A' }, 'name', 'label of 64 bytes'],
  ['name too long', 'getRRset', { zone: 'example.com', name: Array(70).fill('abc').join('.'), type: 'A' }, 'name', 'limit 255'],
  ['negative TTL', 'replaceRRset', { zone: 'example.com', name: 'www', type: 'A', ttl: -1, records: ['192.0.2.1'] }, 'ttl', 'ttl must be >= 0'],
  ['TTL above 2^31-1', 'addRecords', { zone: 'example.com', name: 'www', type: 'A', ttl: 2147483648, records: ['192.0.2.1'] }, 'ttl', 'ttl must be <= 2147483647'],
  ['fractional TTL', 'addRecords', { zone: 'example.com', name: 'www', type: 'A', ttl: 1.5, records: ['192.0.2.1'] }, 'ttl', 'ttl must be integer'],
  ['unknown type', 'replaceRRset', { zone: 'example.com', name: 'www', type: 'BOGUS', ttl: 1, records: ['x'] }, 'type',
    'type "BOGUS" is not a known record type'],
  ['meta type', 'getRRset', { zone: 'example.com', name: 'www', type: 'ANY' }, 'type', 'meta or query type'],
  ['bad RDATA', 'replaceRRset', { zone: 'example.com', name: 'www', type: 'A', ttl: 1, records: ['192.0.2.1', '192.0.2.256'] },
    'records[1]', 'record "192.0.2.256" is not valid A rdata: '],
  ['unbalanced quote', 'addRecords', { zone: 'example.com', name: 't', type: 'TXT', ttl: 1, records: ['"open'] }, 'records[0]', 'TXT rdata'],
  ['no records', 'replaceRRset', { zone: 'example.com', name: 'www', type: 'A', ttl: 1, records: [] }, 'records', 'at least one record'],
  ['page size 0', 'listZones', { pageSize: 0 }, 'pageSize', 'pageSize must be >= 1'],
  ['page size 1001', 'listRRsets', { zone: 'example.com', pageSize: 1001 }, 'pageSize', 'pageSize must be <= 1000'],
  ['foreign page token', 'listZones', { pageToken: 'bm9wZQ' }, 'pageToken', 'was not made by listZones'],
  ['bad change op', 'applyChanges', { zone: 'example.com', changes: [{ op: 'upsert', name: 'a', type: 'A' }] }, 'changes[0].op', 'op "upsert"'],
  ['bad change TTL', 'applyChanges', {
    zone: 'example.com', changes: [{ op: 'delete', name: 'www', type: 'A' }, { op: 'add', name: 'a', type: 'A', ttl: 'x', records: ['192.0.2.1'] }],
  }, 'changes[1].ttl', 'changes[1].ttl must be integer'],
  ['no changes', 'applyChanges', { zone: 'example.com', changes: [] }, 'changes', 'at least one change'],
  ['negative expected serial', 'deleteRRset', { zone: 'example.com', name: 'www', type: 'A', expectedSerial: -1 }, 'expectedSerial', 'expected serial -1'],
  ['import text missing', 'importZone', { zone: 'example.com' }, 'text', 'text must be'],
  ['audit zone bad', 'listAudit', { zone: '..' }, 'zone', 'is not valid'],
];

test('invalid input is refused with INVALID_ARGUMENT naming the field', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    for (const [what, name, input, field, text] of INVALID) {
      const err = await rejects(t.service.invoke(name, admin, input as never), 'INVALID_ARGUMENT');
      assert.equal(err.field, field, `${what}: ${err.message}`);
      assert.ok(err.message.includes(text), `${what}: "${err.message}" should include "${text}"`);
      assert.equal(err.message, err.message.charAt(0).toLowerCase() + err.message.slice(1), `${what}: lowercase message`);
    }
    assert.equal(t.store.zoneHeader('example.com.')!.serial, 2026112203, 'nothing changed');
  });
});

/** Changes the zone's rules refuse: input, field, part of the message. */
const REFUSED: readonly [string, OperationName, Record<string, unknown>, string, string][] = [
  ['CNAME beside data', 'replaceRRset', { name: 'www', type: 'CNAME', ttl: 60, records: ['x.example.net.'] }, 'name',
    '"www.example.com." cannot own a CNAME record beside A records (RFC 2181 10.1)'],
  ['data beside a CNAME', 'addRecords', { name: 'alias', type: 'TXT', ttl: 60, records: ['"x"'] }, 'name', 'cannot own a CNAME record beside TXT'],
  ['two CNAME records', 'addRecords', { name: 'alias', type: 'CNAME', ttl: 60, records: ['y.example.net.'] }, 'name', 'may own one CNAME record, not 2'],
  ['CNAME at the apex', 'replaceRRset', { name: '@', type: 'CNAME', ttl: 60, records: ['x.example.net.'] }, 'name', 'cannot own a CNAME record'],
  ['SOA below the apex', 'replaceRRset', { name: 'www', type: 'SOA', ttl: 60, records: ['a. b. 1 2 3 4 5'] }, 'name',
    '"www.example.com." cannot own an SOA record: only the apex of zone "example.com." does'],
  ['two SOA records', 'addRecords', { name: '@', type: 'SOA', ttl: 60, records: ['a. b. 1 2 3 4 5'] }, 'name', 'exactly one SOA record, not 2'],
  ['SOA deleted', 'deleteRRset', { name: '@', type: 'SOA' }, 'name', 'the SOA record of zone "example.com." cannot be deleted'],
  ['apex NS deleted', 'deleteRRset', { name: '@', type: 'NS' }, 'name', 'the NS records at the apex of zone "example.com." cannot all be deleted'],
  ['last apex NS removed', 'removeRecords', { name: '@', type: 'NS', records: ['ns1', 'ns2.example.net.'] }, 'name', 'cannot all be deleted'],
  ['DNAME with data below', 'replaceRRset', { name: 'sub', type: 'DNAME', ttl: 60, records: ['example.net.'] }, 'name',
    'cannot own a DNAME record: names below it own records'],
  ['data below a DNAME', 'replaceRRset', { name: 'x.dn', type: 'A', ttl: 60, records: ['192.0.2.1'] }, 'name',
    'is below the DNAME at "dn.example.com."'],
  ['two DNAME records', 'addRecords', { name: 'dn', type: 'DNAME', ttl: 60, records: ['other.example.'] }, 'name', 'may own one DNAME record'],
  ['DNAME beside NS', 'addRecords', { name: 'dn', type: 'NS', ttl: 60, records: ['ns.example.net.'] }, 'name',
    'cannot own a DNAME record beside NS records below the apex'],
  ['NS at a wildcard', 'replaceRRset', { name: '*.w', type: 'NS', ttl: 60, records: ['ns.example.net.'] }, 'name',
    'wildcard "*.w.example.com." cannot own NS records'],
];

test('changes that break the zone\'s rules are refused and change nothing', async () => {
  await withTestService(async (t) => {
    await exampleZone(t);
    await t.service.invoke('applyChanges', admin, {
      zone: 'example.com', changes: [
        { op: 'replace', name: 'alias', type: 'CNAME', ttl: 60, records: ['www'] },
        { op: 'replace', name: 'a.sub', type: 'A', ttl: 60, records: ['192.0.2.5'] },
        { op: 'replace', name: 'dn', type: 'DNAME', ttl: 60, records: ['example.net.'] },
      ],
    });
    const serial = t.store.zoneHeader('example.com.')!.serial;
    for (const [what, name, input, field, text] of REFUSED) {
      const err = await rejects(t.service.invoke(name, admin, { zone: 'example.com', ...input } as never), 'INVALID_ARGUMENT');
      assert.equal(err.field, field, `${what}: ${err.message}`);
      assert.ok(err.message.includes(text), `${what}: "${err.message}" should include "${text}"`);
    }
    assert.equal(t.store.zoneHeader('example.com.')!.serial, serial);
    assert.equal(t.zones.get(nameFromText('example.com.'))!.serial, serial);
  });
});

/** A valid input of every operation against example.com. (the compiler asks for a new operation's). */
const SAMPLE_INPUT: { readonly [N in OperationName]: OperationIO[N]['input'] } = {
  health: {},
  ready: {},
  listZones: {},
  getZone: { zone: 'example.com.' },
  createZone: { zone: 'new.example.', nameservers: ['ns1.example.net.'] },
  deleteZone: { zone: 'example.com.' },
  importZone: { zone: 'example.com.', text: '@ 60 SOA ns1 hm 9 1 1 1 1\n@ 60 NS ns1.example.net.\n' },
  exportZone: { zone: 'example.com.' },
  listRRsets: { zone: 'example.com.' },
  getRRset: { zone: 'example.com.', name: 'www', type: 'A' },
  replaceRRset: { zone: 'example.com.', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.7'] },
  deleteRRset: { zone: 'example.com.', name: 'www', type: 'A' },
  addRecords: { zone: 'example.com.', name: 'www', type: 'A', ttl: 60, records: ['192.0.2.8'] },
  removeRecords: { zone: 'example.com.', name: 'www', type: 'A', records: ['192.0.2.10'] },
  applyChanges: { zone: 'example.com.', changes: [{ op: 'delete', name: 'www', type: 'A' }] },
  listAudit: {},
  createToken: { name: 'new', role: 'viewer' },
  listTokens: {},
  revokeToken: { id: 't1' },
  flushCache: { name: 'www.example.net.' },
  showCache: { name: 'www.example.net.' },
  createSnapshot: {},
};

/** What the authorization rules expect of `principal` calling `spec`: allowed, or the refusal's code. */
function expectedAccess(spec: (typeof OPERATIONS)[number], who: keyof typeof PRINCIPALS | 'none'): 'ok' | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' {
  if (spec.permission === 'public') return 'ok';
  if (who === 'none') return 'UNAUTHENTICATED';
  const principal: Principal = PRINCIPALS[who];
  const level = { viewer: 1, editor: 2, admin: 3 }[principal.role];
  const needs = { read: 1, write: 2, admin: 3 }[spec.permission];
  if (level < needs) return 'PERMISSION_DENIED';
  if (spec.zoneScoped && principal.zones !== null && !principal.zones.includes('example.com.')) return 'PERMISSION_DENIED';
  return 'ok';
}

test('authorization: every operation of the table for no principal, viewer, editors in and out of scope, admin', async () => {
  const who = ['none', 'viewer', 'editorOther', 'editorZone', 'admin'] as const;
  for (const spec of OPERATIONS) {
    for (const caller of who) {
      await withTestService(async (t) => {
        await exampleZone(t);
        await t.service.invoke('createToken', admin, { name: 'seed', role: 'viewer' });
        const principal = caller === 'none' ? null : PRINCIPALS[caller];
        const expected = expectedAccess(spec, caller);
        const label = `${spec.name} as ${caller}`;
        try {
          await t.service.invoke(spec.name, principal, SAMPLE_INPUT[spec.name] as never);
          assert.equal(expected, 'ok', `${label} should be refused with ${expected}`);
        } catch (err) {
          assert.ok(err instanceof ServiceError, `${label}: ${String(err)}`);
          assert.equal(err.code, expected, `${label}: ${err.message}`);
        }
        if (expected === 'PERMISSION_DENIED' && caller === 'editorOther' && spec.zoneScoped && spec.permission !== 'admin') {
          const verb = spec.permission === 'read' ? 'read' : 'change';
          await rejects(t.service.invoke(spec.name, principal, SAMPLE_INPUT[spec.name] as never), 'PERMISSION_DENIED', undefined,
            `token "ci" may not ${verb} zone "example.com."`);
        }
      });
    }
  }
});

test('a refused role names the principal, its role and the operation', async () => {
  await withTestService(async (t) => {
    await rejects(t.service.invoke('replaceRRset', PRINCIPALS.viewer, SAMPLE_INPUT.replaceRRset), 'PERMISSION_DENIED', undefined,
      'token "dash" with role viewer may not call "replaceRRset" (needs write)');
    await rejects(t.service.invoke('getZone', null, { zone: 'example.com' }), 'UNAUTHENTICATED', undefined, 'operation "getZone" needs a credential');
  });
});

test('authenticate maps the auth layer\'s answers to UNAUTHENTICATED or UNAVAILABLE', async () => {
  const alice = PRINCIPALS.editorAll;
  await withTestService(async (t) => {
    assert.deepEqual(await t.service.authenticate('good'), alice);
    await rejects(t.service.authenticate(''), 'UNAUTHENTICATED', undefined, 'no credential given');
    await rejects(t.service.authenticate(null), 'UNAUTHENTICATED');
    await rejects(t.service.authenticate('down'), 'UNAVAILABLE', undefined, 'identity provider unreachable');
    await rejects(t.service.authenticate('revoked'), 'UNAUTHENTICATED', undefined, 'credential not accepted: token revoked');
  }, {
    authenticate: async (credential) => {
      if (credential === 'good') return alice;
      if (credential === 'down') throw Object.assign(new Error('identity provider unreachable'), { code: 'UNAVAILABLE' });
      throw Object.assign(new Error('token revoked'), { code: 'REVOKED' });
    },
  });
  await withTestService(async (t) => {
    await rejects(t.service.authenticate('anything'), 'UNAUTHENTICATED', undefined, 'accepts no credentials');
  });
});
