// How a real `mcns serve` stops (docs/CONFIG.md [server]): on SIGTERM it refuses new
// connections at once, lets a zone import still being uploaded and a DNS query
// still being received over TCP finish, checkpoints the database and exits 0; a
// second signal exits at once (143, 130); [server] shutdown_timeout bounds the drain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { connect, type Socket } from 'node:net';
import { EventEmitter, once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import dnsPacket from 'dns-packet';
import type { CliIo } from '../src/cli/cli-io.js';
import { serve } from '../src/cli/serve.js';
import { openStore } from '../src/store/index.js';
import { nameFromText } from '../src/wire/index.js';
import { buildQuery } from './helpers/dns-client.js';
import { runMcns, startMcns, type McnsProcess } from './helpers/start-mcns.js';

const ZONE = 'example.com.';
const ZONE_TEXT = `$ORIGIN example.com.
$TTL 300
@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@ IN NS ns1
ns1 IN A 192.0.2.1
www IN A 192.0.2.80
`;
const BIG = 'big.example.';
const BIG_RECORDS = 20_000;

/** A zone file of BIG_RECORDS A records: big enough that its upload is a request in flight for as long as the test likes. */
function bigZoneText(): string {
  const lines = [`$ORIGIN ${BIG}`, '$TTL 300', '@ IN SOA ns1 hostmaster 1 7200 3600 1209600 300', '@ IN NS ns1', 'ns1 IN A 192.0.2.1'];
  for (let i = 0; i < BIG_RECORDS; i++) lines.push(`h${i} IN A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  return lines.join('\n') + '\n';
}

/** A TCP DNS client that collects framed replies. */
class TcpDns {
  readonly socket: Socket;
  readonly replies: dnsPacket.DecodedPacket[] = [];
  readonly closed: Promise<void>;
  #buf = Buffer.alloc(0);

  constructor(host: string, port: number) {
    this.socket = connect({ host, port });
    this.socket.on('error', () => {});
    this.socket.on('data', (chunk: Buffer) => {
      this.#buf = Buffer.concat([this.#buf, chunk]);
      while (this.#buf.length >= 2 && this.#buf.length >= this.#buf.readUInt16BE(0) + 2) {
        const len = this.#buf.readUInt16BE(0);
        this.replies.push(dnsPacket.decode(this.#buf.subarray(2, len + 2)));
        this.#buf = this.#buf.subarray(len + 2);
      }
    });
    this.closed = once(this.socket, 'close').then(() => undefined);
  }

  async waitReplies(n: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.replies.length < n && Date.now() < deadline) await sleep(10);
    assert.ok(this.replies.length >= n, `${this.replies.length} TCP replies, expected ${n}`);
  }
}

/** One query with its two-byte length prefix (RFC 1035 4.2.2). */
function framed(name: string, id: number): Buffer {
  const query = buildQuery(name, 'A' as dnsPacket.RecordType, { id });
  const out = Buffer.alloc(query.length + 2);
  out.writeUInt16BE(query.length, 0);
  query.copy(out, 2);
  return out;
}

/** A PUT of a zone file whose body the test sends in pieces; `done` resolves with the status and body. */
function startUpload(proc: McnsProcess, token: string, zone: string, length: number) {
  const url = new URL(proc.api!.restUrl);
  const options: RequestOptions = {
    host: url.hostname, port: Number(url.port), method: 'PUT', path: `/v1/zones/${zone}/file`, ca: proc.api!.caCert,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/dns', 'content-length': length, accept: 'application/json' },
  };
  const req = httpsRequest(options);
  const done = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (s: string) => { body += s; }).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
  done.catch(() => undefined); // observed by the test when it matters
  return { req, done };
}

/** Resolves with the error code of a TCP connect to host:port ("" when it connects). */
async function connectOutcome(host: string, port: number): Promise<string> {
  const socket = connect({ host, port });
  try {
    await once(socket, 'connect');
    return '';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code ?? 'error';
  } finally {
    socket.destroy();
  }
}

async function waitForLog(proc: McnsProcess, text: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!proc.logs().includes(text)) {
    if (Date.now() > deadline) assert.fail(`no "${text}" in the log:\n${proc.logs()}`);
    await sleep(10);
  }
}

async function waitExit(proc: McnsProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const exit = proc.exit();
    if (exit !== null) return exit;
    if (Date.now() > deadline) assert.fail(`still running ${timeoutMs} ms later:\n${proc.logs()}`);
    await sleep(10);
  }
}

async function adminToken(proc: McnsProcess): Promise<string> {
  const made = await proc.cli(['token', 'create', '--name', 'admin', '--role', 'admin']);
  assert.equal(made.code, 0, made.stderr);
  return made.stdout.trim();
}

test('SIGTERM: new connections are refused while an upload and a TCP query in flight finish; exit 0, database checkpointed and sound', { timeout: 60_000 }, async () => {
  const proc = await startMcns({ zones: { [ZONE]: ZONE_TEXT }, api: true });
  try {
    const host = proc.hosts[0]!;
    const token = await adminToken(proc);
    const body = Buffer.from(bigZoneText());
    const upload = startUpload(proc, token, BIG, body.length);
    upload.req.write(body.subarray(0, body.length >> 1));
    // A pipelined TCP connection: one query answered, the next one half sent.
    const dns = new TcpDns(host, proc.port);
    const second = framed(`www.${ZONE}`, 2);
    dns.socket.write(Buffer.concat([framed(`ns1.${ZONE}`, 1), second.subarray(0, 7)]));
    await dns.waitReplies(1);
    await sleep(200); // the upload's headers are in: its request is in flight

    process.kill(proc.pid, 'SIGTERM');
    await waitForLog(proc, 'shutting down: draining');
    assert.equal(await connectOutcome(host, proc.port), 'ECONNREFUSED', 'DNS over TCP refuses new connections');
    assert.equal(await connectOutcome('127.0.0.1', Number(new URL(proc.api!.restUrl).port)), 'ECONNREFUSED', 'REST refuses new connections');
    assert.equal(proc.exit(), null, 'still draining');

    dns.socket.write(second.subarray(7));
    await dns.waitReplies(2);
    const addresses = dns.replies.map((r) => [r.id, ...(r.answers ?? []).flatMap((a) => (a.type === 'A' ? [String(a.data)] : []))]);
    assert.deepEqual(addresses, [[1, '192.0.2.1'], [2, '192.0.2.80']]);
    upload.req.end(body.subarray(body.length >> 1));
    const answer = await upload.done;
    assert.equal(answer.status, 200, answer.body);
    assert.equal((JSON.parse(answer.body) as { recordCount: number }).recordCount, BIG_RECORDS + 3);

    assert.deepEqual(await waitExit(proc, 10_000), { code: 0, signal: null });
    const stopped = proc.logs().split('\n').find((l) => l.includes('"stopped: drained"'));
    assert.ok(stopped !== undefined, proc.logs());
    assert.deepEqual((JSON.parse(stopped) as { cut: unknown }).cut, { rest: 0, grpc: 0, dnsTcp: 0, dnsUdp: 0 });

    const db = join(proc.dir, 'mcns.db');
    assert.ok(!existsSync(`${db}-wal`) || statSync(`${db}-wal`).size === 0, 'the WAL was folded into the database');
    const check = await runMcns(['integrity-check', '--config', proc.configPath], proc.dir);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const store = openStore(db);
    try {
      assert.equal(store.getZone(nameFromText(BIG))?.recordCount, BIG_RECORDS + 3, 'the import finished during the drain is in the database');
    } finally {
      store.close();
    }
  } finally {
    await proc.stop();
  }
});

for (const [first, second, code] of [['SIGTERM', 'SIGTERM', 143], ['SIGINT', 'SIGINT', 130], ['SIGTERM', 'SIGINT', 130]] as const) {
  test(`${first} then ${second} during the drain exits at once with ${code}`, { timeout: 60_000 }, async () => {
    const proc = await startMcns({ zones: { [ZONE]: ZONE_TEXT } });
    try {
      // A query half received holds the drain for the whole 30 s default.
      const dns = new TcpDns(proc.hosts[0]!, proc.port);
      dns.socket.write(framed(`www.${ZONE}`, 1).subarray(0, 5));
      await sleep(100);
      process.kill(proc.pid, first);
      await waitForLog(proc, 'shutting down: draining');
      await sleep(200);
      assert.equal(proc.exit(), null, 'draining');
      const t0 = Date.now();
      process.kill(proc.pid, second);
      assert.deepEqual(await waitExit(proc, 5_000), { code, signal: null });
      assert.ok(Date.now() - t0 < 2_000, `exited ${Date.now() - t0} ms after the second signal`);
      assert.match(proc.logs(), new RegExp(`"signal":"${second}".*"msg":"second signal: exiting now`));
    } finally {
      await proc.stop();
    }
  });
}

