// The ConnectError a gRPC call rejects with, for tests that assert on its code and text.
import assert from 'node:assert/strict';
import { ConnectError } from '@connectrpc/connect';

/** Awaits `call` and returns the ConnectError it rejected with; fails the test if it succeeded or threw anything else. */
export async function connectFailure(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (err) {
    assert.ok(err instanceof ConnectError, `expected a ConnectError, got ${String(err)}`);
    return err;
  }
  assert.fail('the call succeeded');
}
