// gRPC request metrics. First the listener's onRequestDone over real HTTP/2 TLS
// with a stand-in service: every protocol the adapter serves reports the method
// path and the status code a client sees (gRPC's grpc-status, gRPC-Web's trailer
// frame, plain or compressed, Connect's error JSON), and requests that never reach
// a handler are counted too. Then `mcns serve` as a real process: gRPC calls that
// succeed and fail move mcns_grpc_requests_total and the histogram's count by
// exactly the calls made.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as http2Connect } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, ConnectError, createClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import {
  AdminService, createGrpcClient, createGrpcServer, ZoneService,
  type Authenticate, type GrpcCodeName, type GrpcServer, type InvokeService,
} from '../src/api/grpc/index.js';
import { ensureSelfSignedTls } from '../src/api/tls/ensure-self-signed-tls.js';
import { AuthError } from '../src/auth/index.js';
import { createLogger } from '../src/log/index.js';
import { ServiceError, type OperationIO, type OperationName, type Principal } from '../src/service/index.js';
import { freePort } from './helpers/free-port.js';
import { startMcns, type McnsProcess } from './helpers/start-mcns.js';
import { connectFailure } from './helpers/connect-failure.js';

const log = createLogger({ level: 'error', sink: { write() {} } });
const admin: Principal = { id: 't1', name: 'ci', role: 'admin', zones: null, via: 'token' };
/** Longer than the adapter's compressMinBytes (1 KiB), so a gRPC-Web trailer carrying it is gzipped. */
const LONG_MESSAGE = `zone "${'a'.repeat(60)}.${'b'.repeat(60)}." not found; ${'the zone is not here. '.repeat(80)}`;

const authenticate: Authenticate = async (authorization) => {
  if (authorization !== 'Bearer good') throw new AuthError('UNAUTHENTICATED', 'unknown token', 'unknown');
  return admin;
};

const service: InvokeService = {
  async invoke<N extends OperationName>(name: N, _principal: Principal | null, input: OperationIO[N]['input']) {
    if (name === 'health') return { status: 'ok' } as OperationIO[N]['output'];
    if (name === 'getZone') {
      const zone = (input as OperationIO['getZone']['input']).zone;
      if (zone === 'long.') throw new ServiceError('NOT_FOUND', LONG_MESSAGE, 'zone');
      throw new ServiceError('NOT_FOUND', `zone "${zone}" not found`, 'zone');
    }
    if (name === 'createZone') throw new ServiceError('ALREADY_EXISTS', 'zone "example.com." exists', 'zone');
    throw new ServiceError('INTERNAL', `stand-in has no ${name}`);
  },
};

/** One report of onRequestDone. */
interface Done {
  readonly method: string;
  readonly code: GrpcCodeName;
  readonly seconds: number;
}

const failure = connectFailure;

