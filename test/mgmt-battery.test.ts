// One scenario battery for the management plane, run three times through three
// drivers with the same expectations: REST (undici, routes from the operations
// table), gRPC (the gRPC adapter's client) and the CLI (`node bin/mcns.js ... --json`,
// exit codes checked against the documented table). Each driver gets its own real
// `mcns serve`; after every change the test asks the DNS server (dig) and expects
// the new answer to be there already, because a change returns only once served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, ConnectError } from '@connectrpc/connect';
import { Agent, request } from 'undici';
import { createGrpcClient, grpcErrorDetail, type GrpcClient } from '../src/api/grpc/index.js';
import {
  operationSpec, type AuditEntry, type ChangeResult, type OperationIO, type OperationName, type RRsetView, type TokenView, type ZoneView,
} from '../src/service/index.js';
import { dig } from './helpers/dig.js';
import { MCNS_BIN, startMcns, type McnsApi, type McnsProcess } from './helpers/start-mcns.js';

/** What a call came to: the output, or the stable error code and field. */
type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly field: string | null; readonly message: string };

/** One way of reaching the management API. */
interface Driver {
  readonly name: string;
  call<N extends OperationName>(name: N, input: OperationIO[N]['input'], token: string | undefined): Promise<Outcome<OperationIO[N]['output']>>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// REST: undici, method and path from the operations table.

function restDriver(api: McnsApi): Driver {
  const agent = new Agent({ connect: { ca: api.caCert } });
  return {
    name: 'REST',
    async call(name, input, token) {
      const spec = operationSpec(name);
      const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
      const path = spec.rest.path.replace(/\{(\w+)\}/g, (_, key: string) => {
        const v = rest[key];
        delete rest[key];
        return encodeURIComponent(String(v));
      });
      const url = new URL(path, api.restUrl);
      const headers: Record<string, string> = { accept: 'application/json' };
      if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
      let body: string | undefined;
      if (spec.rest.method === 'GET' || spec.rest.method === 'DELETE') {
        for (const [k, v] of Object.entries(rest)) if (v !== undefined) url.searchParams.set(k, String(v));
      } else {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(rest);
      }
      const r = await request(url, { method: spec.rest.method, headers, dispatcher: agent, ...(body === undefined ? {} : { body }) });
      const text = await r.body.text();
      const json = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      if (r.statusCode >= 200 && r.statusCode < 300) return { ok: true, value: json as never };
      const e = (json as { error?: { code: string; message: string; field: string | null } }).error;
      assert.ok(e !== undefined, `${name}: error body without "error": ${text}`);
      const status = HTTP_STATUS[e.code];
      assert.ok(status === undefined || status.includes(r.statusCode), `${name}: ${e.code} came with HTTP ${r.statusCode}`);
      return { ok: false, code: e.code, field: e.field ?? null, message: e.message };
    },
    close: () => agent.close(),
  };
}

/** The HTTP statuses each code may come with (the REST adapter's table). */
const HTTP_STATUS: Readonly<Record<string, readonly number[]>> = {
  INVALID_ARGUMENT: [400], UNAUTHENTICATED: [401], PERMISSION_DENIED: [403], NOT_FOUND: [404],
  ALREADY_EXISTS: [409], ABORTED: [409], FAILED_PRECONDITION: [409, 412],
};

// ---------------------------------------------------------------------------
// gRPC: the adapter's client, messages converted to and from the service's shapes.

/** The object without its undefined members (protobuf-es init shapes refuse explicit undefined). */
const omit = <T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
const zoneView = (z: { name: string; serial: number; kind: string; recordCount: number; createdAt: string; updatedAt: string } | undefined): ZoneView => {
  assert.ok(z !== undefined);
  return { name: z.name, serial: z.serial, kind: z.kind as ZoneView['kind'], recordCount: z.recordCount, createdAt: z.createdAt, updatedAt: z.updatedAt };
};
const rrsetView = (s: { name: string; type: string; ttl: number; records: string[] } | undefined): RRsetView => {
  assert.ok(s !== undefined);
  return { name: s.name, type: s.type, ttl: s.ttl, records: [...s.records] };
};
const changeResult = (c: { zone: string; serialBefore: number; serialAfter: number } | undefined): ChangeResult => {
  assert.ok(c !== undefined);
  return { zone: c.zone, serialBefore: c.serialBefore, serialAfter: c.serialAfter };
};
const tokenView = (t: { id: string; name: string; role: string; zones?: { names: string[] } | undefined; createdAt: string; expiresAt?: string | undefined; revokedAt?: string | undefined; lastUsedAt?: string | undefined } | undefined): TokenView => {
  assert.ok(t !== undefined);
  return {
    id: t.id, name: t.name, role: t.role as TokenView['role'], zones: t.zones === undefined ? null : [...t.zones.names],
    createdAt: t.createdAt, expiresAt: t.expiresAt ?? null, revokedAt: t.revokedAt ?? null, lastUsedAt: t.lastUsedAt ?? null,
  };
};

function grpcDriver(api: McnsApi): Driver {
  const clients = new Map<string, GrpcClient>();
  const client = (token: string | undefined): GrpcClient => {
    const key = token ?? '';
    let c = clients.get(key);
    if (c === undefined) {
      c = createGrpcClient({ baseUrl: api.grpcUrl, caCert: api.caCert, ...(token === undefined ? {} : { token }), timeoutMs: 20_000 });
      clients.set(key, c);
    }
    return c;
  };
  const handlers: { [N in OperationName]: (c: GrpcClient, i: OperationIO[N]['input']) => Promise<OperationIO[N]['output']> } = {
    health: async (c) => ({ status: (await c.admin.health({})).status as 'ok' }),
    ready: async (c) => {
      const r = await c.admin.ready({});
      return { ready: r.ready, reason: r.reason };
    },
    listZones: async (c, i) => {
      const r = await c.zones.listZones(omit({ filter: i.filter, pageSize: i.pageSize, pageToken: i.pageToken }));
      return { items: r.zones.map(zoneView), nextPageToken: r.nextPageToken };
    },
    getZone: async (c, i) => zoneView((await c.zones.getZone({ zone: i.zone })).zone),
    createZone: async (c, i) => zoneView((await c.zones.createZone(omit({ zone: i.zone, nameservers: i.nameservers === undefined ? undefined : [...i.nameservers], email: i.email, ttl: i.ttl }))).zone),
    deleteZone: async (c, i) => {
      await c.zones.deleteZone({ zone: i.zone });
      return {};
    },
    importZone: async (c, i) => {
      const r = await c.zones.importZone({ zone: i.zone, text: i.text });
      return { ...changeResult(r.result), recordCount: r.recordCount };
    },
    exportZone: async (c, i) => ({ text: (await c.zones.exportZone({ zone: i.zone })).text }),
    listRRsets: async (c, i) => {
      const r = await c.records.listRRsets(omit({ zone: i.zone, name: i.name, type: i.type, pageSize: i.pageSize, pageToken: i.pageToken }));
      return { items: r.rrsets.map(rrsetView), nextPageToken: r.nextPageToken };
    },
    getRRset: async (c, i) => rrsetView((await c.records.getRRset({ zone: i.zone, name: i.name, type: i.type })).rrset),
    replaceRRset: async (c, i) => changeResult((await c.records.replaceRRset(omit({ ...i, records: [...i.records] }))).result),
    deleteRRset: async (c, i) => changeResult((await c.records.deleteRRset(omit({ ...i }))).result),
    addRecords: async (c, i) => changeResult((await c.records.addRecords(omit({ ...i, records: [...i.records] }))).result),
    removeRecords: async (c, i) => changeResult((await c.records.removeRecords(omit({ ...i, records: [...i.records] }))).result),
    applyChanges: async (c, i) => changeResult((await c.records.applyChanges(omit({
      zone: i.zone,
      expectedSerial: i.expectedSerial,
      changes: i.changes.map((ch) => omit({
        op: ch.op, name: ch.name, type: ch.type,
        ttl: 'ttl' in ch ? ch.ttl : undefined,
        records: 'records' in ch ? [...ch.records] : [],
      })),
    }))).result),
    listAudit: async (c, i) => {
      const r = await c.audit.listAudit(omit({ zone: i.zone, pageSize: i.pageSize, pageToken: i.pageToken }));
      const items: AuditEntry[] = r.entries.map((e) => ({
        id: Number(e.id), time: e.time, principal: e.principal, operation: e.operation, zone: e.zone ?? null,
        serialBefore: e.serialBefore ?? null, serialAfter: e.serialAfter ?? null, summary: e.summary,
      }));
      return { items, nextPageToken: r.nextPageToken };
    },
    createToken: async (c, i) => {
      const r = await c.tokens.createToken(omit({
        name: i.name, role: i.role, ttlSeconds: i.ttlSeconds,
        zones: i.zones === undefined || i.zones === null ? undefined : { names: [...i.zones] },
      }));
      return { token: tokenView(r.token), secret: r.secret };
    },
    listTokens: async (c, i) => {
      const r = await c.tokens.listTokens(omit({ pageSize: i.pageSize, pageToken: i.pageToken }));
      return { items: r.tokens.map(tokenView), nextPageToken: r.nextPageToken };
    },
    revokeToken: async (c, i) => {
      await c.tokens.revokeToken({ id: i.id });
      return {};
    },
    flushCache: async (c, i) => ({ flushed: (await c.admin.flushCache(omit({ name: i.name, subtree: i.subtree }))).flushed }),
    showCache: async (c, i) => ({
      entries: (await c.admin.showCache({ name: i.name })).entries.map((e) => ({
        type: e.type, class: e.class, rcode: e.rcode, negative: e.negative, ttlRemaining: e.ttlRemaining, stale: e.stale,
        dnssecOk: e.dnssecOk, checkingDisabled: e.checkingDisabled, bytes: e.bytes,
      })),
    }),
    createSnapshot: async (c) => {
      const r = await c.admin.createSnapshot({});
      return { path: r.path, bytes: Number(r.bytes), problems: [...r.problems], pruned: [...r.pruned] };
    },
  };
  return {
    name: 'gRPC',
    async call(name, input, token) {
      try {
        const handler = handlers[name] as (c: GrpcClient, i: unknown) => Promise<unknown>;
        return { ok: true, value: (await handler(client(token), input)) as never };
      } catch (err) {
        if (!(err instanceof ConnectError)) throw err;
        const detail = grpcErrorDetail(err);
        assert.ok(detail !== null, `${name}: gRPC error without ErrorDetail: ${Code[err.code]} ${err.rawMessage}`);
        return { ok: false, code: detail.code, field: detail.field === '' ? null : detail.field, message: err.rawMessage };
      }
    },
    close: async () => {
      for (const c of clients.values()) c.close();
    },
  };
}

// ---------------------------------------------------------------------------
// CLI: the real `mcns` process with --json; exit codes checked against the table.

/** The documented exit code of each stable code (src/cli/README.md). */
const EXIT_CODE: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 4, NOT_FOUND: 3, ALREADY_EXISTS: 7, ABORTED: 7, FAILED_PRECONDITION: 7,
  UNAUTHENTICATED: 6, PERMISSION_DENIED: 6, UNAVAILABLE: 5, INTERNAL: 5,
  ZONE_FILE: 4,
};

