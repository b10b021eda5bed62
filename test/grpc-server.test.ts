// The gRPC listener over real HTTP/2 TLS with a real gRPC client (connect-node's
// gRPC transport): public methods without a token, authorization metadata, the
// error table (code, message, ErrorDetail, x-mcns-field trailer), TLS reload and
// close. The service here is a stand-in object: this file tests the transport;
// test/grpc-service.test.ts runs the real service over SQLite.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { connect as http2Connect } from 'node:http2';
import { connect as tlsConnect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Code, ConnectError } from '@connectrpc/connect';
import {
  createGrpcClient, createGrpcServer, FIELD_TRAILER, grpcErrorDetail, GrpcServerError,
  type Authenticate, type GrpcServer, type InvokeService,
} from '../src/api/grpc/index.js';
import { ensureSelfSignedTls } from '../src/api/tls/ensure-self-signed-tls.js';
import { AuthError } from '../src/auth/index.js';
import { createLogger } from '../src/log/index.js';
import { ServiceError, type OperationIO, type OperationName, type Principal } from '../src/service/index.js';
import { connectFailure } from './helpers/connect-failure.js';

const lines: string[] = [];
const log = createLogger({ level: 'info', sink: { write(line: string) { lines.push(line); } }, pretty: false });
const admin: Principal = { id: 't1', name: 'ci', role: 'admin', zones: null, via: 'token' };

const authenticate: Authenticate = async (authorization) => {
  if (authorization === null) throw new AuthError('UNAUTHENTICATED', 'no credential: send "authorization: Bearer <token>"', 'missing');
  if (authorization === 'Bearer idp-down') {
    throw new AuthError('UNAVAILABLE', 'identity provider unreachable at https://idp.example: timeout');
  }
  if (authorization !== 'Bearer good') throw new AuthError('UNAUTHENTICATED', 'unknown token', 'unknown');
  return admin;
};

const calls: { name: OperationName; principal: Principal | null; input: unknown }[] = [];
const service: InvokeService = {
  async invoke<N extends OperationName>(name: N, principal: Principal | null, input: OperationIO[N]['input']) {
    calls.push({ name, principal, input });
    const outputs: Partial<{ [K in OperationName]: () => OperationIO[K]['output'] }> = {
      health: () => ({ status: 'ok' }),
      listZones: () => ({
        items: [{ name: 'example.com.', serial: 7, kind: 'primary', recordCount: 3, createdAt: 't0', updatedAt: 't1' }],
        nextPageToken: 'next',
      }),
      getZone: () => { throw new ServiceError('NOT_FOUND', 'zone "missing." not found', 'zone'); },
      replaceRRset: () => { throw new ServiceError('INVALID_ARGUMENT', 'ttl must be <= 2147483647', 'ttl'); },
      createToken: () => ({
        token: {
          id: 'abc', name: 'ci', role: 'editor', zones: ['example.com.'], createdAt: 't0',
          expiresAt: null, revokedAt: null, lastUsedAt: null,
        },
        secret: 'mcns_abc_secret',
      }),
      listAudit: () => ({
        items: [{ id: 9, time: 't', principal: 'ci', operation: 'deleteZone', zone: null, serialBefore: null, serialAfter: null, summary: 's' }],
        nextPageToken: '',
      }),
      deleteZone: () => { throw new Error('disk on fire'); },
    };
    const make = outputs[name] as (() => OperationIO[N]['output']) | undefined;
    if (make === undefined) throw new ServiceError('INTERNAL', `stand-in has no ${name}`);
    return make();
  },
};

let dir: string;
let ca: Buffer;
let server: GrpcServer;
let baseUrl: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcns-grpc-'));
  const tls = await ensureSelfSignedTls({ dir, now: new Date() });
  ca = readFileSync(tls.caPath);
  const pair = { cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) };
  server = createGrpcServer({
    service, authenticate, log, address: { host: '127.0.0.1', port: 0 },
    tls: { secureContextOptions: () => pair },
  });
  const bound = await server.start();
  baseUrl = `https://127.0.0.1:${bound.port}`;
});

after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const failure = connectFailure;

