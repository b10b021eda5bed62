// The gRPC adapter over the real service: SQLite in a temporary directory, the
// real write path, built-in tokens checked by the real authenticator, the TLS
// material REST uses (src/api/tls). A REST server over the same service answers
// the same bad requests, so "the same message as REST" is compared, not assumed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { request, type Agent } from 'undici';
import type { RestServer } from '../src/api/index.js';
import { FIELD_TRAILER, grpcErrorDetail, type GrpcClient } from '../src/api/grpc/index.js';
import { startApiTestServers, type ApiTestServers } from './helpers/api-test-servers.js';
import { connectFailure } from './helpers/connect-failure.js';

let api: ApiTestServers;
let rest: RestServer;
let agent: Agent;
let adminSecret: string;

/** A client that is closed after the tests. */
function client(token?: string): GrpcClient {
  return api.client(token);
}

before(async () => {
  api = await startApiTestServers('mcns-grpc-service-');
  ({ rest, agent, adminSecret } = api);
});

after(async () => {
  await api.close();
});

const failure = connectFailure;

/** The REST error body for the same request. */
async function restError(method: string, path: string, body: unknown, token: string | null): Promise<{ code: string; message: string; field: string | null }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const r = await request(new URL(path, rest.url()), { method: method as 'PUT', headers, body: JSON.stringify(body), dispatcher: agent });
  const json = (await r.body.json()) as { error: { code: string; message: string; field: string | null } };
  return json.error;
}

