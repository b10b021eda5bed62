import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confineIncludePath } from './confine-include-path.js';

const cases: [dir: string, requested: string, want: string | null][] = [
  ['/srv/zones', 'a.inc', '/srv/zones/a.inc'],
  ['/srv/zones/', './sub/b.inc', '/srv/zones/sub/b.inc'],
  ['/srv/zones', 'sub/../a.inc', '/srv/zones/a.inc'],
  ['/srv/zones', '/srv/zones/sub/c.inc', '/srv/zones/sub/c.inc'],
  ['/srv/zones', '../secret', null],
  ['/srv/zones', 'sub/../../secret', null],
  ['/srv/zones', '/etc/passwd', null],
  ['/srv/zones', '/srv/zones2/a', null],
  ['/srv/zones', '.', null],
  ['/srv/zones', '', null],
  ['/srv/zones', 'a\0b', null],
  ['/', '../../etc/passwd', '/etc/passwd'],
  ['zones', 'a.inc', 'zones/a.inc'],
  ['zones', '../zones/a.inc', 'zones/a.inc'],
  ['zones', '../other/a.inc', null],
  ['zones', '/abs/a.inc', null],
  ['.', 'a.inc', 'a.inc'],
  ['../zones', 'a.inc', '../zones/a.inc'],
  ['../zones', '../../x', null],
];
for (const [dir, requested, want] of cases) {
  test(`confineIncludePath(${JSON.stringify(dir)}, ${JSON.stringify(requested)}) = ${JSON.stringify(want)}`, () => {
    assert.equal(confineIncludePath(dir, requested), want);
  });
}
