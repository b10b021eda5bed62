import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nameFromText, ZoneFileError } from '../wire/index.js';
import { readZoneFile, StoreError } from './index.js';

const ORIGIN = nameFromText('example.com.');
const HEAD = '$TTL 300\n@ SOA ns1 hostmaster 1 7200 3600 1209600 300\n@ NS ns1\nns1 A 192.0.2.1\n';

function zoneDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-zonefile-'));
  mkdirSync(join(dir, 'zones'));
  writeFileSync(join(dir, 'outside.inc'), 'leak A 192.0.2.66\n');
  return dir;
}

test('$INCLUDE reads files in the zone file\'s directory, relative to it', () => {
  const dir = zoneDir();
  mkdirSync(join(dir, 'zones', 'parts'));
  writeFileSync(join(dir, 'zones', 'parts', 'hosts.inc'), 'www A 192.0.2.10\n');
  writeFileSync(join(dir, 'zones', 'z'), `${HEAD}$INCLUDE parts/hosts.inc\n`);
  const records = readZoneFile(ORIGIN, join(dir, 'zones', 'z'), 'z');
  assert.equal(records.length, 4);
});

test('$INCLUDE of a path outside the directory is refused with file:line:column', () => {
  const dir = zoneDir();
  writeFileSync(join(dir, 'zones', 'z'), `${HEAD}$INCLUDE ../outside.inc\n`);
  assert.throws(() => readZoneFile(ORIGIN, join(dir, 'zones', 'z'), 'zones/z'), (err: unknown) =>
    err instanceof ZoneFileError && err.line === 5 &&
    /^zones\/z:5:\d+: cannot include "\.\.\/outside\.inc": it is outside the zone file's directory/.test(err.message));
});

test('a symbolic link inside the directory that points outside is refused too', () => {
  const dir = zoneDir();
  symlinkSync(join(dir, 'outside.inc'), join(dir, 'zones', 'link.inc'));
  writeFileSync(join(dir, 'zones', 'z'), `${HEAD}$INCLUDE link.inc\n`);
  assert.throws(() => readZoneFile(ORIGIN, join(dir, 'zones', 'z'), 'z'), (err: unknown) =>
    err instanceof ZoneFileError && /cannot include "link\.inc": it resolves to ".*outside\.inc", outside /.test(err.message));
});

test('records of another class are refused, with their place', () => {
  const dir = zoneDir();
  writeFileSync(join(dir, 'zones', 'z'), `${HEAD}txt CH TXT "chaos"\n`);
  assert.throws(() => readZoneFile(ORIGIN, join(dir, 'zones', 'z'), 'z'), (err: unknown) =>
    err instanceof ZoneFileError && err.line === 5);
});

test('every validation problem is listed and nothing is returned', () => {
  const dir = zoneDir();
  writeFileSync(join(dir, 'zones', 'z'), `${HEAD}a CNAME ns1\na A 192.0.2.7\nb CNAME ns1\nb CNAME a\n`);
  assert.throws(() => readZoneFile(ORIGIN, join(dir, 'zones', 'z'), 'z'), (err: unknown) =>
    err instanceof StoreError && err.code === 'INVALID' && err.problems.length === 2 &&
    err.message.startsWith('zone "example.com." in z not imported: ') && err.message.endsWith(' (and 1 more)'));
});
