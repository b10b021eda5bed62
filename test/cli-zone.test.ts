// The zone verbs through the real `mcns` process: import, export, re-import,
// named-checkzone on the export, a bad file, $INCLUDE confinement, zone list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'mcns.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function mcns(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, MCNS_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A directory with a config whose database is db/mcns.db beside it. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-cli-zone-'));
  writeFileSync(join(dir, 'mcns.toml'), '[database]\npath = "db/mcns.db"\n');
  return dir;
}

const ZONE = `$ORIGIN example.com.
$TTL 3600
@        IN SOA ns1 hostmaster ( 2024010101 7200 3600 1209600 300 )
@        IN NS  ns1
@        IN NS  ns2.example.net.
@        IN MX  10 mail
@        IN TXT "v=spf1 mx -all" "second string"
ns1      IN A   192.0.2.1
ns1      IN AAAA 2001:db8::1
www  300 IN A   192.0.2.10
www  300 IN A   192.0.2.11
ftp      IN CNAME www
_sip._tcp IN SRV 10 60 5060 sip
sip      IN A   192.0.2.60
*.apps   IN A   192.0.2.80
sub      IN NS  ns.sub
ns.sub   IN A   192.0.2.53
$INCLUDE hosts.inc
`;
const HOSTS = `mail IN A 192.0.2.25
Mixed.Case IN A 192.0.2.26
`;

/** RRsets of a zone file as sorted lines "owner ttl type rdata" (the way named-checkzone prints them canonicalized). */
function canonical(dir: string, file: string): string[] {
  const out = execFileSync('named-compilezone', ['-q', '-i', 'none', '-s', 'full', '-o', '-', 'example.com', file], { cwd: dir, encoding: 'utf8' });
  return out.split('\n').filter((l) => l.length > 0).map((l) => l.toLowerCase().split(/\s+/).join(' ')).sort();
}

test('import, export, import the export again: same RRsets, and named-checkzone accepts the export', () => {
  const dir = workspace();
  writeFileSync(join(dir, 'example.com.zone'), ZONE);
  writeFileSync(join(dir, 'hosts.inc'), HOSTS);

  const imported = mcns(dir, 'zone', 'import', 'example.com', 'example.com.zone', '--config', 'mcns.toml');
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(imported.stdout, 'zone example.com. imported: serial 2024010101, 17 records\n');

  const exported = mcns(dir, 'zone', 'export', 'example.com', '--config', 'mcns.toml');
  assert.equal(exported.code, 0, exported.stderr);
  writeFileSync(join(dir, 'export.zone'), exported.stdout);
  const check = spawnSync('named-checkzone', ['-i', 'local', 'example.com', 'export.zone'], { cwd: dir, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /loaded serial 2024010101/);
  assert.deepEqual(canonical(dir, 'export.zone'), canonical(dir, 'example.com.zone'));
  assert.match(exported.stdout, /^Mixed\.Case\t/m, 'owner case is kept');

  // The export imported into the same database is no change at all...
  const again = mcns(dir, 'zone', 'import', 'example.com', 'export.zone', '-c', 'mcns.toml');
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, 'zone example.com. unchanged: serial 2024010101, 17 records\n');
  // ...and into a fresh database gives the same export, byte for byte.
  const other = workspace();
  writeFileSync(join(other, 'export.zone'), exported.stdout);
  assert.equal(mcns(other, 'zone', 'import', 'example.com', 'export.zone', '-c', 'mcns.toml').code, 0);
  assert.equal(mcns(other, 'zone', 'export', 'example.com', '-c', 'mcns.toml').stdout, exported.stdout);
});

test('a changed file with the same serial is stored with serial + 1, and the output says so', () => {
  const dir = workspace();
  writeFileSync(join(dir, 'z'), ZONE.replace('$INCLUDE hosts.inc\n', ''));
  assert.equal(mcns(dir, 'zone', 'import', 'example.com.', 'z', '-c', 'mcns.toml').code, 0);
  writeFileSync(join(dir, 'z'), ZONE.replace('$INCLUDE hosts.inc\n', 'new IN A 192.0.2.99\n'));
  const r = mcns(dir, 'zone', 'import', 'example.com.', 'z', '-c', 'mcns.toml');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout,
    'zone example.com. updated: serial 2024010101 -> 2024010102, 16 records (2 added, 1 deleted, SOA included)\n' +
    'note: the file\'s serial 2024010101 is not greater than the stored 2024010101 (RFC 1982), so 2024010102 was stored\n');
  assert.match(r.stderr, /SIGHUP/);
});

