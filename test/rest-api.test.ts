// The REST adapter over real HTTPS (undici trusting the generated CA), with a
// stand-in service and authenticator so each status of the error table can be
// produced on purpose: health and ready, 401/403/502 from authentication, 400
// shapes (field and reason) from schemas, bad JSON and media types, service errors,
// zone files as text/dns, and an OpenAPI document that lists every OPERATIONS route.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { createRestServer, openApiTls, type ApiTls, type RestServer } from '../src/api/index.js';
import { AuthError } from '../src/auth/index.js';
import { createLogger } from '../src/log/index.js';
import { OPERATIONS, ServiceError, type OperationName, type Principal } from '../src/service/index.js';

const quiet = createLogger({ level: 'error', sink: { write() {} } });
const ADMIN: Principal = { id: 't-admin', name: 'admin', role: 'admin', zones: null, via: 'token' };
const VIEWER: Principal = { id: 't-viewer', name: 'viewer', role: 'viewer', zones: null, via: 'token' };

/** Every call the stand-in service received. */
const calls: { name: OperationName; principal: Principal | null; input: Record<string, unknown> }[] = [];
let ready = true;

/** A stand-in for the service: answers from canned data, refuses what the real one would. */
const service = {
  async invoke(name: OperationName, principal: Principal | null, input: unknown): Promise<never> {
    const i = input as Record<string, unknown>;
    calls.push({ name, principal, input: i });
    const answer = ((): unknown => {
      if (name !== 'health' && name !== 'ready' && principal?.role === 'viewer' && name !== 'getZone' && name !== 'exportZone') {
        throw new ServiceError('PERMISSION_DENIED', `role viewer may not ${name}`);
      }
      switch (name) {
        case 'health': return { status: 'ok' };
        case 'ready': return ready ? { ready: true, reason: '' } : { ready: false, reason: 'zones are loading' };
        case 'getZone':
          if (i['zone'] !== 'example.com.') throw new ServiceError('NOT_FOUND', `zone "${String(i['zone'])}" not found`, 'zone');
          return { name: 'example.com.', serial: 7, kind: 'primary', recordCount: 3, createdAt: 'x', updatedAt: 'y', secret: 'not for clients' };
        case 'replaceRRset':
          if (i['name'] === 'bad name') throw new ServiceError('INVALID_ARGUMENT', 'name "bad name" is not a domain name', 'name');
          if ((i['records'] as string[])[0] === '300.1.1.1') throw new ServiceError('INVALID_ARGUMENT', 'records[0] "300.1.1.1": not an IPv4 address', 'records[0]');
          if (i['expectedSerial'] === 1) throw new ServiceError('ABORTED', 'zone "example.com." is at serial 7, not 1', 'expectedSerial');
          return { zone: 'example.com.', serialBefore: 7, serialAfter: 8 };
        case 'createZone': throw new ServiceError('ALREADY_EXISTS', `zone "${String(i['zone'])}" already exists`, 'zone');
        case 'deleteZone': return {};
        case 'importZone': return { zone: 'example.com.', serialBefore: 7, serialAfter: 8, recordCount: String(i['text']).length };
        case 'exportZone': return { text: 'example.com.\t3600\tIN\tTXT\t"caf\xc3\xa9"\n' };
        case 'listZones': return { items: [], nextPageToken: '' };
        case 'applyChanges': throw new ServiceError('FAILED_PRECONDITION', 'zone "example.com." is a secondary', 'zone');
        case 'listAudit': throw new Error('a broken invariant');
        default: return {};
      }
    })();
    return answer as never;
  },
};

/** Tokens: "admin", "viewer", "idp-down" (the identity provider cannot be asked), "no-role". */
async function authenticate(authorization: string | null): Promise<Principal> {
  if (authorization === null) throw new AuthError('UNAUTHENTICATED', 'no credential: send Authorization: Bearer <token>', 'missing');
  if (authorization === 'Bearer admin') return ADMIN;
  if (authorization === 'Bearer viewer') return VIEWER;
  if (authorization === 'Bearer idp-down') throw new AuthError('UNAVAILABLE', 'identity provider unreachable at http://127.0.0.1:9/introspect: connect ECONNREFUSED 127.0.0.1:9');
  if (authorization === 'Bearer no-role') throw new AuthError('PERMISSION_DENIED', 'the identity provider grants no mcns role');
  throw new AuthError('UNAUTHENTICATED', 'unknown token', 'unknown');
}

