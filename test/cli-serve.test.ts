// `mcns serve` as a real process: prints its address and a dig command, answers
// dig over UDP and TCP, reloads on SIGHUP, refuses a port in use with one line
// and exit 5, and exits 0 on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The API and metrics on ports the system picks, so parallel tests never contend for the defaults. */
const FREE_API_PORTS = '[api]\nrest_addr = "127.0.0.1:0"\ngrpc_addr = "127.0.0.1:0"\n[metrics]\nlisten_addr = "127.0.0.1:0"\n';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'mcns.js');

function mcns(cwd: string, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function dig(port: number, ...args: string[]): string {
  return execFileSync('dig', ['@127.0.0.1', '-p', String(port), '+short', '+time=2', '+tries=1', ...args], { encoding: 'utf8' }).trim();
}

/** Resolves with stdout once `pattern` appears in it; rejects if the process exits first. */
function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`timeout waiting for ${pattern}; stdout: ${out}; stderr: ${err}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; stdout: ${out}; stderr: ${err}`));
    });
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('serve answers dig, reloads on SIGHUP, refuses a port in use, exits 0 on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-serve-'));
  writeFileSync(join(dir, 'mcns.toml'), '[dns]\nlisten_addr = "127.0.0.1:0"\n[database]\npath = "mcns.db"\n[log]\nlevel = "info"\n' + FREE_API_PORTS);
  const zone = readFileSync(join(root, 'examples', 'example.com.zone'), 'utf8');
  writeFileSync(join(dir, 'example.com.zone'), zone);
  assert.equal(mcns(dir, 'zone', 'import', 'example.com', 'example.com.zone', '-c', 'mcns.toml').code, 0);

  const server = spawn(process.execPath, [bin, 'serve', '--config', 'mcns.toml'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const out = await waitForOutput(server, /try: .*\n/);
    const port = Number(/serving DNS on 127\.0\.0\.1:(\d+) \(udp, tcp\)/.exec(out)?.[1]);
    assert.ok(port > 0, out);
    assert.match(out, new RegExp(`try: dig @127\\.0\\.0\\.1 -p ${port} www\\.example\\.com A\\n`));

    assert.equal(dig(port, 'www.example.com', 'A'), '192.0.2.10');
    assert.equal(dig(port, '+tcp', 'www.example.com', 'AAAA'), '2001:db8::10');

    writeFileSync(join(dir, 'example.com.zone'), `${zone}\nadded IN A 192.0.2.99\n`);
    const imported = mcns(dir, 'zone', 'import', 'example.com', 'example.com.zone', '-c', 'mcns.toml');
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(dig(port, 'added.example.com', 'A'), '', 'not served before SIGHUP');
    server.kill('SIGHUP');
    await eventually(() => dig(port, 'added.example.com', 'A') === '192.0.2.99');

    writeFileSync(join(dir, 'busy.toml'), `[dns]\nlisten_addr = "127.0.0.1:${port}"\n[database]\npath = "mcns.db"\n` + FREE_API_PORTS);
    const busy = mcns(dir, 'serve', '--config', 'busy.toml');
    assert.equal(busy.code, 5);
    const errorLines = busy.stderr.split('\n').filter((l) => l.startsWith('error: '));
    assert.equal(errorLines.length, 1, busy.stderr);
    assert.match(errorLines[0]!, new RegExp(`127\\.0\\.0\\.1:${port} \\((udp|tcp)\\) is already in use`));
    assert.doesNotMatch(busy.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    server.kill('SIGTERM');
  }
  assert.equal(await exitOf(server), 0);
});