test('a bad zone file names file:line:column, exits 4 and leaves the database unchanged', () => {
  const dir = workspace();
  writeFileSync(join(dir, 'good.zone'), ZONE);
  writeFileSync(join(dir, 'hosts.inc'), HOSTS);
  assert.equal(mcns(dir, 'zone', 'import', 'example.com', 'good.zone', '-c', 'mcns.toml').code, 0);
  const before = mcns(dir, 'zone', 'export', 'example.com', '-c', 'mcns.toml').stdout;

  // Line 5: an A record whose address does not parse; a new record earlier in the file must not land either.
  const bad = ZONE.replace('@        IN NS  ns1\n', '@        IN NS  ns1\nextra    IN A   192.0.2.200\nbroken   IN A   192.0.2.300\n');
  writeFileSync(join(dir, 'bad.zone'), bad);
  const r = mcns(dir, 'zone', 'import', 'example.com', 'bad.zone', '-c', 'mcns.toml');
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^error: bad\.zone:6:\d+: .*192\.0\.2\.300/);
  assert.equal(r.stderr.split('\n').filter((l) => l.length > 0).length, 1, 'one line, no stack trace');
  assert.equal(r.stdout, '');

  // An error inside an included file names that file.
  writeFileSync(join(dir, 'hosts.inc'), 'mail IN A 192.0.2.25\nmail IN MX nonsense\n');
  const inc = mcns(dir, 'zone', 'import', 'example.com', 'good.zone', '-c', 'mcns.toml');
  assert.equal(inc.code, 4);
  assert.match(inc.stderr, /^error: hosts\.inc:2:\d+: /);

  assert.equal(mcns(dir, 'zone', 'export', 'example.com', '-c', 'mcns.toml').stdout, before);
});

test('a zone that parses but does not validate lists every problem and changes nothing', () => {
  const dir = workspace();
  const r0 = mcns(dir, 'zone', 'import', 'example.com', join(root, 'examples', 'example.com.zone'), '-c', 'mcns.toml');
  assert.equal(r0.code, 0, r0.stderr);
  const before = mcns(dir, 'zone', 'list', '-c', 'mcns.toml', '--json').stdout;
  writeFileSync(join(dir, 'invalid.zone'), ZONE.replace('$INCLUDE hosts.inc\n', 'ftp IN A 192.0.2.1\nalias IN CNAME www\nalias IN CNAME mail\n'));
  const r = mcns(dir, 'zone', 'import', 'example.com', 'invalid.zone', '-c', 'mcns.toml');
  assert.equal(r.code, 4);
  const lines = r.stderr.trimEnd().split('\n');
  assert.match(lines[0]!, /^error: zone "example\.com\." in invalid\.zone not imported: .* \(and 1 more\)$/);
  assert.equal(lines.length, 3, r.stderr);
  assert.ok(lines.some((l) => /ftp\.example\.com\./.test(l) && /CNAME/.test(l)), r.stderr);
  assert.ok(lines.some((l) => /alias\.example\.com\./.test(l)), r.stderr);
  assert.equal(mcns(dir, 'zone', 'list', '-c', 'mcns.toml', '--json').stdout, before);
});

test('$INCLUDE may not leave the zone file\'s directory', () => {
  const dir = workspace();
  mkdirSync(join(dir, 'zones'));
  writeFileSync(join(dir, 'secret'), 'leak IN A 192.0.2.1\n');
  writeFileSync(join(dir, 'zones', 'z'), ZONE.replace('$INCLUDE hosts.inc', '$INCLUDE ../secret'));
  const r = mcns(dir, 'zone', 'import', 'example.com', 'zones/z', '-c', 'mcns.toml');
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^error: zones\/z:18:\d+: cannot include "\.\.\/secret": it is outside the zone file's directory/);
});

test('zone list shows each zone with its serial and record count, as a table or JSON', () => {
  const dir = workspace();
  writeFileSync(join(dir, 'a.zone'), ZONE.replace('$INCLUDE hosts.inc\n', ''));
  writeFileSync(join(dir, 'b.zone'), '$TTL 60\n@ SOA ns hm 7 1 1 1 1\n@ NS ns\nns A 192.0.2.1\n');
  assert.equal(mcns(dir, 'zone', 'import', 'example.com', 'a.zone', '-c', 'mcns.toml').code, 0);
  assert.equal(mcns(dir, 'zone', 'import', 'Other.TEST', 'b.zone', '-c', 'mcns.toml').code, 0);
  const table = mcns(dir, 'zone', 'list', '-c', 'mcns.toml');
  assert.equal(table.code, 0);
  const lines = table.stdout.trimEnd().split('\n');
  assert.match(lines[0]!, /^ZONE +KIND +SERIAL +RECORDS +UPDATED$/);
  assert.match(lines[1]!, /^example\.com\. +primary +2024010101 +15 +\d{4}-\d\d-\d\dT/);
  assert.match(lines[2]!, /^other\.test\. +primary +7 +3 +/);
  const json = JSON.parse(mcns(dir, 'zone', 'list', '-c', 'mcns.toml', '--json').stdout) as { zone: string; serial: number; records: number }[];
  assert.deepEqual(json.map((z) => [z.zone, z.serial, z.records]), [['example.com.', 2024010101, 15], ['other.test.', 7, 3]]);
  assert.ok(readFileSync(join(dir, 'db', 'mcns.db')).length > 0, 'the database is where the config says');
});
