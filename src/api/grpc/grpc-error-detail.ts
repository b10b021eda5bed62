// The client's side of to-connect-error.ts: the stable code and field an mcns
// server put in a gRPC error.
import type { ConnectError } from '@connectrpc/connect';
import { ErrorDetailSchema } from './gen/mcns/v1/change_pb.js';

/** The stable code ("NOT_FOUND") and input field ("records[1]", or "") of an mcns error; null when it carries none. */
export function grpcErrorDetail(err: ConnectError): { code: string; field: string } | null {
  const detail = err.findDetails(ErrorDetailSchema)[0];
  return detail === undefined ? null : { code: detail.code, field: detail.field };
}
