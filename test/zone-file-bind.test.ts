// Zone files against BIND: every fixture in test/fixtures/zone-file is parsed,
// exported, checked with named-checkzone, read back, and compiled by
// named-compilezone both ways; the record sets must agree at every step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  confineIncludePath, formatZoneFile, nameFromText, parseZoneFile, type Name, type ParsedZone,
} from '../src/wire/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'zone-file');

/** Loads a fixture the way the server will: includes resolved in the zone's folder, text as latin1 bytes. */
function loadFixture(file: string, origin: Name): ParsedZone {
  return parseZoneFile(readFileSync(join(fixtures, file), 'latin1'), {
    origin,
    fileName: file,
    include: (path) => {
      const full = confineIncludePath(fixtures, path);
      if (full === null) throw new Error('outside the zone directory');
      return { fileName: relative(fixtures, full), text: readFileSync(full, 'latin1') };
    },
  });
}

/** Records as sorted "name ttl type hex" lines: RRsets compared exactly, order aside. */
function recordSet(zone: ParsedZone): string[] {
  return zone.records
    .map((r) => `${Buffer.from(r.name, 'latin1').toString('hex')} ${r.type} ${r.class} ${r.ttl} ${Buffer.from(r.rdata).toString('hex')}`)
    .sort();
}

/** Runs a BIND tool; fails the test with its output when it exits non-zero. */
function bind(tool: string, args: string[], cwd: string): string {
  const run = spawnSync(tool, args, { cwd, encoding: 'latin1' });
  if (run.error !== undefined) throw new Error(`${tool} did not run (scripts/install-peers.sh installs bind9-utils): ${run.error.message}`);
  assert.equal(run.status, 0, `${tool} ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

/** named-compilezone's canonical text of a zone, lines sorted. */
function compiled(origin: string, file: string, cwd: string): string[] {
  return bind('named-compilezone', ['-q', '-i', 'none', '-f', 'text', '-F', 'text', '-o', '-', origin, file], cwd)
    .split('\n').filter((line) => line.length > 0).sort();
}

const zoneFiles = readdirSync(fixtures).filter((f) => f.endsWith('.zone')).sort();

test('the fixture corpus is there', () => {
  assert.ok(zoneFiles.length >= 2, `no fixtures in ${fixtures}`);
  execFileSync('named-checkzone', ['-v']);
});

for (const file of zoneFiles) {
  const originText = file.slice(0, -'.zone'.length) + '.';
  const origin = nameFromText(originText);

  test(`${file}: BIND accepts the original`, () => {
    bind('named-checkzone', ['-q', '-k', 'fail', '-i', 'local', originText, file], fixtures);
  });

  test(`${file}: export passes named-checkzone and reads back to the same RRsets and the same BIND compilation`, () => {
    const parsed = loadFixture(file, origin);
    const exported = formatZoneFile(origin, parsed.records);
    const dir = mkdtempSync(join(tmpdir(), 'mcns-zone-file-'));
    try {
      writeFileSync(join(dir, 'export.zone'), exported, 'latin1');
      bind('named-checkzone', ['-k', 'fail', '-i', 'local', originText, 'export.zone'], dir);

      const again = parseZoneFile(exported, { origin, fileName: 'export.zone' });
      assert.deepEqual(recordSet(again), recordSet(parsed));
      // Exporting what we read back changes nothing: the format is a fixed point.
      assert.equal(formatZoneFile(origin, again.records), exported);

      assert.deepEqual(compiled(originText, 'export.zone', dir), compiled(originText, file, fixtures));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