describe('gRPC over the real service and SQLite', () => {
  it('answers Health and Ready without a token', async () => {
    const anonymous = client();
    assert.equal((await anonymous.admin.health({})).status, 'ok');
    assert.deepEqual({ ...(await anonymous.admin.ready({})) }, { $typeName: 'mcns.v1.ReadyResponse', ready: true, reason: '' });
  });

  it('refuses a method without a token or with an unknown one, in REST\'s words', async () => {
    const missing = await failure(client().zones.listZones({}));
    assert.equal(missing.code, Code.Unauthenticated);
    const restMissing = await restError('GET', '/v1/zones', undefined, null);
    assert.equal(missing.rawMessage, restMissing.message);
    const unknown = await failure(client('mcns_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA').zones.listZones({}));
    assert.equal(unknown.code, Code.Unauthenticated);
    assert.equal(unknown.rawMessage, 'unknown token');
  });

  it('creates a zone, changes an RRset, reads it back, exports and imports, with serials moving', async () => {
    const admin = client(adminSecret);
    const zone = (await admin.zones.createZone({ zone: 'example.com.', nameservers: ['ns1.example.com.'] })).zone;
    assert.equal(zone?.name, 'example.com.');
    assert.equal(zone?.kind, 'primary');
    const replaced = (await admin.records.replaceRRset({ zone: 'example.com.', name: 'www', type: 'A', ttl: 300, records: ['192.0.2.1', '192.0.2.2'] })).result;
    assert.equal(replaced?.serialAfter, (replaced?.serialBefore ?? 0) + 1);
    const rrset = (await admin.records.getRRset({ zone: 'example.com.', name: 'www.example.com.', type: 'A' })).rrset;
    assert.deepEqual(rrset?.records, ['192.0.2.1', '192.0.2.2']);
    assert.equal(rrset?.ttl, 300);
    const batch = (await admin.records.applyChanges({
      zone: 'example.com.', expectedSerial: replaced?.serialAfter ?? 0,
      changes: [
        { op: 'add', name: 'mail', type: 'A', ttl: 60, records: ['192.0.2.25'] },
        { op: 'replace', name: '@', type: 'MX', ttl: 60, records: ['10 mail'] },
        { op: 'remove', name: 'www', type: 'A', records: ['192.0.2.2'] },
      ],
    })).result;
    assert.equal(batch?.serialBefore, replaced?.serialAfter);
    const listed = await admin.records.listRRsets({ zone: 'example.com.', type: 'MX' });
    assert.deepEqual(listed.rrsets.map((s) => s.records), [['10 mail.example.com.']]);
    const text = (await admin.zones.exportZone({ zone: 'example.com.' })).text;
    assert.match(text, /^www\s+300\s+IN\s+A\s+192\.0\.2\.1$/m);
    const imported = await admin.zones.importZone({ zone: 'example.com.', text });
    assert.ok(imported.recordCount >= 4);
    assert.ok((imported.result?.serialAfter ?? 0) > (batch?.serialAfter ?? 0));
  });

  it('sends INVALID_ARGUMENT with the same message and field as REST for a bad record', async () => {
    const admin = client(adminSecret);
    const err = await failure(admin.records.replaceRRset({ zone: 'example.com.', name: 'www', type: 'A', ttl: 300, records: ['192.0.2.1', '300.1.1.1'] }));
    assert.equal(err.code, Code.InvalidArgument);
    const viaRest = await restError('PUT', '/v1/zones/example.com./rrsets/www/A', { ttl: 300, records: ['192.0.2.1', '300.1.1.1'] }, adminSecret);
    assert.equal(viaRest.code, 'INVALID_ARGUMENT');
    assert.equal(err.rawMessage, viaRest.message);
    assert.equal(grpcErrorDetail(err)?.field, viaRest.field);
    assert.equal(err.metadata.get(FIELD_TRAILER), 'records[1]');
  });

  it('names the change and field in a batch, and refuses a stale expected serial with ABORTED', async () => {
    const admin = client(adminSecret);
    const badOp = await failure(admin.records.applyChanges({ zone: 'example.com.', changes: [{ op: 'upsert', name: 'x', type: 'A' }] }));
    assert.equal(badOp.code, Code.InvalidArgument);
    assert.equal(grpcErrorDetail(badOp)?.field, 'changes[0].op');
    const stale = await failure(admin.records.deleteRRset({ zone: 'example.com.', name: 'www', type: 'A', expectedSerial: 1 }));
    assert.equal(stale.code, Code.Aborted);
    assert.equal(grpcErrorDetail(stale)?.field, 'expectedSerial');
    const missing = await failure(admin.zones.getZone({ zone: 'nowhere.example.' }));
    assert.equal(missing.code, Code.NotFound);
    const twice = await failure(admin.zones.createZone({ zone: 'example.com.', nameservers: ['ns1.example.com.'] }));
    assert.equal(twice.code, Code.AlreadyExists, twice.rawMessage);
  });

  it('makes a scoped viewer token that reads its zone, may not write, and stops working once revoked', async () => {
    const admin = client(adminSecret);
    const created = await admin.tokens.createToken({ name: 'dash', role: 'viewer', zones: { names: ['example.com.'] } });
    assert.deepEqual(created.token?.zones?.names, ['example.com.']);
    assert.equal(created.token?.revokedAt, undefined);
    const viewer = client(created.secret);
    assert.equal((await viewer.zones.getZone({ zone: 'example.com.' })).zone?.name, 'example.com.');
    const denied = await failure(viewer.records.deleteRRset({ zone: 'example.com.', name: 'www', type: 'A' }));
    assert.equal(denied.code, Code.PermissionDenied);
    const listed = await admin.tokens.listTokens({});
    assert.ok(listed.tokens.some((t) => t.id === created.token?.id && t.role === 'viewer'));
    assert.ok(listed.tokens.some((t) => t.name === 'admin' && t.zones === undefined), 'an unscoped token has no zones');
    await admin.tokens.revokeToken({ id: created.token?.id ?? '' });
    const revoked = await failure(client(created.secret).zones.getZone({ zone: 'example.com.' }));
    assert.equal(revoked.code, Code.Unauthenticated);
    assert.equal(revoked.rawMessage, 'token revoked');
    const bad = await failure(admin.tokens.createToken({ name: 'x', role: 'root' }));
    assert.equal(bad.code, Code.InvalidArgument);
    assert.equal(grpcErrorDetail(bad)?.field, 'role');
  });

  it('lists the audit log: who, what, serials; entries without a zone leave it unset', async () => {
    const page = await client(adminSecret).audit.listAudit({ pageSize: 100 });
    const ops = page.entries.map((e) => e.operation);
    assert.ok(ops.includes('createZone') && ops.includes('replaceRRset') && ops.includes('createToken'), ops.join(','));
    const change = page.entries.find((e) => e.operation === 'replaceRRset');
    assert.equal(change?.zone, 'example.com.');
    assert.equal(typeof change?.id, 'bigint');
    assert.ok(change?.serialAfter !== undefined);
    const token = page.entries.find((e) => e.operation === 'createToken');
    assert.equal(token?.zone, undefined);
    assert.equal(token?.serialBefore, undefined);
  });
});