describe('gRPC over HTTP/2 TLS', () => {
  it('answers AdminService.Health without a token', async () => {
    const client = createGrpcClient({ baseUrl, caCert: ca });
    try {
      assert.deepEqual((await client.admin.health({})).status, 'ok');
      assert.equal(calls.at(-1)?.principal, null);
    } finally {
      client.close();
    }
  });

  it('negotiates h2 by ALPN with the certificate the CA signed', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: Number(new URL(baseUrl).port), ca, servername: 'localhost', ALPNProtocols: ['h2'] });
    try {
      await new Promise<void>((resolve, reject) => { socket.once('secureConnect', resolve); socket.once('error', reject); });
      assert.equal(socket.alpnProtocol, 'h2');
      assert.equal(socket.authorized, true);
    } finally {
      socket.destroy();
    }
  });

  it('passes the principal of the bearer token and converts the output', async () => {
    const client = createGrpcClient({ baseUrl, caCert: ca, token: 'good' });
    try {
      const page = await client.zones.listZones({ filter: 'ex', pageSize: 5 });
      assert.equal(page.nextPageToken, 'next');
      assert.equal(page.zones[0]?.name, 'example.com.');
      assert.equal(page.zones[0]?.recordCount, 3);
      const call = calls.at(-1);
      assert.equal(call?.name, 'listZones');
      assert.deepEqual(call?.principal, admin);
      assert.deepEqual(call?.input, { filter: 'ex', pageSize: 5 }, 'unset optional fields are absent, not undefined');
    } finally {
      client.close();
    }
  });

  it('maps nulls to unset fields and back: token zones, audit serials', async () => {
    const client = createGrpcClient({ baseUrl, caCert: ca, token: 'good' });
    try {
      const created = await client.tokens.createToken({ name: 'ci', role: 'editor', zones: { names: ['example.com.'] } });
      assert.equal(created.secret, 'mcns_abc_secret');
      assert.deepEqual(created.token?.zones?.names, ['example.com.']);
      assert.equal(created.token?.expiresAt, undefined);
      assert.deepEqual(calls.at(-1)?.input, { name: 'ci', role: 'editor', zones: ['example.com.'] });
      const audit = await client.audit.listAudit({});
      assert.equal(audit.entries[0]?.id, 9n);
      assert.equal(audit.entries[0]?.zone, undefined);
      assert.equal(audit.entries[0]?.serialBefore, undefined);
    } finally {
      client.close();
    }
  });

  it('refuses a method that needs a credential when none is sent: UNAUTHENTICATED, the service not called', async () => {
    const client = createGrpcClient({ baseUrl, caCert: ca });
    try {
      const before = calls.length;
      const err = await failure(client.zones.listZones({}));
      assert.equal(err.code, Code.Unauthenticated);
      assert.equal(err.rawMessage, 'no credential: send "authorization: Bearer <token>"');
      assert.deepEqual(grpcErrorDetail(err), { code: 'UNAUTHENTICATED', field: '' });
      assert.equal(calls.length, before);
    } finally {
      client.close();
    }
  });

  it('says UNAVAILABLE with the auth layer\'s words when the identity provider cannot be asked', async () => {
    const client = createGrpcClient({ baseUrl, caCert: ca, token: 'idp-down' });
    try {
      const err = await failure(client.zones.listZones({}));
      assert.equal(err.code, Code.Unavailable);
      assert.equal(err.rawMessage, 'identity provider unreachable at https://idp.example: timeout');
    } finally {
      client.close();
    }
  });

  it('sends INVALID_ARGUMENT with the service\'s message, the field as ErrorDetail and as a trailer', async () => {
    const client = createGrpcClient({ baseUrl, caCert: ca, token: 'good' });
    try {
      const err = await failure(client.records.replaceRRset({ zone: 'example.com.', name: 'www', type: 'A', ttl: 4294967295, records: ['192.0.2.1'] }));
      assert.equal(err.code, Code.InvalidArgument);
      assert.equal(err.rawMessage, 'ttl must be <= 2147483647');
      assert.deepEqual(grpcErrorDetail(err), { code: 'INVALID_ARGUMENT', field: 'ttl' });
      assert.equal(err.metadata.get(FIELD_TRAILER), 'ttl');
      const notFound = await failure(client.zones.getZone({ zone: 'missing.' }));
      assert.equal(notFound.code, Code.NotFound);
      assert.equal(notFound.rawMessage, 'zone "missing." not found');
    } finally {
      client.close();
    }
  });

  it('hides an error without a stable code behind INTERNAL and logs it', async () => {
    const client = createGrpcClient({ baseUrl, caCert: ca, token: 'good' });
    try {
      const err = await failure(client.zones.deleteZone({ zone: 'example.com.' }));
      assert.equal(err.code, Code.Internal);
      assert.equal(err.rawMessage, 'internal error');
      assert.ok(lines.some((line) => line.includes('disk on fire') && line.includes('deleteZone')));
    } finally {
      client.close();
    }
  });

  it('names the address when the port is taken', async () => {
    const port = Number(new URL(baseUrl).port);
    const other = createGrpcServer({
      service, authenticate, log, address: { host: '127.0.0.1', port },
      tls: { secureContextOptions: () => ({ cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) }) },
    });
    await assert.rejects(other.start(), (err: unknown) => {
      assert.ok(err instanceof GrpcServerError);
      assert.equal(err.code, 'ADDRESS_IN_USE');
      assert.match(err.message, new RegExp(`^127\\.0\\.0\\.1:${port} \\(grpc\\) is already in use`));
      return true;
    });
    await other.close();
  });
});

