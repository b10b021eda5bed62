// Issue 5 item 2 end to end: `mcns cache show NAME` and `mcns cache flush [NAME]
// [--subtree]` against a real `mcns serve` forwarding to a real knotd, through the
// CLI (REST), REST directly and gRPC. Seed 004's recipe for a stale NXDOMAIN is
// "flush the negative cache (rec_control wipe-cache <fqdn>$)"; here it is one verb.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Code, ConnectError } from '@connectrpc/connect';
import { Agent, request } from 'undici';
import { createGrpcClient, grpcErrorDetail } from '../src/api/grpc/index.js';
import type { CachedAnswerView } from '../src/service/index.js';
import { dig } from './helpers/dig.js';
import { MCNS_BIN, startMcns, type McnsProcess } from './helpers/start-mcns.js';
import { startKnotUpstream, type KnotUpstream } from './forward/knot-upstream.js';

const UPSTREAM_ZONE = `
$TTL 600
@        SOA ns1 hostmaster 7 7200 900 1209600 120
@        NS  ns1
ns1      A   198.51.100.1
www      A   198.51.100.80
a.sub    A   198.51.100.81
b.sub    A   198.51.100.82
x.b.sub  A   198.51.100.83
`;

let knot: KnotUpstream;
let mcns: McnsProcess;
let admin = '';
let viewer = '';

before(async () => {
  knot = await startKnotUpstream([{ origin: 'public.test.', text: UPSTREAM_ZONE }]);
  // allow_recursion keeps its default (loopback), so dig from 127.0.0.1 may recurse.
  mcns = await startMcns({ api: true, configExtra: `[forward]\nupstreams = ["${knot.address}"]\n` });
  admin = await token(mcns, 'admin', 'admin');
  viewer = await token(mcns, 'dash', 'viewer');
});

after(async () => {
  await mcns?.stop();
  await knot?.close();
});

/** A token made with `mcns token create --config` on the server's database. */
async function token(proc: McnsProcess, name: string, role: string): Promise<string> {
  const r = await proc.cli(['token', 'create', '--name', name, '--role', role]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/** Runs a remote `mcns` verb against `proc`'s API with `bearer`. */
function remote(proc: McnsProcess, args: readonly string[], bearer: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, MCNS_DEBUG: '', MCNS_ADDR: proc.api!.restUrl, MCNS_CA_CERT: proc.api!.caCertPath, MCNS_TOKEN: bearer };
  return new Promise((done) => {
    execFile(process.execPath, [MCNS_BIN, ...args], { cwd: proc.dir, env, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
      done({ code, stdout, stderr });
    });
  });
}

/** `mcns cache show NAME --json` as the admin. */
async function show(name: string): Promise<CachedAnswerView[]> {
  const r = await remote(mcns, ['cache', 'show', name, '--json'], admin);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as CachedAnswerView[];
}

/** `mcns cache flush ARGS --json` as the admin: how many entries went. */
async function flush(args: readonly string[]): Promise<number> {
  const r = await remote(mcns, ['cache', 'flush', ...args, '--json'], admin);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { flushed: number }).flushed;
}

/** Asks mcns (recursion desired) and expects `status`. */
async function ask(name: string, status = 'NOERROR'): Promise<void> {
  const r = await dig(['@127.0.0.1', '-p', String(mcns.port), '+time=3', '+tries=1', name, 'A']);
  assert.equal(r.status, status, r.output);
}