describe('gRPC listener: onRequestDone, by protocol', () => {
  let dir: string;
  let ca: Buffer;
  let server: GrpcServer;
  let baseUrl: string;
  const reports: Done[] = [];

  /** The reports made from now until `count` more have come (a response's 'finish' may follow the client's last byte). */
  async function next(count: number, call: () => Promise<unknown>): Promise<Done[]> {
    const from = reports.length;
    await call();
    const deadline = Date.now() + 5_000;
    while (reports.length < from + count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    return reports.slice(from);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mcns-grpc-metrics-'));
    const tls = await ensureSelfSignedTls({ dir, now: new Date() });
    ca = readFileSync(tls.caPath);
    const pair = { cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) };
    server = createGrpcServer({
      service, authenticate, log, address: { host: '127.0.0.1', port: 0 }, maxMessageBytes: 1024,
      tls: { secureContextOptions: () => pair },
      onRequestDone: (method, code, seconds) => reports.push({ method, code, seconds }),
    });
    baseUrl = `https://127.0.0.1:${(await server.start()).port}`;
  });

  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gRPC: OK from the trailer, and the code of an error (trailers-only or not)', async () => {
    const good = createGrpcClient({ baseUrl, caCert: ca, token: 'good' });
    const anonymous = createGrpcClient({ baseUrl, caCert: ca });
    try {
      const ok = await next(1, () => good.admin.health({}));
      assert.deepEqual(ok.map((d) => [d.method, d.code]), [['/mcns.v1.AdminService/Health', 'OK']]);
      assert.ok(ok[0]!.seconds >= 0);
      const notFound = await next(1, () => failure(good.zones.getZone({ zone: 'missing.' })));
      assert.deepEqual(notFound.map((d) => [d.method, d.code]), [['/mcns.v1.ZoneService/GetZone', 'NOT_FOUND']]);
      const refused = await next(1, async () => assert.equal((await failure(anonymous.zones.listZones({}))).code, Code.Unauthenticated));
      assert.deepEqual(refused.map((d) => [d.method, d.code]), [['/mcns.v1.ZoneService/ListZones', 'UNAUTHENTICATED']]);
    } finally {
      good.close();
      anonymous.close();
    }
  });

  it('gRPC: a message over the size limit is RESOURCE_EXHAUSTED, though no handler ran', async () => {
    const good = createGrpcClient({ baseUrl, caCert: ca, token: 'good' });
    try {
      const big = await next(1, async () => assert.equal((await failure(good.zones.importZone({ zone: 'x.', text: 'x'.repeat(4096) }))).code, Code.ResourceExhausted));
      assert.deepEqual(big.map((d) => [d.method, d.code]), [['/mcns.v1.ZoneService/ImportZone', 'RESOURCE_EXHAUSTED']]);
    } finally {
      good.close();
    }
  });

  it('an unknown path is "unmatched" and UNIMPLEMENTED (HTTP 404 by gRPC\'s table)', async () => {
    const session = http2Connect(baseUrl, { ca, servername: 'localhost' });
    try {
      const reported = await next(1, async () => {
        const stream = session.request({ ':method': 'POST', ':path': '/mcns.v1.NoService/Nothing', 'content-type': 'application/grpc', te: 'trailers' });
        stream.end(Buffer.from([0, 0, 0, 0, 0]));
        const [headers] = (await once(stream, 'response')) as [Record<string, unknown>];
        assert.equal(headers[':status'], 404);
        stream.resume();
        await once(stream, 'end');
      });
      assert.deepEqual(reported.map((d) => [d.method, d.code]), [['unmatched', 'UNIMPLEMENTED']]);
    } finally {
      session.close();
    }
  });

  for (const httpVersion of ['2', '1.1'] as const) {
    const transports: Record<string, (baseUrl: string, ca: Buffer) => Transport> = {
      'Connect': (baseUrl, ca) => createConnectTransport({ baseUrl, httpVersion, nodeOptions: { ca } }),
      'gRPC-Web': (baseUrl, ca) => createGrpcWebTransport({ baseUrl, httpVersion, nodeOptions: { ca } }),
    };
    for (const [protocol, make] of Object.entries(transports)) {
      it(`${protocol} over HTTP/${httpVersion}: OK, and the error's own code (NOT_FOUND, ALREADY_EXISTS, UNAUTHENTICATED)`, async () => {
        const transport = make(baseUrl, ca);
        const admin = createClient(AdminService, transport);
        const zones = createClient(ZoneService, transport);
        const withToken = { headers: { authorization: 'Bearer good' } };
        const ok = await next(1, () => admin.health({}));
        assert.deepEqual(ok.map((d) => [d.method, d.code]), [['/mcns.v1.AdminService/Health', 'OK']]);
        const missing = await next(1, () => failure(zones.getZone({ zone: 'missing.' }, withToken)));
        assert.deepEqual(missing.map((d) => [d.method, d.code]), [['/mcns.v1.ZoneService/GetZone', 'NOT_FOUND']]);
        // Connect sends ALREADY_EXISTS and ABORTED both as HTTP 409: the code comes from the error JSON.
        const exists = await next(1, () => failure(zones.createZone({ zone: 'example.com.' }, withToken)));
        assert.deepEqual(exists.map((d) => [d.method, d.code]), [['/mcns.v1.ZoneService/CreateZone', 'ALREADY_EXISTS']]);
        const refused = await next(1, () => failure(zones.listZones({})));
        assert.deepEqual(refused.map((d) => [d.method, d.code]), [['/mcns.v1.ZoneService/ListZones', 'UNAUTHENTICATED']]);
      });
    }
  }

  it('gRPC-Web: a trailer frame large enough to be gzipped still gives its code', async () => {
    const zones = createClient(ZoneService, createGrpcWebTransport({ baseUrl, httpVersion: '2', nodeOptions: { ca } }));
    const reported = await next(1, async () => {
      const err = await failure(zones.getZone({ zone: 'long.' }, { headers: { authorization: 'Bearer good' } }));
      assert.equal(err.code, Code.NotFound);
      assert.equal(err.rawMessage, LONG_MESSAGE);
    });
    assert.deepEqual(reported.map((d) => [d.method, d.code]), [['/mcns.v1.ZoneService/GetZone', 'NOT_FOUND']]);
  });
});