let dir: string;
let tls: ApiTls;
let rest: RestServer;
let agent: Agent;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcns-rest-'));
  tls = await openApiTls({ restAddr: { host: '127.0.0.1', port: 0 }, grpcAddr: { host: '127.0.0.1', port: 0 }, tlsCert: null, tlsKey: null },
    { databasePath: join(dir, 'mcns.db'), configSource: null, log: quiet, now: () => new Date(), watchIntervalMs: 0 });
  rest = await createRestServer({ service, authenticate, tls: tls.material, address: { host: '127.0.0.1', port: 0 }, log: quiet });
  await rest.start();
  agent = new Agent({ connect: { ca: readFileSync(tls.caPath!) } });
});

after(async () => {
  await agent.close();
  await rest.close();
  tls.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

async function call(method: string, path: string, opts: { token?: string; json?: unknown; body?: string | Buffer; type?: string; accept?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (opts.token !== undefined) headers['authorization'] = `Bearer ${opts.token}`;
  if (opts.accept !== undefined) headers['accept'] = opts.accept;
  let body: string | Buffer | undefined = opts.body;
  if (opts.json !== undefined) body = JSON.stringify(opts.json);
  if (body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
  const r = await request(`${rest.url()}${path}`, { method: method as 'GET', headers, dispatcher: agent, ...(body === undefined ? {} : { body }) });
  const text = await r.body.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: r.statusCode, headers: r.headers, text, json };
}

function errorOf(reply: Reply): { code: string; message: string; field: string | null } {
  return (reply.json as { error: { code: string; message: string; field: string | null } }).error;
}

test('health answers 200 without a credential, with a request id', async () => {
  const r = await call('GET', '/v1/health');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { status: 'ok' });
  assert.match(String(r.headers['x-request-id']), /^[0-9a-f-]{36}$/);
  assert.equal(calls.at(-1)?.principal, null);
});

test('ready is 200 when ready and 503 in the error shape until then', async () => {
  assert.deepEqual((await call('GET', '/v1/ready')).json, { ready: true, reason: '' });
  ready = false;
  try {
    const r = await call('GET', '/v1/ready');
    assert.equal(r.status, 503);
    assert.deepEqual(errorOf(r), { code: 'UNAVAILABLE', message: 'not ready: zones are loading', field: null });
  } finally {
    ready = true;
  }
});

test('no credential is 401 with a bearer challenge, and the service is not called', async () => {
  const before = calls.length;
  const r = await call('GET', '/v1/zones/example.com.');
  assert.equal(r.status, 401);
  assert.equal(errorOf(r).code, 'UNAUTHENTICATED');
  assert.equal(r.headers['www-authenticate'], 'Bearer realm="mcns"');
  assert.equal(calls.length, before);
});

test('an unknown token is 401 invalid_token; body limits do not matter before authentication', async () => {
  const r = await call('PUT', '/v1/zones/example.com./rrsets/www/A', { token: 'nope', body: '{not json' });
  assert.equal(r.status, 401);
  assert.deepEqual(errorOf(r), { code: 'UNAUTHENTICATED', message: 'unknown token', field: null });
  assert.match(String(r.headers['www-authenticate']), /error="invalid_token"/);
});

test('a role the service refuses is 403; an identity provider granting no role is 403 too', async () => {
  const r = await call('PUT', '/v1/zones/example.com./rrsets/www/A', { token: 'viewer', json: { ttl: 300, records: ['192.0.2.1'] } });
  assert.equal(r.status, 403);
  assert.deepEqual(errorOf(r), { code: 'PERMISSION_DENIED', message: 'role viewer may not replaceRRset', field: null });
  const idp = await call('GET', '/v1/zones', { token: 'no-role' });
  assert.equal(idp.status, 403);
  assert.match(String(idp.headers['www-authenticate']), /error="insufficient_scope"/);
});

test('an unreachable identity provider is 502 and says so', async () => {
  const r = await call('GET', '/v1/zones', { token: 'idp-down' });
  assert.equal(r.status, 502);
  assert.equal(errorOf(r).code, 'UNAVAILABLE');
  // The auth layer's words, once (not prefixed with "the identity provider is unreachable: " again).
  assert.equal(errorOf(r).message, 'identity provider unreachable at http://127.0.0.1:9/introspect: connect ECONNREFUSED 127.0.0.1:9');
  assert.equal(r.headers['www-authenticate'], undefined);
});

test('path parameters are URL-decoded and passed with the body to the service', async () => {
  const r = await call('PUT', '/v1/zones/example.com./rrsets/%2A.example.com./AAAA', { token: 'admin', json: { ttl: 60, records: ['2001:db8::1'], expectedSerial: 7 } });
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { zone: 'example.com.', serialBefore: 7, serialAfter: 8 });
  assert.deepEqual(calls.at(-1), {
    name: 'replaceRRset', principal: ADMIN,
    input: { ttl: 60, records: ['2001:db8::1'], expectedSerial: 7, zone: 'example.com.', name: '*.example.com.', type: 'AAAA' },
  });
});

test('schema violations are 400 with the field and the reason', async () => {
  const cases: [unknown, string, string][] = [
    [{ ttl: -1, records: ['192.0.2.1'] }, 'ttl', 'ttl must be >= 0'],
    [{ ttl: 2 ** 31, records: ['192.0.2.1'] }, 'ttl', 'ttl must be <= 2147483647'],
    [{ ttl: '300', records: ['192.0.2.1'] }, 'ttl', 'ttl must be integer'],
    [{ records: ['192.0.2.1'] }, 'ttl', 'ttl is required'],
    [{ ttl: 300, records: ['192.0.2.1', 5] }, 'records[1]', 'records[1] must be string'],
    [{ ttl: 300, records: [] }, 'records', 'records must not have fewer than 1 items'],
    [{ ttl: 300, records: ['192.0.2.1'], tll: 5 }, 'tll', 'tll is not a known field'],
    [[1, 2], 'body', 'body must be object'],
  ];
  for (const [body, field, message] of cases) {
    const r = await call('PUT', '/v1/zones/example.com./rrsets/www/A', { token: 'admin', json: body });
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.deepEqual(errorOf(r), { code: 'INVALID_ARGUMENT', message, field }, JSON.stringify(body));
  }
});

test('a batch with an unknown op names the change and lists the ops', async () => {
  const r = await call('PATCH', '/v1/zones/example.com./rrsets', { token: 'admin', json: { changes: [{ op: 'replace', name: 'a', type: 'A', ttl: 1, records: ['192.0.2.1'] }, { op: 'upsert', name: 'b', type: 'A' }] } });
  assert.equal(r.status, 400);
  assert.deepEqual(errorOf(r), { code: 'INVALID_ARGUMENT', message: 'changes[1].op must be one of "replace", "delete", "add", "remove"', field: 'changes[1].op' });
});

test('query parameters are checked and converted', async () => {
  const bad = await call('GET', '/v1/zones?pageSize=0', { token: 'admin' });
  assert.deepEqual(errorOf(bad), { code: 'INVALID_ARGUMENT', message: 'pageSize must be >= 1', field: 'pageSize' });
  const unknown = await call('GET', '/v1/zones?pagesize=10', { token: 'admin' });
  assert.deepEqual(errorOf(unknown), { code: 'INVALID_ARGUMENT', message: 'pagesize is not a known field', field: 'pagesize' });
  const good = await call('GET', '/v1/zones?pageSize=10&filter=ex', { token: 'admin' });
  assert.equal(good.status, 200);
  assert.deepEqual(calls.at(-1)?.input, { pageSize: 10, filter: 'ex' });
});

test('bad names, RDATA and serials from the service keep their field', async () => {
  const name = await call('PUT', '/v1/zones/example.com./rrsets/bad%20name/A', { token: 'admin', json: { ttl: 300, records: ['192.0.2.1'] } });
  assert.equal(name.status, 400);
  assert.deepEqual(errorOf(name), { code: 'INVALID_ARGUMENT', message: 'name "bad name" is not a domain name', field: 'name' });
  const rdata = await call('PUT', '/v1/zones/example.com./rrsets/www/A', { token: 'admin', json: { ttl: 300, records: ['300.1.1.1'] } });
  assert.equal(rdata.status, 400);
  assert.equal(errorOf(rdata).field, 'records[0]');
  const stale = await call('PUT', '/v1/zones/example.com./rrsets/www/A', { token: 'admin', json: { ttl: 300, records: ['192.0.2.1'], expectedSerial: 1 } });
  assert.equal(stale.status, 409);
  assert.equal(errorOf(stale).code, 'ABORTED');
});

test('malformed JSON, an empty JSON body and an unsupported media type are 400/415 in the same shape', async () => {
  const broken = await call('PUT', '/v1/zones/example.com./rrsets/www/A', { token: 'admin', body: '{"ttl": 300,' });
  assert.equal(broken.status, 400);
  assert.deepEqual(errorOf(broken), { code: 'INVALID_ARGUMENT', message: 'body is not valid JSON', field: 'body' });
  const empty = await call('PUT', '/v1/zones/example.com./rrsets/www/A', { token: 'admin', body: '' });
  assert.equal(empty.status, 400);
  assert.equal(errorOf(empty).field, 'body');
  const xml = await call('PUT', '/v1/zones/example.com./rrsets/www/A', { token: 'admin', body: '<ttl/>', type: 'application/xml' });
  assert.equal(xml.status, 415);
  assert.equal(errorOf(xml).code, 'INVALID_ARGUMENT');
});

test('service codes map through the one table: 404, 409, 412, 500 (without internals)', async () => {
  const missing = await call('GET', '/v1/zones/nope.example.', { token: 'admin' });
  assert.equal(missing.status, 404);
  assert.deepEqual(errorOf(missing), { code: 'NOT_FOUND', message: 'zone "nope.example." not found', field: 'zone' });
  assert.equal((await call('POST', '/v1/zones', { token: 'admin', json: { zone: 'example.com.' } })).status, 409);
  assert.equal((await call('PATCH', '/v1/zones/example.com./rrsets', { token: 'admin', json: { changes: [{ op: 'delete', name: 'a', type: 'A' }] } })).status, 412);
  const internal = await call('GET', '/v1/audit', { token: 'admin' });
  assert.equal(internal.status, 500);
  assert.equal(errorOf(internal).code, 'INTERNAL');
  assert.doesNotMatch(errorOf(internal).message, /broken invariant/);
  assert.match(errorOf(internal).message, new RegExp(String(internal.headers['x-request-id'])));
});

test('responses carry only what their schema names', async () => {
  const r = await call('GET', '/v1/zones/example.com.', { token: 'admin' });
  assert.deepEqual(r.json, { name: 'example.com.', serial: 7, kind: 'primary', recordCount: 3, createdAt: 'x', updatedAt: 'y' });
});

test('deletes answer 204 with no body', async () => {
  const r = await call('DELETE', '/v1/zones/example.com.', { token: 'admin' });
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
});

test('an unknown route is 404 in the error shape', async () => {
  const r = await call('GET', '/v1/zonez');
  assert.equal(r.status, 404);
  assert.deepEqual(errorOf(r), { code: 'NOT_FOUND', message: 'no route GET /v1/zonez', field: null });
  assert.equal((await call('POST', '/v1/health')).status, 404);
});

test('a zone file goes in as text/dns byte for byte, or as JSON text', async () => {
  const bytes = Buffer.from('www 300 IN TXT "caf\u00e9"\n', 'utf8');
  const r = await call('PUT', '/v1/zones/example.com./file', { token: 'admin', body: bytes, type: 'text/dns' });
  assert.equal(r.status, 200);
  assert.equal(calls.at(-1)?.input['text'], bytes.toString('latin1'));
  assert.equal((r.json as { recordCount: number }).recordCount, bytes.length);
  const plain = await call('PUT', '/v1/zones/example.com./file', { token: 'admin', body: 'a', type: 'text/plain; charset=utf-8' });
  assert.equal(plain.status, 200);
  const json = await call('PUT', '/v1/zones/example.com./file', { token: 'admin', json: { text: 'abc' } });
  assert.equal(json.status, 200);
  assert.equal(calls.at(-1)?.input['text'], 'abc');
});

test('a zone file comes out as text/dns, or as JSON when only JSON is accepted', async () => {
  const r = await request(`${rest.url()}/v1/zones/example.com./file`, { headers: { authorization: 'Bearer admin' }, dispatcher: agent });
  assert.equal(r.statusCode, 200);
  assert.match(String(r.headers['content-type']), /^text\/dns/);
  assert.deepEqual(Buffer.from(await r.body.arrayBuffer()), Buffer.from('example.com.\t3600\tIN\tTXT\t"caf\u00e9"\n', 'utf8'));
  const json = await call('GET', '/v1/zones/example.com./file', { token: 'admin', accept: 'application/json' });
  assert.deepEqual(json.json, { text: 'example.com.\t3600\tIN\tTXT\t"caf\xc3\xa9"\n' });
});

test('the OpenAPI document lists every route of the operations table, with its method and operation id', async () => {
  const r = await call('GET', '/v1/openapi.json');
  assert.equal(r.status, 200);
  const doc = r.json as { openapi: string; paths: Record<string, Record<string, { operationId: string; security: unknown[] }>> };
  assert.match(doc.openapi, /^3\./);
  const listed = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`));
  const expected = OPERATIONS.map((op) => `${op.rest.method} ${op.rest.path} ${op.name}`);
  assert.deepEqual(listed.sort(), expected.sort());
  for (const op of OPERATIONS) {
    const entry = doc.paths[op.rest.path]![op.rest.method.toLowerCase()]!;
    assert.deepEqual(entry.security, op.permission === 'public' ? [] : [{ bearer: [] }], op.name);
  }
});