/** One REST call with `bearer`: status and JSON body. */
async function rest(proc: McnsProcess, method: 'GET' | 'POST', path: string, bearer: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const agent = new Agent({ connect: { ca: proc.api!.caCert } });
  try {
    const r = await request(new URL(path, proc.api!.restUrl), {
      method, dispatcher: agent,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.body.text();
    return { status: r.statusCode, json: text === '' ? null : JSON.parse(text) };
  } finally {
    await agent.close();
  }
}

test('a forwarded answer is listed by cache show with its TTL counting down from the upstream\'s', async () => {
  await ask('www.public.test.');
  const entries = await show('WWW.public.test');
  assert.equal(entries.length, 1, JSON.stringify(entries));
  const e = entries[0]!;
  assert.deepEqual({ ...e, ttlRemaining: 0, bytes: 0 }, {
    type: 'A', class: 'IN', rcode: 'NOERROR', negative: false, ttlRemaining: 0, stale: false, dnssecOk: false, checkingDisabled: false, bytes: 0,
  });
  assert.ok(e.ttlRemaining > 590 && e.ttlRemaining <= 600, `ttl ${e.ttlRemaining}`);
  assert.ok(e.bytes > 0);
  const table = await remote(mcns, ['cache', 'show', 'www.public.test'], viewer);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^TYPE\s+CLASS\s+RCODE\s+TTL\s+NEGATIVE\s+STALE\s+DO\s+CD\s+BYTES\nA\s+IN\s+NOERROR\s+\d+\s+-\s+-\s+-\s+-\s+\d+\n$/);
});

test('seed 004: a cached NXDOMAIN is shown as negative, flushed by name, and the next query asks the upstream again', async () => {
  await ask('new.public.test.', 'NXDOMAIN');
  const [nx] = await show('new.public.test.');
  assert.equal(nx?.rcode, 'NXDOMAIN');
  assert.equal(nx?.negative, true);
  // RFC 2308 5: the negative TTL is the SOA's MINIMUM (120) at most.
  assert.ok(nx.ttlRemaining > 110 && nx.ttlRemaining <= 120, `negative ttl ${nx.ttlRemaining}`);
  const r = await remote(mcns, ['cache', 'flush', 'new.public.test'], admin);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'flushed 1 entry: new.public.test.\n');
  assert.deepEqual(await show('new.public.test.'), []);
  const empty = await remote(mcns, ['cache', 'show', 'new.public.test'], admin);
  assert.equal(empty.stdout, 'nothing cached for new.public.test.\n');
  assert.equal((await show('www.public.test.')).length, 1, 'other names stay cached');
  await ask('new.public.test.', 'NXDOMAIN');
  assert.equal((await show('new.public.test.')).length, 1, 'cached again after the next query');
});

test('flush --subtree removes the name and every name below it, and nothing beside it', async () => {
  for (const n of ['a.sub.public.test.', 'b.sub.public.test.', 'x.b.sub.public.test.', 'www.public.test.']) await ask(n);
  assert.equal(await flush(['b.sub.public.test']), 1, 'without --subtree only the name itself');
  assert.equal((await show('x.b.sub.public.test')).length, 1);
  assert.equal(await flush(['sub.public.test.', '--subtree']), 2);
  for (const n of ['a.sub.public.test.', 'x.b.sub.public.test.']) assert.deepEqual(await show(n), [], n);
  assert.equal((await show('www.public.test.')).length, 1);
});

test('flush without NAME empties the whole cache; --subtree without NAME is a usage error', async () => {
  await ask('www.public.test.');
  await ask('a.sub.public.test.');
  const usage = await remote(mcns, ['cache', 'flush', '--subtree'], admin);
  assert.equal(usage.code, 2, usage.stderr);
  assert.ok((await flush([])) >= 2);
  assert.deepEqual(await show('www.public.test.'), []);
  assert.deepEqual(await show('a.sub.public.test.'), []);
  assert.equal(await flush([]), 0);
  // Over REST an empty JSON object flushes everything too.
  await ask('www.public.test.');
  const r = await rest(mcns, 'POST', '/v1/cache/flush', admin, {});
  assert.deepEqual(r, { status: 200, json: { flushed: 1 } });
});

test('flushing needs admin: a viewer gets 403 over REST and exit 6 from the CLI, but may show', async () => {
  await ask('www.public.test.');
  const r = await rest(mcns, 'POST', '/v1/cache/flush', viewer, { name: 'www.public.test.' });
  assert.equal(r.status, 403);
  assert.equal((r.json as { error: { code: string } }).error.code, 'PERMISSION_DENIED');
  const cli = await remote(mcns, ['cache', 'flush', 'www.public.test'], viewer);
  assert.equal(cli.code, 6, cli.stderr);
  assert.match(cli.stderr, /token "dash" with role viewer may not call "flushCache" \(needs admin\)/);
  const shown = await rest(mcns, 'GET', '/v1/cache/www.public.test.', viewer);
  assert.equal(shown.status, 200);
  assert.equal((shown.json as { entries: unknown[] }).entries.length, 1, 'the viewer\'s attempt flushed nothing');
  const bad = await rest(mcns, 'GET', '/v1/cache/a..b', viewer);
  assert.equal(bad.status, 400);
  assert.deepEqual((bad.json as { error: { code: string; field: string } }).error.field, 'name');
});

