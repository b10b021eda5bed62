import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IntrospectionCache } from './introspection-cache.js';
import type { Principal } from './principal.js';

const alice: Principal = { id: 'a', name: 'alice', role: 'viewer', zones: null, via: 'introspection' };
const bob: Principal = { id: 'b', name: 'bob', role: 'admin', zones: null, via: 'introspection' };

test('an entry is served until its deadline, then forgotten', () => {
  const cache = new IntrospectionCache();
  cache.set('k', alice, 1000);
  assert.equal(cache.get('k', 999), alice);
  assert.equal(cache.get('k', 1000), null);
  assert.equal(cache.size, 0);
});

test('when full, the oldest entry goes first', () => {
  const cache = new IntrospectionCache(2);
  cache.set('1', alice, 10);
  cache.set('2', bob, 10);
  cache.set('1', alice, 20); // refreshed: now the newest
  cache.set('3', bob, 10);
  assert.deepEqual([cache.get('1', 0), cache.get('2', 0), cache.get('3', 0)], [alice, null, bob]);
  cache.clear();
  assert.equal(cache.size, 0);
});
