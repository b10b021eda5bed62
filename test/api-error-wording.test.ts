// REST and gRPC say the same words for the same mistake. Both adapters sit over one
// service layer, but REST checks its JSON schema first, so a range the schema and
// the service both check (a TTL, a page size) was worded twice; and the words an
// identity-provider outage gets from the auth layer were prefixed again by both
// adapters ("the identity provider is unreachable: identity provider unreachable at
// ..."). Here the real service over SQLite, real tokens, the real introspection
// client against a closed port, REST and gRPC side by side.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { request, type Agent } from 'undici';
import type { RestServer } from '../src/api/index.js';
import { FIELD_TRAILER, grpcErrorDetail, type GrpcClient } from '../src/api/grpc/index.js';
import { freePort } from './helpers/free-port.js';
import { startApiTestServers, type ApiTestServers } from './helpers/api-test-servers.js';

/** The error as each adapter reports it: code, message, field. */
interface Reported {
  readonly code: string;
  readonly message: string;
  readonly field: string | null;
}

let api: ApiTestServers;
let rest: RestServer;
let agent: Agent;
let adminSecret: string;
let idpUrl: string;

function client(token?: string): GrpcClient {
  return api.client(token);
}

before(async () => {
  // An identity provider on a port nothing listens on: every provider token is UNAVAILABLE.
  idpUrl = `http://127.0.0.1:${await freePort()}/introspect`;
  api = await startApiTestServers('mcns-error-wording-', {
    mode: 'introspection',
    introspection: {
      url: idpUrl, clientId: 'mcns', clientSecret: 's3cret', timeoutMs: 2_000, cacheTtlMs: 0, roleClaim: 'scope', zonesClaim: 'scope',
    },
  });
  ({ rest, agent, adminSecret } = api);
  await client(adminSecret).zones.createZone({ zone: 'example.com.', nameservers: ['ns1.example.com.'] });
});

after(async () => {
  await api.close();
});

/** What REST answers, as code, message, field. */
async function viaRest(method: string, path: string, body: unknown, token: string | null): Promise<Reported> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  const r = await request(new URL(path, rest.url()), {
    method: method as 'PUT', headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }), dispatcher: agent,
  });
  const json = (await r.body.json()) as { error: Reported };
  return json.error;
}

/** What a gRPC call fails with, as code name, message, field. */
async function viaGrpc(call: Promise<unknown>): Promise<Reported> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ConnectError, `expected a ConnectError, got ${String(err)}`);
    const detail = grpcErrorDetail(err);
    assert.equal(err.metadata.get(FIELD_TRAILER) ?? '', detail?.field ?? '');
    return { code: detail?.code ?? Code[err.code], message: err.rawMessage, field: detail?.field === '' ? null : detail?.field ?? null };
  }
  assert.fail('the call succeeded');
}

describe('the same words over REST and gRPC', () => {
  for (const ttl of [2 ** 31, 2 ** 32 - 1]) {
    it(`a TTL of ${ttl} in an RRset replacement: same field and reason`, async () => {
      const grpcSays = await viaGrpc(client(adminSecret).records.replaceRRset({ zone: 'example.com.', name: 'www', type: 'A', ttl, records: ['192.0.2.1'] }));
      const restSays = await viaRest('PUT', '/v1/zones/example.com./rrsets/www/A', { ttl, records: ['192.0.2.1'] }, adminSecret);
      assert.deepEqual(grpcSays, restSays);
      assert.deepEqual(restSays, { code: 'INVALID_ARGUMENT', message: 'ttl must be <= 2147483647', field: 'ttl' });
    });
  }

  it('a TTL out of range in a batch names the change: changes[1].ttl', async () => {
    const changes = [
      { op: 'add', name: 'a', type: 'A', ttl: 60, records: ['192.0.2.1'] },
      { op: 'replace', name: 'b', type: 'A', ttl: 2 ** 31, records: ['192.0.2.2'] },
    ];
    const grpcSays = await viaGrpc(client(adminSecret).records.applyChanges({ zone: 'example.com.', changes }));
    const restSays = await viaRest('PATCH', '/v1/zones/example.com./rrsets', { changes }, adminSecret);
    assert.deepEqual(grpcSays, restSays);
    assert.deepEqual(restSays, { code: 'INVALID_ARGUMENT', message: 'changes[1].ttl must be <= 2147483647', field: 'changes[1].ttl' });
  });

  it('a TTL out of range for a new zone\'s SOA and NS: same words', async () => {
    const grpcSays = await viaGrpc(client(adminSecret).zones.createZone({ zone: 'example.net.', nameservers: ['ns1.example.net.'], ttl: 2 ** 31 }));
    const restSays = await viaRest('POST', '/v1/zones', { zone: 'example.net.', nameservers: ['ns1.example.net.'], ttl: 2 ** 31 }, adminSecret);
    assert.deepEqual(grpcSays, restSays);
    assert.deepEqual(restSays, { code: 'INVALID_ARGUMENT', message: 'ttl must be <= 2147483647', field: 'ttl' });
  });

  it('a page size out of range: same words', async () => {
    const grpcSays = await viaGrpc(client(adminSecret).zones.listZones({ pageSize: 5000 }));
    const restSays = await viaRest('GET', '/v1/zones?pageSize=5000', undefined, adminSecret);
    assert.deepEqual(grpcSays, restSays);
    assert.deepEqual(restSays, { code: 'INVALID_ARGUMENT', message: 'pageSize must be <= 1000', field: 'pageSize' });
  });

  it('a token lifetime of 0 seconds: same words', async () => {
    const grpcSays = await viaGrpc(client(adminSecret).tokens.createToken({ name: 'ci', role: 'viewer', ttlSeconds: 0 }));
    const restSays = await viaRest('POST', '/v1/tokens', { name: 'ci', role: 'viewer', ttlSeconds: 0 }, adminSecret);
    assert.deepEqual(grpcSays, restSays);
    assert.deepEqual(restSays, { code: 'INVALID_ARGUMENT', message: 'ttlSeconds must be >= 1', field: 'ttlSeconds' });
  });

  it('an identity provider that cannot be asked: the auth layer\'s words once, not "unreachable: unreachable"', async () => {
    const expected = `identity provider unreachable at ${idpUrl}: connect ECONNREFUSED ${new URL(idpUrl).host}`;
    const grpcSays = await viaGrpc(client('idp-token').zones.listZones({}));
    const restSays = await viaRest('GET', '/v1/zones', undefined, 'idp-token');
    assert.deepEqual(grpcSays, { code: 'UNAVAILABLE', message: expected, field: null });
    assert.deepEqual(restSays, { code: 'UNAVAILABLE', message: expected, field: null });
  });
});