test('over gRPC: AdminService.ShowCache and FlushCache, and PERMISSION_DENIED for a viewer\'s flush', async () => {
  await ask('www.public.test.');
  const asAdmin = createGrpcClient({ baseUrl: mcns.api!.grpcUrl, caCert: mcns.api!.caCert, token: admin, timeoutMs: 20_000 });
  const asViewer = createGrpcClient({ baseUrl: mcns.api!.grpcUrl, caCert: mcns.api!.caCert, token: viewer, timeoutMs: 20_000 });
  try {
    const shown = await asViewer.admin.showCache({ name: 'www.public.test.' });
    assert.deepEqual(shown.entries.map((e) => [e.type, e.rcode, e.negative]), [['A', 'NOERROR', false]]);
    assert.ok(shown.entries[0]!.ttlRemaining > 0);
    await assert.rejects(asViewer.admin.flushCache({ name: 'www.public.test.' }), (err: unknown) => {
      assert.ok(err instanceof ConnectError);
      assert.equal(err.code, Code.PermissionDenied);
      return true;
    });
    assert.equal((await asAdmin.admin.flushCache({ name: 'public.test.', subtree: true })).flushed, 1);
    assert.deepEqual((await asAdmin.admin.showCache({ name: 'www.public.test.' })).entries, []);
  } finally {
    asAdmin.close();
    asViewer.close();
  }
});

test('every flush is in the audit log under the admin\'s name; refused ones are not', async () => {
  const r = await remote(mcns, ['audit', '--json'], admin);
  assert.equal(r.code, 0, r.stderr);
  const flushes = (JSON.parse(r.stdout) as { principal: string; operation: string; summary: string }[])
    .filter((e) => e.operation === 'flushCache');
  assert.ok(flushes.every((e) => e.principal === 'admin'), JSON.stringify(flushes));
  // Newest first; the tests above ran in order.
  assert.deepEqual(flushes.map((e) => e.summary).reverse(), [
    'flush cache: new.public.test. (1 entry)',
    'flush cache: b.sub.public.test. (1 entry)',
    'flush cache: sub.public.test. and below (2 entries)',
    'flush cache: all (3 entries)',
    'flush cache: all (0 entries)',
    'flush cache: all (1 entry)',
    'flush cache: public.test. and below (1 entry)',
  ]);
});

test('with forwarding off: FAILED_PRECONDITION naming [forward] upstreams, 412 over REST, exit 7 from the CLI', async () => {
  const plain = await startMcns({ api: true });
  try {
    const bearer = await token(plain, 'admin', 'admin');
    const r = await rest(plain, 'POST', '/v1/cache/flush', bearer, { name: 'www.public.test.' });
    assert.deepEqual(r, {
      status: 412,
      json: { error: { code: 'FAILED_PRECONDITION', message: 'forwarding is off: no cache to flush (set [forward] upstreams)', field: null } },
    });
    const cli = await remote(plain, ['cache', 'show', 'www.public.test'], bearer);
    assert.equal(cli.code, 7, cli.stderr);
    assert.equal(cli.stderr, 'error: forwarding is off: no cache to show (set [forward] upstreams)\n');
    const grpc = createGrpcClient({ baseUrl: plain.api!.grpcUrl, caCert: plain.api!.caCert, token: bearer, timeoutMs: 20_000 });
    try {
      await assert.rejects(grpc.admin.flushCache({}), (err: unknown) => {
        assert.ok(err instanceof ConnectError);
        assert.equal(err.code, Code.FailedPrecondition);
        assert.equal(grpcErrorDetail(err)?.code, 'FAILED_PRECONDITION');
        return true;
      });
    } finally {
      grpc.close();
    }
  } finally {
    await plain.stop();
  }
});
