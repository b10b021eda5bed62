import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, exitCodeFor, main, VERSION, type CliIo } from './index.js';

interface Captured {
  io: CliIo;
  out(): string;
  err(): string;
}

function capture(cwd = mkdtempSync(join(tmpdir(), 'mcns-cli-'))): Captured {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (s: string) => { out += s; } },
    stderr: { write: (s: string) => { err += s; } },
    cwd,
    env: {},
    signals: new EventEmitter(),
  };
  return { io, out: () => out, err: () => err };
}

test('--version prints the package version', async () => {
  const c = capture();
  assert.equal(await main(['--version'], c.io), 0);
  assert.equal(c.out(), `${VERSION}\n`);
  assert.match(VERSION, /^\d+\.\d+\.\d+/);
});

test('help lists the verbs and the exit codes', async () => {
  const c = capture();
  assert.equal(await main(['help'], c.io), 0);
  assert.match(c.out(), /serve/);
  assert.match(c.out(), /zone/);
  assert.match(c.out(), /Exit codes: 0 ok, 2 usage, 3 not found/);
  const z = capture();
  assert.equal(await main(['zone', '--help'], z.io), 0);
  assert.match(z.out(), /import .*<name> <file>/);
});

test('no arguments print help on stderr and exit 2', async () => {
  const c = capture();
  assert.equal(await main([], c.io), ExitCode.USAGE);
  assert.match(c.err(), /Usage: mcns/);
});

test('an unknown verb or option exits 2 with commander\'s message', async () => {
  const c = capture();
  assert.equal(await main(['srve'], c.io), ExitCode.USAGE);
  assert.match(c.err(), /unknown command 'srve'/);
  assert.match(c.err(), /Did you mean serve\?/);
  const o = capture();
  assert.equal(await main(['zone', 'list', '--jsn'], o.io), ExitCode.USAGE);
  assert.match(o.err(), /unknown option '--jsn'/);
});

test('a missing argument exits 2', async () => {
  const c = capture();
  assert.equal(await main(['zone', 'import', 'example.com'], c.io), ExitCode.USAGE);
  assert.match(c.err(), /missing required argument 'file'/);
});

test('a malformed zone name is a usage error', async () => {
  const c = capture();
  assert.equal(await main(['zone', 'export', 'a..b'], c.io), ExitCode.USAGE);
  assert.match(c.err(), /^error: zone name "a\.\.b" is not a valid domain name: /);
});

test('a missing config file is one line and exit 4', async () => {
  const c = capture();
  assert.equal(await main(['zone', 'list', '--config', 'nope.toml'], c.io), ExitCode.INVALID);
  assert.equal(c.err(), `config error: cannot read config file "${join(c.io.cwd, 'nope.toml')}": no such file\n`);
});

test('a config error is exactly one line naming key, value and fix', async () => {
  const c = capture();
  writeFileSync(join(c.io.cwd, 'mcns.toml'), '[dns]\nlisten_adr = "127.0.0.1:53"\n');
  assert.equal(await main(['serve', '--config', 'mcns.toml'], c.io), ExitCode.INVALID);
  assert.equal(c.err(), 'config error: [dns] listen_adr = "127.0.0.1:53": unknown key; did you mean "listen_addr"?\n');
});

test('exporting or importing what does not exist exits 3', async () => {
  const c = capture();
  writeFileSync(join(c.io.cwd, 'mcns.toml'), '[database]\npath = "db/mcns.db"\n');
  assert.equal(await main(['zone', 'export', 'nosuch.example', '-c', 'mcns.toml'], c.io), ExitCode.NOT_FOUND);
  assert.equal(c.err(), 'error: zone "nosuch.example." not found\n');
  const f = capture(c.io.cwd);
  assert.equal(await main(['zone', 'import', 'example.com', 'missing.zone', '-c', 'mcns.toml'], f.io), ExitCode.NOT_FOUND);
  assert.equal(f.err(), 'error: zone file "missing.zone" not found\n');
});

test('zone list on an empty database prints the header and a hint', async () => {
  const c = capture();
  writeFileSync(join(c.io.cwd, 'mcns.toml'), '[database]\npath = "mcns.db"\n');
  assert.equal(await main(['zone', 'list', '-c', 'mcns.toml'], c.io), 0);
  assert.equal(c.out(), 'ZONE  KIND  SERIAL  RECORDS  UPDATED\n');
  assert.match(c.err(), /no zones in .*mcns\.db/);
  const j = capture(c.io.cwd);
  assert.equal(await main(['zone', 'list', '-c', 'mcns.toml', '--json'], j.io), 0);
  assert.deepEqual(JSON.parse(j.out()), []);
});

test('error codes of every layer map to the documented exit codes', () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code });
  assert.equal(exitCodeFor(withCode('USAGE')), 2);
  assert.equal(exitCodeFor(withCode('NOT_FOUND')), 3);
  assert.equal(exitCodeFor(withCode('CONFIG')), 4);
  assert.equal(exitCodeFor(withCode('ZONE_FILE')), 4);
  assert.equal(exitCodeFor(withCode('INVALID')), 4);
  assert.equal(exitCodeFor(withCode('ALREADY_EXISTS')), 4);
  assert.equal(exitCodeFor(withCode('ADDRESS_IN_USE')), 5);
  assert.equal(exitCodeFor(withCode('SCHEMA_TOO_NEW')), 5);
  assert.equal(exitCodeFor(withCode('ENOSPC')), 5);
  assert.equal(exitCodeFor(new Error('plain')), 5);
  assert.equal(exitCodeFor('not even an error'), 5);
});