/** Sample lines of a scrape, by name and labels: `name{a="x",b="y"}` -> value. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    out.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return out;
}

describe('mcns serve: mcns_grpc_requests_total and mcns_grpc_request_duration_seconds', () => {
  let mcns: McnsProcess;
  let metricsUrl: string;
  let token: string;

  before(async () => {
    const metricsPort = await freePort();
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    mcns = await startMcns({ api: true, configExtra: `[metrics]\nlisten_addr = "127.0.0.1:${metricsPort}"\n` });
    const made = await mcns.cli(['token', 'create', '--name', 'admin', '--role', 'admin']);
    assert.equal(made.code, 0, made.stderr);
    token = made.stdout.trim();
  });

  after(async () => {
    await mcns.stop();
  });

  it('counts real gRPC calls by method and code, and times them by method', async () => {
    const scrape = async (): Promise<Map<string, number>> => samples(await (await fetch(metricsUrl)).text());
    const before = await scrape();
    const admin = createGrpcClient({ baseUrl: mcns.api!.grpcUrl, caCert: mcns.api!.caCert, token, timeoutMs: 10_000 });
    const anonymous = createGrpcClient({ baseUrl: mcns.api!.grpcUrl, caCert: mcns.api!.caCert, timeoutMs: 10_000 });
    try {
      await admin.zones.createZone({ zone: 'metrics.example.', nameservers: ['ns1.metrics.example.'] });
      await admin.records.replaceRRset({ zone: 'metrics.example.', name: 'www', type: 'A', ttl: 300, records: ['192.0.2.1'] });
      const bad = await failure(admin.records.replaceRRset({ zone: 'metrics.example.', name: 'www', type: 'A', ttl: 300, records: ['300.1.1.1'] }));
      assert.equal(bad.code, Code.InvalidArgument);
      assert.equal((await failure(anonymous.zones.listZones({}))).code, Code.Unauthenticated);
      assert.equal((await failure(anonymous.zones.listZones({}))).code, Code.Unauthenticated);
    } finally {
      admin.close();
      anonymous.close();
    }
    const expected: Record<string, number> = {
      'mcns_grpc_requests_total{method="/mcns.v1.ZoneService/CreateZone",code="OK"}': 1,
      'mcns_grpc_requests_total{method="/mcns.v1.RecordService/ReplaceRRset",code="OK"}': 1,
      'mcns_grpc_requests_total{method="/mcns.v1.RecordService/ReplaceRRset",code="INVALID_ARGUMENT"}': 1,
      'mcns_grpc_requests_total{method="/mcns.v1.ZoneService/ListZones",code="UNAUTHENTICATED"}': 2,
      'mcns_grpc_request_duration_seconds_count{method="/mcns.v1.RecordService/ReplaceRRset"}': 2,
      'mcns_grpc_request_duration_seconds_count{method="/mcns.v1.ZoneService/ListZones"}': 2,
      'mcns_grpc_request_duration_seconds_bucket{le="+Inf",method="/mcns.v1.ZoneService/ListZones"}': 2,
    };
    const deltas = (after: Map<string, number>): Record<string, number> =>
      Object.fromEntries(Object.keys(expected).map((k) => [k, (after.get(k) ?? 0) - (before.get(k) ?? 0)]));
    // A response is counted when it has finished on the server, which may be just after the client has read it.
    let got = deltas(await scrape());
    for (const deadline = Date.now() + 5_000; JSON.stringify(got) !== JSON.stringify(expected) && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 20));
      got = deltas(await scrape());
    }
    assert.deepEqual(got, expected);
    // The auth failures of the gRPC calls are counted as REST's are.
    assert.ok((await scrape()).get('mcns_auth_failures_total{reason="missing"}')! >= 2);
  });
});