test('[server] shutdown_timeout = "1s": an upload that never finishes and a query never completed are cut after about 1 s, exit 0', { timeout: 60_000 }, async () => {
  const proc = await startMcns({ zones: { [ZONE]: ZONE_TEXT }, api: true, configExtra: '[server]\nshutdown_timeout = "1s"\n' });
  try {
    const token = await adminToken(proc);
    const upload = startUpload(proc, token, BIG, 1_000_000);
    upload.req.write('$ORIGIN big.example.\n');
    const dns = new TcpDns(proc.hosts[0]!, proc.port);
    dns.socket.write(framed(`www.${ZONE}`, 1).subarray(0, 5));
    await sleep(300);
    const t0 = Date.now();
    process.kill(proc.pid, 'SIGTERM');
    assert.deepEqual(await waitExit(proc, 5_000), { code: 0, signal: null });
    const took = Date.now() - t0;
    assert.ok(took >= 900 && took < 3_000, `exited ${took} ms after SIGTERM`);
    await assert.rejects(upload.done, 'the upload was cut');
    await dns.closed;
    const stopped = proc.logs().split('\n').find((l) => l.includes('"stopped: shutdown_timeout ran out; connections cut"'));
    assert.ok(stopped !== undefined, proc.logs());
    assert.deepEqual((JSON.parse(stopped) as { cut: unknown }).cut, { rest: 1, grpc: 0, dnsTcp: 1, dnsUdp: 0 });
    const check = await runMcns(['integrity-check', '--config', proc.configPath], proc.dir);
    assert.equal(check.code, 0, check.stdout + check.stderr);
  } finally {
    await proc.stop();
  }
});

