import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileAddressMatcher, DEFAULT_ALLOW_RECURSION } from './compile-address-matcher.js';
import { ForwarderError } from './forwarder-error.js';
import { parseIpAddress } from './parse-ip-address.js';

test('the default ACL admits IPv4 and IPv6 loopback only', () => {
  const m = compileAddressMatcher(DEFAULT_ALLOW_RECURSION);
  assert.equal(m.matches('127.0.0.1'), true);
  assert.equal(m.matches('127.255.3.4'), true);
  assert.equal(m.matches('::1'), true);
  assert.equal(m.matches('0:0:0:0:0:0:0:1'), true);
  assert.equal(m.matches('::2'), false);
  assert.equal(m.matches('128.0.0.1'), false);
  assert.equal(m.matches('192.0.2.1'), false);
  assert.equal(m.matches('2001:db8::1'), false);
});

test('IPv4 networks match by prefix, at the boundaries', () => {
  const m = compileAddressMatcher(['10.0.0.0/8', '192.168.10.0/23', '203.0.113.7', '0.0.0.0/32']);
  assert.equal(m.matches('10.255.255.255'), true);
  assert.equal(m.matches('11.0.0.0'), false);
  assert.equal(m.matches('192.168.10.1'), true);
  assert.equal(m.matches('192.168.11.254'), true);
  assert.equal(m.matches('192.168.12.0'), false);
  assert.equal(m.matches('192.168.9.255'), false);
  assert.equal(m.matches('203.0.113.7'), true);
  assert.equal(m.matches('203.0.113.8'), false);
});

test('IPv6 networks match by prefix, zone indexes ignored', () => {
  const m = compileAddressMatcher(['2001:db8:abcd::/48', 'fe80::/10', '2001:db8::5/128']);
  assert.equal(m.matches('2001:db8:abcd:1::1'), true);
  assert.equal(m.matches('2001:DB8:ABCD:ffff:ffff:ffff:ffff:ffff'), true);
  assert.equal(m.matches('2001:db8:abce::1'), false);
  assert.equal(m.matches('fe80::1%eth0'), true);
  assert.equal(m.matches('febf::1'), true);
  assert.equal(m.matches('fec0::1'), false);
  assert.equal(m.matches('2001:db8::5'), true);
  assert.equal(m.matches('2001:db8::6'), false);
});

test('IPv4-mapped IPv6 clients match IPv4 networks, and mapped networks match IPv4 clients', () => {
  const v4 = compileAddressMatcher(['192.0.2.0/24']);
  assert.equal(v4.matches('::ffff:192.0.2.77'), true);
  assert.equal(v4.matches('::FFFF:c000:0201'), true);
  assert.equal(v4.matches('::ffff:192.0.3.1'), false);
  // The deprecated IPv4-compatible form (::a.b.c.d) is not the same address.
  assert.equal(v4.matches('::192.0.2.77'), false);
  const mapped = compileAddressMatcher(['::ffff:198.51.100.0/120']);
  assert.equal(mapped.matches('198.51.100.9'), true);
  assert.equal(mapped.matches('198.51.101.9'), false);
  const loop = compileAddressMatcher(DEFAULT_ALLOW_RECURSION);
  assert.equal(loop.matches('::ffff:127.0.0.1'), true);
});

test('0.0.0.0/0 admits every IPv4 client and no IPv6 one; ::/0 admits all', () => {
  const v4all = compileAddressMatcher(['0.0.0.0/0']);
  assert.equal(v4all.matches('8.8.8.8'), true);
  assert.equal(v4all.matches('::ffff:8.8.8.8'), true);
  assert.equal(v4all.matches('2001:db8::1'), false);
  const all = compileAddressMatcher(['::/0']);
  assert.equal(all.matches('2001:db8::1'), true);
  assert.equal(all.matches('8.8.8.8'), true);
});

test('an empty ACL admits nobody; garbage addresses never match', () => {
  const none = compileAddressMatcher([]);
  assert.equal(none.matches('127.0.0.1'), false);
  const m = compileAddressMatcher(['0.0.0.0/0', '::/0']);
  for (const bad of ['', 'localhost', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1::2::3', ':::', '12345::', 'g::1']) {
    assert.equal(m.matches(bad), false, bad);
  }
});

test('bad entries are refused with the entry named', () => {
  for (const bad of ['10.0.0.0/33', '::/129', 'example.com', '10.0.0.0/', '10.0.0.0/8/8', '1.2.3.4/-1', 'fe80::/1x']) {
    assert.throws(() => compileAddressMatcher([bad]), (err: unknown) =>
      err instanceof ForwarderError && err.code === 'BAD_CIDR' && err.message.includes(`"${bad}"`), bad);
  }
});

test('the memo stays correct past its size bound', () => {
  const m = compileAddressMatcher(['10.0.0.0/8']);
  for (let i = 0; i < 5000; i++) {
    const a = `10.0.${i >> 8}.${i & 255}`;
    assert.equal(m.matches(a), true);
    assert.equal(m.matches(`11.0.${i >> 8}.${i & 255}`), false);
  }
  assert.equal(m.matches('10.0.0.1'), true);
});

test('parseIpAddress reads every IPv6 spelling to the same bits', () => {
  const want = parseIpAddress('2001:db8:0:0:1:0:0:1')!.words;
  for (const text of ['2001:db8::1:0:0:1', '2001:0db8:0000:0000:0001:0000:0000:0001', '2001:DB8:0:0:1::1']) {
    assert.deepEqual(parseIpAddress(text)!.words, want, text);
  }
  assert.deepEqual(parseIpAddress('::')!.words, [0, 0, 0, 0]);
  assert.deepEqual(parseIpAddress('1::')!.words, [0x00010000, 0, 0, 0]);
  assert.deepEqual(parseIpAddress('::ffff:1.2.3.4')!, { words: [0, 0, 0xffff, 0x01020304], v4: true });
  assert.deepEqual(parseIpAddress('1.2.3.4')!, { words: [0, 0, 0xffff, 0x01020304], v4: true });
  assert.equal(parseIpAddress('1:2:3:4:5:6:7:8:9'), null);
  assert.equal(parseIpAddress('1:2:3:4::5:6:7:8'), null);
  assert.equal(parseIpAddress('1:2:3:4:5:6:7:'), null);
});
