// An independent gRPC client against the mcns gRPC listener: Python's grpcio (the
// C-core implementation, Debian's python3-grpcio), not Connect-ES, so framing,
// ALPN, trailers and status details are checked by someone else's code. Messages
// are encoded and decoded here with protobuf-es; Python only moves bytes.
// Skips when /usr/bin/python3 has no grpc module (apt-get install python3-grpcio).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, fromBinary, toBinary, type DescMessage, type MessageInitShape } from '@bufbuild/protobuf';
import { createGrpcServer, ErrorDetailSchema, FIELD_TRAILER, type GrpcServer } from '../src/api/grpc/index.js';
import { HealthRequestSchema, HealthResponseSchema } from '../src/api/grpc/gen/mcns/v1/admin_pb.js';
import { ReplaceRRsetRequestSchema, ReplaceRRsetResponseSchema } from '../src/api/grpc/gen/mcns/v1/record_pb.js';
import { ListZonesRequestSchema } from '../src/api/grpc/gen/mcns/v1/zone_pb.js';
import { ensureSelfSignedTls } from '../src/api/tls/ensure-self-signed-tls.js';
import { AuthError } from '../src/auth/index.js';
import { createLogger } from '../src/log/index.js';
import { ServiceError, type Principal } from '../src/service/index.js';

const PYTHON = '/usr/bin/python3';
const hasGrpcio = spawnSync(PYTHON, ['-c', 'import grpc'], { stdio: 'ignore' }).status === 0;

/** Makes each call with grpcio and prints, per call, the status code name, details, response and trailers. */
const CLIENT = `
import grpc, json, sys
args = json.loads(sys.argv[1])
creds = grpc.ssl_channel_credentials(root_certificates=open(args["ca"], "rb").read())
out = []
with grpc.secure_channel("localhost:%d" % args["port"], creds) as channel:
    for call in args["calls"]:
        rpc = channel.unary_unary(call["path"])
        try:
            body, state = rpc.with_call(bytes.fromhex(call["request"]), metadata=call["metadata"], timeout=10)
            out.append({"code": "OK", "details": "", "response": body.hex(), "trailers": []})
        except grpc.RpcError as err:
            trailers = [[k, v.hex() if isinstance(v, bytes) else v] for k, v in (err.trailing_metadata() or [])]
            out.append({"code": err.code().name, "details": err.details(), "response": "", "trailers": trailers})
print(json.dumps(out))
`;

interface PyResult { code: string; details: string; response: string; trailers: [string, string][] }

const log = createLogger({ level: 'error', sink: { write() {} } });
const editor: Principal = { id: 't1', name: 'ci', role: 'editor', zones: null, via: 'token' };
let dir: string;
let server: GrpcServer;
let port: number;

before(async () => {
  if (!hasGrpcio) return;
  dir = mkdtempSync(join(tmpdir(), 'mcns-grpc-interop-'));
  const tls = await ensureSelfSignedTls({ dir, now: new Date() });
  const pair = { cert: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) };
  server = createGrpcServer({
    log, address: { host: '127.0.0.1', port: 0 }, tls: { secureContextOptions: () => pair },
    authenticate: async (authorization) => {
      if (authorization === 'Bearer good') return editor;
      throw new AuthError('UNAUTHENTICATED', authorization === null ? 'missing credential' : 'unknown token');
    },
    service: {
      async invoke(name, _principal, input) {
        if (name === 'health') return { status: 'ok' } as never;
        if (name === 'replaceRRset' && (input as { ttl: number }).ttl > 2147483647) {
          throw new ServiceError('INVALID_ARGUMENT', 'ttl must be <= 2147483647', 'ttl');
        }
        if (name === 'replaceRRset') return { zone: 'example.com.', serialBefore: 1, serialAfter: 2 } as never;
        throw new ServiceError('INTERNAL', `unexpected ${name}`);
      },
    },
  });
  port = (await server.start()).port;
});

after(async () => {
  if (!hasGrpcio) return;
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function call<D extends DescMessage>(path: string, schema: D, init: MessageInitShape<D>, metadata: [string, string][] = []) {
  return { path, request: Buffer.from(toBinary(schema, create(schema, init))).toString('hex'), metadata };
}

/** Runs the Python client (asynchronously: the server answers from this process's event loop). */
async function runPython(calls: ReturnType<typeof call>[]): Promise<PyResult[]> {
  const args = JSON.stringify({ port, ca: join(dir, 'ca.pem'), calls });
  const { stdout } = await promisify(execFile)(PYTHON, ['-c', CLIENT, args], { encoding: 'utf8', timeout: 30_000 });
  return JSON.parse(stdout) as PyResult[];
}

describe('gRPC interop with Python grpcio (C core)', { skip: hasGrpcio ? false : 'python3-grpcio is not installed' }, () => {
  it('calls Health with no metadata, then a method with a bearer token, over TLS with the CA', async () => {
    const [health, replaced] = await runPython([
      call('/mcns.v1.AdminService/Health', HealthRequestSchema, {}),
      call('/mcns.v1.RecordService/ReplaceRRset', ReplaceRRsetRequestSchema,
        { zone: 'example.com.', name: 'www', type: 'A', ttl: 300, records: ['192.0.2.1'] }, [['authorization', 'Bearer good']]),
    ]);
    assert.equal(health?.code, 'OK');
    assert.equal(fromBinary(HealthResponseSchema, Buffer.from(health.response, 'hex')).status, 'ok');
    assert.equal(replaced?.code, 'OK');
    assert.equal(fromBinary(ReplaceRRsetResponseSchema, Buffer.from(replaced.response, 'hex')).result?.serialAfter, 2);
  });

  it('sees UNAUTHENTICATED without a token and INVALID_ARGUMENT with the message, field trailer and status details', async () => {
    const [unauthenticated, invalid] = await runPython([
      call('/mcns.v1.ZoneService/ListZones', ListZonesRequestSchema, {}),
      call('/mcns.v1.RecordService/ReplaceRRset', ReplaceRRsetRequestSchema,
        { zone: 'example.com.', name: 'www', type: 'A', ttl: 4294967295, records: ['192.0.2.1'] }, [['authorization', 'Bearer good']]),
    ]);
    assert.equal(unauthenticated?.code, 'UNAUTHENTICATED');
    assert.equal(unauthenticated.details, 'missing credential');
    assert.equal(invalid?.code, 'INVALID_ARGUMENT');
    assert.equal(invalid.details, 'ttl must be <= 2147483647');
    const trailers = new Map(invalid.trailers);
    assert.equal(trailers.get(FIELD_TRAILER), 'ttl');
    const statusHex = trailers.get('grpc-status-details-bin');
    assert.ok(statusHex !== undefined, 'google.rpc.Status in grpc-status-details-bin');
    // google.rpc.Status { code = 1; message = 2; repeated Any details = 3 }: find our ErrorDetail's type URL and bytes.
    const status = Buffer.from(statusHex, 'hex');
    assert.ok(status.includes(Buffer.from(`type.googleapis.com/${ErrorDetailSchema.typeName}`)));
    assert.ok(status.includes(Buffer.from(toBinary(ErrorDetailSchema, create(ErrorDetailSchema, { code: 'INVALID_ARGUMENT', field: 'ttl' })))));
  });
});
