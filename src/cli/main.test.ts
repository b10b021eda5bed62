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
  assert.equal(exitCodeFor(withCode('ALREADY_EXISTS')), 7);
  assert.equal(exitCodeFor(withCode('UNAUTHENTICATED')), 6);
  assert.equal(exitCodeFor(withCode('PERMISSION_DENIED')), 5, 'the server layer\'s EACCES on bind');
  assert.equal(exitCodeFor(withCode('ADDRESS_IN_USE')), 5);
  assert.equal(exitCodeFor(withCode('SCHEMA_TOO_NEW')), 5);
  assert.equal(exitCodeFor(withCode('ENOSPC')), 5);
  assert.equal(exitCodeFor(new Error('plain')), 5);
  assert.equal(exitCodeFor('not even an error'), 5);
});

test('API errors map by the service code: auth 6, conflict 7, transport 5', async () => {
  const { ApiError } = await import('./api-error.js');
  assert.equal(exitCodeFor(new ApiError('INVALID_ARGUMENT', 'x', 400, 'ttl')), 4);
  assert.equal(exitCodeFor(new ApiError('NOT_FOUND', 'x', 404)), 3);
  assert.equal(exitCodeFor(new ApiError('UNAUTHENTICATED', 'x', 401)), 6);
  assert.equal(exitCodeFor(new ApiError('PERMISSION_DENIED', 'x', 403)), 6);
  assert.equal(exitCodeFor(new ApiError('ALREADY_EXISTS', 'x', 409)), 7);
  assert.equal(exitCodeFor(new ApiError('ABORTED', 'x', 409)), 7);
  assert.equal(exitCodeFor(new ApiError('UNAVAILABLE', 'x', 503)), 5);
  assert.equal(exitCodeFor(new ApiError('CONNECTION_REFUSED', 'x')), 5);
  assert.equal(exitCodeFor(new ApiError('TLS', 'x')), 5);
});

test('record arguments are checked before any request: a bad TTL, type or serial exits 2', async () => {
  const env = { MCNS_ADDR: 'https://127.0.0.1:1' };
  const run = async (...args: string[]): Promise<[number, string]> => {
    const c = capture();
    const io = { ...c.io, env };
    return [await main(args, io), c.err()];
  };
  assert.deepEqual(await run('record', 'add', 'example.com', 'www', 'soon', 'A', '192.0.2.1'),
    [2, 'error: TTL "soon" is not a number of seconds from 0 to 2147483647\n']);
  assert.deepEqual(await run('record', 'set', 'example.com', 'www', '300', 'A'),
    [2, 'error: no record data: give the RDATA after the type, or one --rr "RDATA" per record\n']);
  assert.equal((await run('record', 'delete', 'example.com', 'www', '*', '--expect-serial', 'x'))[0], 2);
  assert.equal((await run('token', 'create', '--name', 'ci', '--role', 'root'))[0], 2);
  assert.equal((await run('token', 'create', '--name', 'ci', '--role', 'editor', '--ttl', '3 days'))[0], 2);
  assert.equal((await run('audit', '--limit', '0'))[0], 2);
});

test('--config with --addr is a usage error: local and remote do not mix', async () => {
  const c = capture();
  assert.equal(await main(['zone', 'list', '--config', 'mcns.toml', '--addr', 'https://127.0.0.1:8443'], c.io), ExitCode.USAGE);
  assert.match(c.err(), /"zone list" with --config works on the database directly; --addr is for the API/);
});

test('a refused connection is one line naming the address, exit 5; --json errors are JSON', async () => {
  const c = capture();
  const io = { ...c.io, env: { MCNS_ADDR: 'https://127.0.0.1:1' } };
  assert.equal(await main(['zone', 'list'], io), ExitCode.RUNTIME);
  assert.equal(c.err(), 'error: connection refused at https://127.0.0.1:1: is mcns running?\n');
  const j = capture();
  assert.equal(await main(['record', 'list', 'example.com', '--json', '--addr', '127.0.0.1:1'], j.io), ExitCode.RUNTIME);
  assert.deepEqual(JSON.parse(j.err()), { error: { code: 'CONNECTION_REFUSED', message: 'connection refused at https://127.0.0.1:1: is mcns running?' } });
});

test('local token verbs work on the database with --config: create prints only the token on stdout', async () => {
  const c = capture();
  writeFileSync(join(c.io.cwd, 'mcns.toml'), '[database]\npath = "mcns.db"\n');
  assert.equal(await main(['token', 'create', '-c', 'mcns.toml', '--name', 'admin', '--role', 'admin'], c.io), 0);
  assert.match(c.out(), /^mcns_[0-9a-f]{16}_[A-Za-z0-9_-]{43}\n$/);
  assert.match(c.err(), /token "admin" \(id [0-9a-f]{16}\) created: admin of every zone, no expiry/);
  const id = /^mcns_([0-9a-f]{16})_/.exec(c.out())![1]!;
  const l = capture(c.io.cwd);
  assert.equal(await main(['token', 'list', '-c', 'mcns.toml', '--json'], l.io), 0);
  const listed = JSON.parse(l.out()) as { id: string; name: string; role: string; revokedAt: string | null }[];
  assert.deepEqual(listed.map((t) => [t.id, t.name, t.role, t.revokedAt]), [[id, 'admin', 'admin', null]]);
  const r = capture(c.io.cwd);
  assert.equal(await main(['token', 'revoke', id, '-c', 'mcns.toml'], r.io), 0);
  assert.equal(r.out(), `token ${id} revoked\n`);
  const n = capture(c.io.cwd);
  assert.equal(await main(['token', 'revoke', '0123456789abcdef', '-c', 'mcns.toml'], n.io), ExitCode.NOT_FOUND);
});