/** `serve` in this process, with a test's signal emitter and no io.exit: a forced exit returns its code. */
function inProcess(configExtra = ''): { io: CliIo; signals: EventEmitter; out: () => string; err: () => string; dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-lifecycle-'));
  const config = join(dir, 'mcns.toml');
  writeFileSync(config, [
    '[dns]', 'listen_addr = ["127.0.0.1:0"]', '[database]', 'path = "mcns.db"', '[log]', 'level = "info"',
    '[api]', 'rest_addr = "127.0.0.1:0"', 'grpc_addr = "127.0.0.1:0"', '[metrics]', 'listen_addr = ""', configExtra, '',
  ].join('\n'));
  let out = '';
  let err = '';
  const signals = new EventEmitter();
  const io: CliIo = {
    stdout: { write: (chunk: string) => { out += chunk; } },
    stderr: { write: (chunk: string) => { err += chunk; } },
    cwd: dir, env: {}, signals,
  };
  return { io, signals, out: () => out, err: () => err, dir, config };
}

test('in process: a SIGTERM that comes while the server is starting stops it once started, exit 0', { timeout: 60_000 }, async () => {
  const run = inProcess();
  try {
    const done = serve({ config: run.config }, run.io);
    run.signals.emit('SIGTERM');
    assert.equal(await done, 0, run.err());
    assert.match(run.err(), /"msg":"shutting down: draining"[\s\S]*"msg":"stopped: drained"/);
    assert.deepEqual(['SIGTERM', 'SIGINT', 'SIGHUP'].map((name) => run.signals.listenerCount(name)), [0, 0, 0], 'no listener left behind');
  } finally {
    rmSync(run.dir, { recursive: true, force: true });
  }
});

test('in process: a second signal during the drain returns 143 at once when there is no exit to call', { timeout: 60_000 }, async () => {
  const run = inProcess();
  try {
    const done = serve({ config: run.config }, run.io);
    while (!/serving DNS on 127\.0\.0\.1:(\d+)/.test(run.out())) await sleep(10);
    const port = Number(/serving DNS on 127\.0\.0\.1:(\d+)/.exec(run.out())![1]);
    const dns = new TcpDns('127.0.0.1', port);
    dns.socket.write(framed('example.com.', 1).subarray(0, 5));
    await sleep(100);
    run.signals.emit('SIGTERM');
    await sleep(200);
    const t0 = Date.now();
    run.signals.emit('SIGTERM');
    assert.equal(await done, 143);
    assert.ok(Date.now() - t0 < 1_000);
    assert.match(run.err(), /"msg":"second signal: exiting now/);
    dns.socket.destroy();
  } finally {
    rmSync(run.dir, { recursive: true, force: true });
  }
});
