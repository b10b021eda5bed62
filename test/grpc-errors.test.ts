// The gRPC error table against the REST one: for every stable code, from the
// service and from the auth layer, gRPC sends the message REST sends and the
// field REST names; and every stable code has a gRPC status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError } from '@connectrpc/connect';
import { restErrorFor } from '../src/api/index.js';
import { FIELD_TRAILER, GRPC_CODE, grpcErrorDetail } from '../src/api/grpc/index.js';
import { internalError, toConnectError } from '../src/api/grpc/to-connect-error.js';
import { AuthError, type AuthErrorCode } from '../src/auth/index.js';
import { ServiceError, type ServiceErrorCode } from '../src/service/index.js';

const SERVICE_CODES: readonly ServiceErrorCode[] = [
  'INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'ABORTED', 'FAILED_PRECONDITION',
  'UNAUTHENTICATED', 'PERMISSION_DENIED', 'UNAVAILABLE', 'INTERNAL',
];
const AUTH_CODES: readonly AuthErrorCode[] = ['UNAUTHENTICATED', 'PERMISSION_DENIED', 'UNAVAILABLE'];

/** gRPC's canonical name of each stable code is the code itself (google.rpc.Code). */
const CANONICAL: Readonly<Record<ServiceErrorCode, Code>> = {
  INVALID_ARGUMENT: 3, NOT_FOUND: 5, ALREADY_EXISTS: 6, ABORTED: 10, FAILED_PRECONDITION: 9,
  UNAUTHENTICATED: 16, PERMISSION_DENIED: 7, UNAVAILABLE: 14, INTERNAL: 13,
};

test('each stable code maps to the gRPC status of the same name', () => {
  assert.deepEqual({ ...GRPC_CODE }, CANONICAL);
});

test('a ServiceError of every code: same message and field as REST, ErrorDetail and trailer', () => {
  for (const code of SERVICE_CODES) {
    const err = new ServiceError(code, `zone "example.com." says ${code.toLowerCase()}`, 'records[1]');
    const grpc = toConnectError(err);
    const rest = restErrorFor(err);
    assert.ok(grpc !== null && rest !== null);
    assert.equal(grpc.code, CANONICAL[code]);
    assert.equal(grpc.rawMessage, rest.body.error.message);
    assert.deepEqual(grpcErrorDetail(grpc), { code, field: rest.body.error.field });
    assert.equal(grpc.metadata.get(FIELD_TRAILER), 'records[1]');
  }
  const noField = toConnectError(new ServiceError('NOT_FOUND', 'zone "x." not found'));
  assert.equal(noField?.metadata.get(FIELD_TRAILER), null);
  assert.deepEqual(noField === null ? null : grpcErrorDetail(noField), { code: 'NOT_FOUND', field: '' });
});

test('an AuthError of every code: same message as REST (identity provider outage included)', () => {
  for (const code of AUTH_CODES) {
    const err = new AuthError(code, code === 'UNAVAILABLE' ? 'identity provider unreachable at https://idp.example/introspect: timeout' : 'token revoked');
    const grpc = toConnectError(err);
    const rest = restErrorFor(err);
    assert.ok(grpc !== null && rest !== null);
    assert.equal(grpc.code, CANONICAL[code]);
    assert.equal(grpc.rawMessage, rest.body.error.message);
  }
  const down = toConnectError(new AuthError('UNAVAILABLE', 'identity provider unreachable at https://idp.example/introspect: timeout'));
  // Said once: the auth layer's message already names the failure.
  assert.equal(down?.rawMessage, 'identity provider unreachable at https://idp.example/introspect: timeout');
});

test('an error without a stable code is not mapped; internalError hides it', () => {
  assert.equal(toConnectError(new Error('disk on fire')), null);
  assert.equal(toConnectError(Object.assign(new Error('x'), { code: 'ENOENT' })), null);
  const hidden = internalError(new Error('disk on fire'));
  assert.equal(hidden.code, Code.Internal);
  assert.equal(hidden.rawMessage, 'internal error');
  const passed = new ConnectError('deadline', Code.DeadlineExceeded);
  assert.equal(toConnectError(passed), passed);
});