/**
 * Errors the CLI finds itself, before any request, under their own codes; the
 * battery expects the service's. `zone import` parses the file locally, so a bad
 * zone file is ZONE_FILE (exit 4) rather than the server's INVALID_ARGUMENT.
 */
const LOCAL_CODE: Readonly<Record<string, string>> = { ZONE_FILE: 'INVALID_ARGUMENT' };

function runCli(args: readonly string[], env: Record<string, string>, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [MCNS_BIN, ...args], { cwd, env: { ...process.env, MCNS_DEBUG: '', ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
      done({ code, stdout, stderr });
    });
  });
}

function cliDriver(api: McnsApi): Driver {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-battery-cli-'));
  let files = 0;
  const file = (name: string, text: string): string => {
    const path = join(dir, `${files++}-${name}`);
    writeFileSync(path, text, 'latin1');
    return path;
  };
  const rr = (records: readonly string[]): string[] => records.flatMap((r) => ['--rr', r]);
  const serial = (s: number | undefined): string[] => (s === undefined ? [] : ['--expect-serial', String(s)]);
  /** argv for each operation, and how its --json output becomes the service's output. */
  const verbs: { [N in OperationName]: (i: OperationIO[N]['input']) => [string[], (out: unknown) => OperationIO[N]['output']] } = {
    health: () => [['status'], () => ({ status: 'ok' })],
    ready: () => [['status'], (o) => ({ ready: (o as { ready: boolean }).ready, reason: (o as { reason: string }).reason })],
    listZones: (i) => [['zone', 'list', ...(i.filter === undefined ? [] : ['--filter', i.filter])], (o) => ({
      items: (o as { zone: string; kind: ZoneView['kind']; serial: number; records: number; updated: string }[])
        .map((z) => ({ name: z.zone, kind: z.kind, serial: z.serial, recordCount: z.records, createdAt: '', updatedAt: z.updated })),
      nextPageToken: '',
    })],
    getZone: (i) => [['zone', 'get', i.zone], (o) => o as ZoneView],
    createZone: (i) => [['zone', 'create', i.zone, ...(i.nameservers ?? []).flatMap((n) => ['--ns', n]),
      ...(i.email === undefined ? [] : ['--email', i.email]), ...(i.ttl === undefined ? [] : ['--ttl', String(i.ttl)])], (o) => o as ZoneView],
    deleteZone: (i) => [['zone', 'delete', i.zone], () => ({})],
    importZone: (i) => [['zone', 'import', i.zone, file('import.zone', i.text)], (o) => o as ChangeResult & { recordCount: number }],
    exportZone: (i) => [['zone', 'export', i.zone], (o) => o as { text: string }],
    listRRsets: (i) => [['record', 'list', i.zone, ...(i.name === undefined ? [] : ['--name', i.name]), ...(i.type === undefined ? [] : ['--type', i.type])],
      (o) => ({ items: o as RRsetView[], nextPageToken: '' })],
    getRRset: (i) => [['record', 'get', i.zone, i.name, i.type], (o) => o as RRsetView],
    replaceRRset: (i) => [['record', 'set', i.zone, i.name, String(i.ttl), i.type, ...rr(i.records), ...serial(i.expectedSerial)], (o) => o as ChangeResult],
    deleteRRset: (i) => [['record', 'delete', i.zone, i.name, i.type, ...serial(i.expectedSerial)], (o) => o as ChangeResult],
    addRecords: (i) => [['record', 'add', i.zone, i.name, String(i.ttl), i.type, ...rr(i.records), ...serial(i.expectedSerial)], (o) => o as ChangeResult],
    removeRecords: (i) => [['record', 'remove', i.zone, i.name, i.type, ...rr(i.records), ...serial(i.expectedSerial)], (o) => o as ChangeResult],
    applyChanges: (i) => [['record', 'apply', i.zone, file('batch.json', JSON.stringify(i.changes)), ...serial(i.expectedSerial)], (o) => o as ChangeResult],
    listAudit: (i) => [['audit', ...(i.zone === undefined ? [] : ['--zone', i.zone]), '--limit', String(i.pageSize ?? 1000)],
      (o) => ({ items: o as AuditEntry[], nextPageToken: '' })],
    createToken: (i) => [['token', 'create', '--name', i.name, '--role', i.role, ...(i.zones ?? []).flatMap((z) => ['--zone', z]),
      ...(i.ttlSeconds === undefined ? [] : ['--ttl', `${i.ttlSeconds}s`])], (o) => o as OperationIO['createToken']['output']],
    listTokens: () => [['token', 'list'], (o) => ({ items: o as TokenView[], nextPageToken: '' })],
    revokeToken: (i) => [['token', 'revoke', i.id], () => ({})],
    flushCache: (i) => [['cache', 'flush', ...(i.name === undefined ? [] : [i.name]), ...(i.subtree === true ? ['--subtree'] : [])],
      (o) => o as OperationIO['flushCache']['output']],
    showCache: (i) => [['cache', 'show', i.name], (o) => ({ entries: o as OperationIO['showCache']['output']['entries'] })],
    createSnapshot: () => [['snapshot'], (o) => o as OperationIO['createSnapshot']['output']],
  };
  return {
    name: 'CLI',
    async call(name, input, token) {
      const verb = verbs[name] as (i: unknown) => [string[], (out: unknown) => unknown];
      const [args, convert] = verb(input);
      const env: Record<string, string> = { MCNS_ADDR: api.restUrl, MCNS_CA_CERT: api.caCertPath, MCNS_TOKEN: token ?? '' };
      const r = await runCli([...args, '--json'], env, dir);
      if (r.code === 0) return { ok: true, value: convert(JSON.parse(r.stdout)) as never };
      let e: { code: string; message: string; field?: string };
      try {
        e = (JSON.parse(r.stderr) as { error: typeof e }).error;
      } catch {
        assert.fail(`${name}: mcns ${args.join(' ')} exited ${r.code} without a JSON error:\n${r.stderr}`);
      }
      assert.equal(r.code, EXIT_CODE[e.code], `${name}: mcns ${args.join(' ')} failed with ${e.code} but exit ${r.code}`);
      return { ok: false, code: LOCAL_CODE[e.code] ?? e.code, field: e.field ?? null, message: e.message };
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------------------
// The battery.

interface Context {
  readonly driver: Driver;
  readonly proc: McnsProcess;
  readonly admin: string;
  /** Serial of example.com. after the last change the battery made. */
  serial: number;
  viewer: string;
  editor: string;
  editorId: string;
  viewerId: string;
  /** Serials after each change to example.com., in order. */
  readonly changes: number[];
}

interface Step {
  readonly name: string;
  run(ctx: Context): Promise<void>;
}

const ZONE = 'example.com.';
const OTHER = 'other.test.';

function ok<T>(o: Outcome<T>, what: string): T {
  if (!o.ok) assert.fail(`${what}: expected success, got ${o.code} (${o.field ?? '-'}): ${o.message}`);
  return o.value;
}

function fails(o: Outcome<unknown>, code: string, what: string, field?: string): void {
  assert.ok(!o.ok, `${what}: expected ${code}, got success ${JSON.stringify((o as { value: unknown }).value)}`);
  assert.equal(o.code, code, `${what}: ${o.message}`);
  if (field !== undefined) assert.equal(o.field, field, `${what}: field`);
}

/** A change to example.com.: one serial bump, from the last one seen. */
function bumped(ctx: Context, r: ChangeResult, what: string): void {
  assert.equal(r.zone, ZONE, what);
  assert.equal(r.serialBefore, ctx.serial, `${what}: serialBefore is the serial after the previous change`);
  assert.ok(r.serialAfter > r.serialBefore, `${what}: serial ${r.serialBefore} -> ${r.serialAfter} did not increase`);
  ctx.serial = r.serialAfter;
  ctx.changes.push(r.serialAfter);
}

/** What DNS answers now: status and the answer records of `type` as "ttl data", sorted. */
async function ask(ctx: Context, name: string, type: string): Promise<{ status: string; answer: string[] }> {
  const r = await dig([`@${ctx.proc.hosts[0]}`, '-p', String(ctx.proc.port), '+norec', name, type]);
  return { status: r.status, answer: r.answer.filter((a) => a.type === type).map((a) => `${a.ttl} ${a.data}`).sort() };
}

async function soaSerial(ctx: Context, zone: string): Promise<number | null> {
  const r = await ask(ctx, zone, 'SOA');
  const data = r.answer[0];
  return data === undefined ? null : Number(data.split(' ')[3]);
}

const STEPS: readonly Step[] = [
  {
    name: 'health is public and ready',
    async run(ctx) {
      ok(await ctx.driver.call('health', {}, undefined), 'health');
      assert.equal(ok(await ctx.driver.call('ready', {}, undefined), 'ready').ready, true);
    },
  },
  {
    name: 'create a zone; it is served at once; creating it again conflicts',
    async run(ctx) {
      const z = ok(await ctx.driver.call('createZone', { zone: 'Example.COM', nameservers: ['ns1.example.com.'] }, ctx.admin), 'createZone');
      assert.equal(z.name, ZONE);
      assert.equal(z.kind, 'primary');
      ctx.serial = z.serial;
      assert.equal(await soaSerial(ctx, ZONE), z.serial, 'SOA served with the new serial');
      fails(await ctx.driver.call('createZone', { zone: ZONE, nameservers: ['ns1.example.net.'] }, ctx.admin), 'ALREADY_EXISTS', 'createZone again');
      ok(await ctx.driver.call('createZone', { zone: OTHER, nameservers: ['ns1.example.net.'] }, ctx.admin), 'createZone other');
      const zones = ok(await ctx.driver.call('listZones', {}, ctx.admin), 'listZones').items.map((x) => x.name);
      assert.deepEqual([...zones].sort(), [ZONE, OTHER]);
      assert.equal(ok(await ctx.driver.call('getZone', { zone: ZONE }, ctx.admin), 'getZone').serial, ctx.serial);
    },
  },
  {
    name: 'add records (relative and absolute owners); each is in DNS when the call returns',
    async run(ctx) {
      bumped(ctx, ok(await ctx.driver.call('addRecords', { zone: ZONE, name: 'www', type: 'A', ttl: 300, records: ['192.0.2.10'] }, ctx.admin), 'add www'), 'add www');
      assert.deepEqual((await ask(ctx, 'www.example.com', 'A')).answer, ['300 192.0.2.10']);
      bumped(ctx, ok(await ctx.driver.call('addRecords', { zone: ZONE, name: 'www.example.com.', type: 'A', ttl: 300, records: ['192.0.2.11'] }, ctx.admin), 'add www 2'), 'add www 2');
      assert.deepEqual((await ask(ctx, 'www.example.com', 'A')).answer, ['300 192.0.2.10', '300 192.0.2.11']);
      bumped(ctx, ok(await ctx.driver.call('addRecords', { zone: ZONE, name: '@', type: 'MX', ttl: 3600, records: ['10 mail.example.com.'] }, ctx.admin), 'add MX'), 'add MX');
      assert.deepEqual((await ask(ctx, 'example.com', 'MX')).answer, ['3600 10 mail.example.com.']);
      bumped(ctx, ok(await ctx.driver.call('addRecords', { zone: ZONE, name: 'txt', type: 'TXT', ttl: 60, records: ['"hello world" "two"'] }, ctx.admin), 'add TXT'), 'add TXT');
      assert.deepEqual((await ask(ctx, 'txt.example.com', 'TXT')).answer, ['60 "hello world" "two"']);
      assert.equal(await soaSerial(ctx, ZONE), ctx.serial);
    },
  },
  {
    name: 'list and get show the RRsets with absolute names',
    async run(ctx) {
      const all = ok(await ctx.driver.call('listRRsets', { zone: ZONE }, ctx.admin), 'listRRsets').items;
      const www = all.find((s) => s.name === 'www.example.com.' && s.type === 'A');
      assert.deepEqual(www && [...www.records].sort(), ['192.0.2.10', '192.0.2.11']);
      assert.ok(all.some((s) => s.name === ZONE && s.type === 'SOA'), 'the SOA is listed');
      assert.ok(all.some((s) => s.name === ZONE && s.type === 'MX'), 'the MX is listed');
      const onlyA = ok(await ctx.driver.call('listRRsets', { zone: ZONE, type: 'A' }, ctx.admin), 'listRRsets A').items;
      assert.ok(onlyA.length > 0 && onlyA.every((s) => s.type === 'A'), 'type filter');
      const got = ok(await ctx.driver.call('getRRset', { zone: ZONE, name: 'www', type: 'a' }, ctx.admin), 'getRRset');
      assert.deepEqual({ ...got, records: [...got.records].sort() }, { name: 'www.example.com.', type: 'A', ttl: 300, records: ['192.0.2.10', '192.0.2.11'] });
      fails(await ctx.driver.call('getRRset', { zone: ZONE, name: 'nothing', type: 'A' }, ctx.admin), 'NOT_FOUND', 'getRRset absent');
      fails(await ctx.driver.call('getZone', { zone: 'absent.example.' }, ctx.admin), 'NOT_FOUND', 'getZone absent');
    },
  },
  {
    name: 'replace an RRset; remove one record; removing an absent record changes nothing',
    async run(ctx) {
      bumped(ctx, ok(await ctx.driver.call('replaceRRset', { zone: ZONE, name: 'www', type: 'A', ttl: 600, records: ['192.0.2.20', '192.0.2.21'] }, ctx.admin), 'replace'), 'replace');
      assert.deepEqual((await ask(ctx, 'www.example.com', 'A')).answer, ['600 192.0.2.20', '600 192.0.2.21']);
      bumped(ctx, ok(await ctx.driver.call('removeRecords', { zone: ZONE, name: 'www', type: 'A', records: ['192.0.2.21'] }, ctx.admin), 'remove'), 'remove');
      assert.deepEqual((await ask(ctx, 'www.example.com', 'A')).answer, ['600 192.0.2.20']);
      fails(await ctx.driver.call('removeRecords', { zone: ZONE, name: 'www', type: 'A', records: ['192.0.2.99'] }, ctx.admin), 'NOT_FOUND', 'remove absent');
      assert.equal(ok(await ctx.driver.call('getZone', { zone: ZONE }, ctx.admin), 'getZone').serial, ctx.serial, 'a refused change bumps nothing');
    },
  },
  {
    name: 'a batch with the expected serial applies atomically; a stale serial conflicts and changes nothing',
    async run(ctx) {
      const before = ctx.serial;
      bumped(ctx, ok(await ctx.driver.call('applyChanges', {
        zone: ZONE,
        expectedSerial: ctx.serial,
        changes: [
          { op: 'replace', name: 'api', type: 'A', ttl: 120, records: ['192.0.2.30', '192.0.2.31'] },
          { op: 'add', name: 'api', type: 'AAAA', ttl: 120, records: ['2001:db8::30'] },
          { op: 'delete', name: 'txt', type: 'TXT' },
        ],
      }, ctx.admin), 'apply'), 'apply');
      assert.deepEqual((await ask(ctx, 'api.example.com', 'A')).answer, ['120 192.0.2.30', '120 192.0.2.31']);
      assert.deepEqual((await ask(ctx, 'api.example.com', 'AAAA')).answer, ['120 2001:db8::30']);
      assert.equal((await ask(ctx, 'txt.example.com', 'TXT')).status, 'NXDOMAIN');
      fails(await ctx.driver.call('applyChanges', {
        zone: ZONE, expectedSerial: before, changes: [{ op: 'replace', name: 'api', type: 'A', ttl: 120, records: ['192.0.2.99'] }],
      }, ctx.admin), 'ABORTED', 'stale serial');
      fails(await ctx.driver.call('replaceRRset', { zone: ZONE, name: 'api', type: 'A', ttl: 1, records: ['192.0.2.98'], expectedSerial: before }, ctx.admin), 'ABORTED', 'stale serial on replace');
      assert.deepEqual((await ask(ctx, 'api.example.com', 'A')).answer, ['120 192.0.2.30', '120 192.0.2.31']);
      // All or none: a batch with one bad change applies none of it.
      const bad = await ctx.driver.call('applyChanges', {
        zone: ZONE,
        changes: [
          { op: 'replace', name: 'good', type: 'A', ttl: 60, records: ['192.0.2.50'] },
          { op: 'replace', name: 'bad', type: 'A', ttl: 60, records: ['not-an-address'] },
        ],
      }, ctx.admin);
      fails(bad, 'INVALID_ARGUMENT', 'bad batch');
      assert.match(String((bad as { field: string | null }).field), /^changes\[1\]/);
      assert.equal((await ask(ctx, 'good.example.com', 'A')).status, 'NXDOMAIN', 'nothing of a refused batch is served');
      assert.equal(await soaSerial(ctx, ZONE), ctx.serial);
    },
  },
  {
    name: 'delete an RRset; deleting it again is not found',
    async run(ctx) {
      bumped(ctx, ok(await ctx.driver.call('deleteRRset', { zone: ZONE, name: 'api', type: 'AAAA' }, ctx.admin), 'delete AAAA'), 'delete AAAA');
      const r = await ask(ctx, 'api.example.com', 'AAAA');
      assert.equal(r.status, 'NOERROR');
      assert.deepEqual(r.answer, [], 'NODATA: the A records remain');
      fails(await ctx.driver.call('deleteRRset', { zone: ZONE, name: 'api', type: 'AAAA' }, ctx.admin), 'NOT_FOUND', 'delete again');
    },
  },
  {
    name: 'export, edit, import: the round trip keeps every RRset and serves the edit',
    async run(ctx) {
      const exported = ok(await ctx.driver.call('exportZone', { zone: ZONE }, ctx.admin), 'export').text;
      assert.match(exported, /www\s+600\s+(IN\s+)?A\s+192\.0\.2\.20/);
      const edited = `${exported}\nimported.example.com. 300 IN A 192.0.2.40\n`;
      const r = ok(await ctx.driver.call('importZone', { zone: ZONE, text: edited }, ctx.admin), 'import');
      bumped(ctx, r, 'import');
      assert.ok(r.recordCount > 5, `recordCount ${r.recordCount}`);
      assert.deepEqual((await ask(ctx, 'imported.example.com', 'A')).answer, ['300 192.0.2.40']);
      assert.deepEqual((await ask(ctx, 'www.example.com', 'A')).answer, ['600 192.0.2.20']);
      const again = ok(await ctx.driver.call('exportZone', { zone: ZONE }, ctx.admin), 'export again').text;
      const rrsets = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith(';') && !/\sSOA\s/.test(l)).sort();
      assert.deepEqual(rrsets(again).filter((l) => !l.includes('192.0.2.40')), rrsets(exported));
      assert.equal(await soaSerial(ctx, ZONE), ctx.serial);
      fails(await ctx.driver.call('importZone', { zone: ZONE, text: 'this is not a zone file\n' }, ctx.admin), 'INVALID_ARGUMENT', 'bad import');
      assert.equal(await soaSerial(ctx, ZONE), ctx.serial, 'a refused import changes nothing');
    },
  },
  {
    name: 'bad input is INVALID_ARGUMENT naming the field',
    async run(ctx) {
      fails(await ctx.driver.call('replaceRRset', { zone: ZONE, name: 'www', type: 'A', ttl: 300, records: ['192.0.2.1', 'not-an-address'] }, ctx.admin),
        'INVALID_ARGUMENT', 'bad RDATA', 'records[1]');
      fails(await ctx.driver.call('addRecords', { zone: ZONE, name: 'x..y', type: 'A', ttl: 300, records: ['192.0.2.1'] }, ctx.admin),
        'INVALID_ARGUMENT', 'bad owner', 'name');
      fails(await ctx.driver.call('addRecords', { zone: ZONE, name: 'www.elsewhere.org.', type: 'A', ttl: 300, records: ['192.0.2.1'] }, ctx.admin),
        'INVALID_ARGUMENT', 'owner outside the zone', 'name');
      assert.deepEqual((await ask(ctx, 'www.example.com', 'A')).answer, ['600 192.0.2.20']);
    },
  },
  {
    name: 'no token is UNAUTHENTICATED; a malformed token too',
    async run(ctx) {
      fails(await ctx.driver.call('listZones', {}, undefined), 'UNAUTHENTICATED', 'no token');
      fails(await ctx.driver.call('addRecords', { zone: ZONE, name: 'x', type: 'A', ttl: 1, records: ['192.0.2.1'] }, undefined), 'UNAUTHENTICATED', 'write without token');
      fails(await ctx.driver.call('listZones', {}, 'mcns_0000000000000000_xxx'), 'UNAUTHENTICATED', 'malformed token');
    },
  },
  {
    name: 'a viewer reads but may not write',
    async run(ctx) {
      const created = ok(await ctx.driver.call('createToken', { name: 'battery-viewer', role: 'viewer' }, ctx.admin), 'create viewer');
      assert.match(created.secret, /^mcns_[0-9a-f]{16}_/);
      assert.equal(created.token.role, 'viewer');
      ctx.viewer = created.secret;
      ctx.viewerId = created.token.id;
      assert.equal(ok(await ctx.driver.call('getZone', { zone: ZONE }, ctx.viewer), 'viewer reads').name, ZONE);
      fails(await ctx.driver.call('addRecords', { zone: ZONE, name: 'v', type: 'A', ttl: 60, records: ['192.0.2.60'] }, ctx.viewer), 'PERMISSION_DENIED', 'viewer writes');
      fails(await ctx.driver.call('listAudit', {}, ctx.viewer), 'PERMISSION_DENIED', 'viewer reads the audit log');
      fails(await ctx.driver.call('createToken', { name: 'escalate', role: 'admin' }, ctx.viewer), 'PERMISSION_DENIED', 'viewer creates a token');
      assert.equal((await ask(ctx, 'v.example.com', 'A')).status, 'NXDOMAIN');
    },
  },
  {
    name: 'an editor scoped to another zone may not touch this one',
    async run(ctx) {
      const created = ok(await ctx.driver.call('createToken', { name: 'battery-editor', role: 'editor', zones: ['other.test'], ttlSeconds: 3600 }, ctx.admin), 'create editor');
      assert.deepEqual(created.token.zones, [OTHER]);
      assert.ok(created.token.expiresAt !== null, 'ttl gives an expiry');
      ctx.editor = created.secret;
      ctx.editorId = created.token.id;
      fails(await ctx.driver.call('addRecords', { zone: ZONE, name: 'e', type: 'A', ttl: 60, records: ['192.0.2.70'] }, ctx.editor), 'PERMISSION_DENIED', 'editor outside scope');
      fails(await ctx.driver.call('getRRset', { zone: ZONE, name: 'www', type: 'A' }, ctx.editor), 'PERMISSION_DENIED', 'editor reads outside scope');
      assert.equal((await ask(ctx, 'e.example.com', 'A')).status, 'NXDOMAIN');
      const r = ok(await ctx.driver.call('addRecords', { zone: OTHER, name: 'e', type: 'A', ttl: 60, records: ['192.0.2.70'] }, ctx.editor), 'editor in scope');
      assert.equal(r.zone, OTHER);
      assert.deepEqual((await ask(ctx, 'e.other.test', 'A')).answer, ['60 192.0.2.70']);
      fails(await ctx.driver.call('deleteZone', { zone: OTHER }, ctx.editor), 'PERMISSION_DENIED', 'editor deletes a zone');
    },
  },
  {
    name: 'the audit log shows who made each change and the serials around it',
    async run(ctx) {
      const entries = ok(await ctx.driver.call('listAudit', { zone: ZONE, pageSize: 1000 }, ctx.admin), 'audit').items;
      assert.ok(entries.every((e) => e.zone === ZONE), 'zone filter');
      const after = entries.map((e) => e.serialAfter).filter((s): s is number => s !== null);
      for (const serial of ctx.changes) assert.ok(after.includes(serial), `the change to serial ${serial} is in the audit log`);
      for (const e of entries.filter((x) => x.serialAfter !== null && ctx.changes.includes(x.serialAfter))) {
        assert.match(e.principal, /admin/, `principal of ${e.operation}`);
        assert.ok(e.serialBefore !== null && e.serialBefore < e.serialAfter!, `serials of ${e.operation}`);
        assert.ok(e.summary.length > 0);
      }
      assert.ok(!entries.some((e) => e.summary.includes('192.0.2.99')), 'refused changes leave no entry');
      const other = ok(await ctx.driver.call('listAudit', { zone: OTHER, pageSize: 1000 }, ctx.admin), 'audit other').items;
      assert.ok(other.some((e) => e.principal.includes('battery-editor')), `the editor's change: ${JSON.stringify(other)}`);
    },
  },
  {
    name: 'tokens are listed without secrets; a revoked token stops working at once',
    async run(ctx) {
      ok(await ctx.driver.call('revokeToken', { id: ctx.editorId }, ctx.admin), 'revoke');
      fails(await ctx.driver.call('getZone', { zone: OTHER }, ctx.editor), 'UNAUTHENTICATED', 'revoked token');
      const tokens = ok(await ctx.driver.call('listTokens', {}, ctx.admin), 'listTokens').items;
      const byName = new Map(tokens.map((t) => [t.name, t]));
      assert.ok(byName.get('battery-editor')?.revokedAt, 'the editor is revoked');
      assert.equal(byName.get('battery-viewer')?.revokedAt, null);
      assert.ok(!JSON.stringify(tokens).includes(ctx.viewer.slice(-20)), 'no secret in the list');
      fails(await ctx.driver.call('revokeToken', { id: '0123456789abcdef' }, ctx.admin), 'NOT_FOUND', 'revoke unknown');
    },
  },
  {
    name: 'the forwarder\'s cache without [forward] upstreams: FAILED_PRECONDITION naming the key; flushing needs admin',
    async run(ctx) {
      const off = 'forwarding is off: no cache to';
      const flushed = await ctx.driver.call('flushCache', { name: 'www.example.net.', subtree: true }, ctx.admin);
      fails(flushed, 'FAILED_PRECONDITION', 'flushCache');
      assert.ok(!flushed.ok && flushed.message.includes(`${off} flush (set [forward] upstreams)`), 'flushCache message');
      const shown = await ctx.driver.call('showCache', { name: 'www.example.net.' }, ctx.viewer);
      fails(shown, 'FAILED_PRECONDITION', 'showCache');
      assert.ok(!shown.ok && shown.message.includes(`${off} show (set [forward] upstreams)`), 'showCache message');
      fails(await ctx.driver.call('flushCache', {}, ctx.viewer), 'PERMISSION_DENIED', 'flushCache as viewer');
      fails(await ctx.driver.call('showCache', { name: 'a..b' }, ctx.viewer), 'INVALID_ARGUMENT', 'showCache bad name', 'name');
    },
  },
  {
    name: 'a snapshot through the API: an admin takes one (checked, named by the time); a viewer may not',
    async run(ctx) {
      const snapshot = ok(await ctx.driver.call('createSnapshot', {}, ctx.admin), 'createSnapshot');
      assert.match(snapshot.path, /[\\/]backups[\\/]mcns-\d{8}-\d{6}(-\d+)?\.db$/);
      assert.ok(snapshot.bytes > 0, 'bytes');
      assert.deepEqual(snapshot.problems, [], 'integrity ok');
      fails(await ctx.driver.call('createSnapshot', {}, ctx.viewer), 'PERMISSION_DENIED', 'createSnapshot as viewer');
    },
  },
  {
    name: 'delete a zone: DNS stops answering for it at once',
    async run(ctx) {
      ok(await ctx.driver.call('deleteZone', { zone: OTHER }, ctx.admin), 'deleteZone');
      assert.equal((await ask(ctx, 'e.other.test', 'A')).status, 'REFUSED');
      fails(await ctx.driver.call('getZone', { zone: OTHER }, ctx.admin), 'NOT_FOUND', 'getZone deleted');
      fails(await ctx.driver.call('deleteZone', { zone: OTHER }, ctx.admin), 'NOT_FOUND', 'deleteZone again');
      assert.deepEqual(ok(await ctx.driver.call('listZones', {}, ctx.viewer), 'listZones').items.map((z) => z.name), [ZONE]);
    },
  },
];

const DRIVERS: readonly { readonly name: string; readonly make: (api: McnsApi) => Driver }[] = [
  { name: 'REST', make: restDriver },
  { name: 'gRPC', make: grpcDriver },
  { name: 'CLI', make: cliDriver },
];

for (const { name, make } of DRIVERS) {
  test(`management battery through ${name}: ${STEPS.length} steps against a real mcns serve`, { timeout: 180_000 }, async (t) => {
    const proc = await startMcns({ api: true });
    const driver = make(proc.api!);
    try {
      const boot = await proc.cli(['token', 'create', '--name', 'admin', '--role', 'admin']);
      assert.equal(boot.code, 0, boot.stderr);
      const ctx: Context = {
        driver, proc, admin: boot.stdout.trim(), serial: 0, viewer: '', editor: '', editorId: '', viewerId: '', changes: [],
      };
      // Steps build on each other: after the first failure the rest are skipped, not failed.
      let failed = false;
      for (const step of STEPS) {
        await t.test(step.name, async (s) => {
          if (failed) {
            s.skip('an earlier step failed');
            return;
          }
          try {
            await step.run(ctx);
          } catch (err) {
            failed = true;
            throw err;
          }
        });
      }
      assert.ok(!failed, 'every step passed');
      // Strictly increasing serials, one per acknowledged change.
      for (let i = 1; i < ctx.changes.length; i++) assert.ok(ctx.changes[i]! > ctx.changes[i - 1]!);
    } finally {
      await driver.close();
      const end = await proc.stop();
      assert.equal(end.code, 0, `mcns serve ended with ${JSON.stringify(end)}:\n${proc.logs()}`);
    }
  });
}
