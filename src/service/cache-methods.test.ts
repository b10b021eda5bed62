import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameFromText } from '../wire/index.js';
import { memoryForwarderCache, PRINCIPALS, withTestService } from './open-test-service.js';
import type { CacheEntryReport } from './service-context.js';
import { ServiceError } from './types.js';

const admin = PRINCIPALS.admin;

/** A fresh positive A answer, as the forwarder reports it. */
const A_ENTRY: CacheEntryReport = {
  type: 1, class: 1, rcode: 0, negative: false, ttlLeft: 280, stale: false, dnssecOk: false, checkingDisabled: false, bytes: 120,
};
/** A cached NXDOMAIN (the seed 004 case: a name asked for before its record was added). */
const NX_ENTRY: CacheEntryReport = {
  type: 28, class: 1, rcode: 3, negative: true, ttlLeft: -5, stale: true, dnssecOk: true, checkingDisabled: false, bytes: 90,
};

/** A cache holding www.example.net. (A, and AAAA NXDOMAIN), a.b.example.net. and example.org. */
function filledCache(): ReturnType<typeof memoryForwarderCache> {
  const cache = memoryForwarderCache();
  cache.put(nameFromText('www.example.net.'), A_ENTRY);
  cache.put(nameFromText('WWW.Example.NET.'), NX_ENTRY);
  cache.put(nameFromText('a.b.example.net.'), A_ENTRY);
  cache.put(nameFromText('example.org.'), A_ENTRY);
  return cache;
}

async function rejects(promise: Promise<unknown>, code: ServiceError['code'], field: string | undefined, text: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ServiceError, String(err));
    assert.equal(err.code, code, err.message);
    assert.equal(err.field, field, err.message);
    assert.ok(err.message.includes(text), `"${err.message}" should include "${text}"`);
    return true;
  });
}

test('showCache lists every entry of the name with type, class and rcode as mnemonics, any case and without the trailing dot', async () => {
  await withTestService(async ({ service }) => {
    const { entries } = await service.invoke('showCache', PRINCIPALS.viewer, { name: 'Www.Example.Net' });
    assert.deepEqual(entries, [
      { type: 'A', class: 'IN', rcode: 'NOERROR', negative: false, ttlRemaining: 280, stale: false, dnssecOk: false, checkingDisabled: false, bytes: 120 },
      { type: 'AAAA', class: 'IN', rcode: 'NXDOMAIN', negative: true, ttlRemaining: -5, stale: true, dnssecOk: true, checkingDisabled: false, bytes: 90 },
    ]);
    assert.deepEqual(await service.invoke('showCache', PRINCIPALS.viewer, { name: 'b.example.net.' }), { entries: [] });
  }, { cache: filledCache() });
});

test('flushCache drops one name, a subtree, or everything, and says how many entries went', async () => {
  await withTestService(async ({ service }) => {
    assert.deepEqual(await service.invoke('flushCache', admin, { name: 'b.example.net.' }), { flushed: 0 });
    assert.deepEqual(await service.invoke('flushCache', admin, { name: 'www.example.net' }), { flushed: 2 });
    assert.deepEqual(await service.invoke('showCache', admin, { name: 'www.example.net' }), { entries: [] });
    assert.deepEqual(await service.invoke('flushCache', admin, { name: 'example.net', subtree: true }), { flushed: 1 });
    assert.equal((await service.invoke('showCache', admin, { name: 'example.org' })).entries.length, 1);
    assert.deepEqual(await service.invoke('flushCache', admin, {}), { flushed: 1 });
  }, { cache: filledCache() });
});

test('each flush is audited: who flushed what, and how many entries went', async () => {
  await withTestService(async ({ service }) => {
    await service.invoke('flushCache', admin, { name: 'WWW.example.net.' });
    await service.invoke('flushCache', admin, { name: 'example.net', subtree: true });
    await service.invoke('flushCache', admin, { subtree: true });
    const { items } = await service.invoke('listAudit', admin, {});
    assert.deepEqual(items.map((e) => [e.principal, e.operation, e.zone, e.summary]), [
      ['root', 'flushCache', null, 'flush cache: all (1 entry)'],
      ['root', 'flushCache', null, 'flush cache: example.net. and below (1 entry)'],
      ['root', 'flushCache', null, 'flush cache: www.example.net. (2 entries)'],
    ]);
  }, { cache: filledCache() });
});

test('a malformed name or subtree is INVALID_ARGUMENT naming the field', async () => {
  await withTestService(async ({ service }) => {
    await rejects(service.invoke('showCache', admin, { name: '' }), 'INVALID_ARGUMENT', 'name', 'name must be a domain name');
    await rejects(service.invoke('showCache', admin, { name: 'a..b' }), 'INVALID_ARGUMENT', 'name', 'name "a..b" is not valid');
    await rejects(service.invoke('flushCache', admin, { name: `${'x'.repeat(64)}.net` }), 'INVALID_ARGUMENT', 'name', 'is not valid');
    await rejects(service.invoke('flushCache', admin, { name: 'x.net', subtree: 'yes' as never }), 'INVALID_ARGUMENT', 'subtree', 'subtree must be true or false');
  });
});

test('with forwarding off both fail with FAILED_PRECONDITION naming the config key (bad input still INVALID_ARGUMENT), and nothing is audited', async () => {
  await withTestService(async ({ service }) => {
    await rejects(service.invoke('flushCache', admin, {}), 'FAILED_PRECONDITION', undefined,
      'forwarding is off: no cache to flush (set [forward] upstreams)');
    await rejects(service.invoke('showCache', admin, { name: 'www.example.net' }), 'FAILED_PRECONDITION', undefined,
      'forwarding is off: no cache to show (set [forward] upstreams)');
    await rejects(service.invoke('showCache', admin, { name: 'a..b' }), 'INVALID_ARGUMENT', 'name', 'is not valid');
    assert.deepEqual((await service.invoke('listAudit', admin, {})).items, []);
  }, { cache: undefined });
});