describe('gRPC server lifecycle', () => {
  it('serves a reloaded certificate to new connections', async () => {
    const first = await ensureSelfSignedTls({ dir: join(dir, 'a'), now: new Date() });
    const second = await ensureSelfSignedTls({ dir: join(dir, 'b'), now: new Date() });
    const own = createGrpcServer({
      service, authenticate, log, address: { host: '127.0.0.1', port: 0 },
      tls: { secureContextOptions: () => ({ cert: readFileSync(first.certPath), key: readFileSync(first.keyPath) }) },
    });
    const { port } = await own.start();
    const url = `https://127.0.0.1:${port}`;
    const oldCa = createGrpcClient({ baseUrl: url, caCert: readFileSync(first.caPath) });
    const newCa = createGrpcClient({ baseUrl: url, caCert: readFileSync(second.caPath) });
    const early = createGrpcClient({ baseUrl: url, caCert: readFileSync(second.caPath) });
    try {
      assert.equal((await oldCa.admin.health({})).status, 'ok');
      const untrusted = await failure(early.admin.health({}));
      assert.match(untrusted.message, /certificate/i, 'the second CA is not trusted before the reload');
      own.reloadTls(readFileSync(second.certPath), readFileSync(second.keyPath));
      assert.equal((await newCa.admin.health({})).status, 'ok');
    } finally {
      oldCa.close();
      newCa.close();
      early.close();
      await own.close();
    }
  });

  it('listens on [::1] and serves a client that connects there', async () => {
    const own = createGrpcServer({
      service, authenticate, log, address: { host: '::1', port: 0 },
      tls: { secureContextOptions: () => ({ cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) }) },
    });
    const bound = await own.start();
    assert.equal(bound.host, '::1');
    const client = createGrpcClient({ baseUrl: `https://[::1]:${bound.port}`, caCert: ca });
    try {
      assert.equal((await client.admin.health({})).status, 'ok');
    } finally {
      client.close();
      await own.close();
    }
  });

  it('survives a request whose :authority is not a host (Connect would throw outside any promise)', async () => {
    const session = http2Connect(baseUrl, { ca, servername: 'localhost' });
    try {
      const stream = session.request({
        ':method': 'POST', ':path': '/mcns.v1.AdminService/Health', ':authority': '::1:9443',
        'content-type': 'application/grpc', te: 'trailers',
      });
      stream.end(Buffer.from([0, 0, 0, 0, 0]));
      const [headers] = (await once(stream, 'response')) as [Record<string, unknown>];
      assert.equal(headers[':status'], 200);
      stream.resume();
      await once(stream, 'end');
    } finally {
      session.close();
    }
    const client = createGrpcClient({ baseUrl, caCert: ca });
    try {
      assert.equal((await client.admin.health({})).status, 'ok', 'the server still answers');
    } finally {
      client.close();
    }
  });

  it('refuses a request larger than maxMessageBytes with RESOURCE_EXHAUSTED, before the service sees it', async () => {
    const own = createGrpcServer({
      service, authenticate, log, address: { host: '127.0.0.1', port: 0 }, maxMessageBytes: 1024,
      tls: { secureContextOptions: () => ({ cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) }) },
    });
    const { port } = await own.start();
    const client = createGrpcClient({ baseUrl: `https://127.0.0.1:${port}`, caCert: ca, token: 'good' });
    try {
      const before = calls.length;
      const err = await failure(client.zones.importZone({ zone: 'example.com.', text: 'x'.repeat(4096) }));
      assert.equal(err.code, Code.ResourceExhausted);
      assert.equal(calls.length, before);
    } finally {
      client.close();
      await own.close();
    }
  });

  it('close() ends idle client connections and resolves; a second close() is the same promise', async () => {
    const own = createGrpcServer({
      service, authenticate, log, address: { host: '127.0.0.1', port: 0 }, closeGraceMs: 200,
      tls: { secureContextOptions: () => ({ cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) }) },
    });
    const { port } = await own.start();
    const client = createGrpcClient({ baseUrl: `https://127.0.0.1:${port}`, caCert: ca });
    try {
      await client.admin.health({});
      const started = Date.now();
      const closing = own.close();
      assert.equal(own.close(), closing);
      await closing;
      assert.ok(Date.now() - started < 2000);
      const err = await failure(client.admin.health({}));
      assert.equal(err.code, Code.Unavailable);
    } finally {
      client.close();
    }
  });
});
