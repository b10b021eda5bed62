// The gRPC adapter's one error table: the stable codes of the service and auth
// layers become gRPC status codes. The message is the layer's own, unchanged, so
// REST and gRPC say the same words; the field at fault travels as an ErrorDetail
// and as the "x-mcns-field" trailer.
import { Code, ConnectError } from '@connectrpc/connect';
import { AuthError } from '../../auth/index.js';
import { ServiceError, type ServiceErrorCode } from '../../service/index.js';
import { ErrorDetailSchema } from './gen/mcns/v1/change_pb.js';

/** Stable service/auth code -> gRPC status code. */
export const GRPC_CODE: Readonly<Record<ServiceErrorCode, Code>> = {
  INVALID_ARGUMENT: Code.InvalidArgument,
  NOT_FOUND: Code.NotFound,
  ALREADY_EXISTS: Code.AlreadyExists,
  ABORTED: Code.Aborted,
  FAILED_PRECONDITION: Code.FailedPrecondition,
  UNAUTHENTICATED: Code.Unauthenticated,
  PERMISSION_DENIED: Code.PermissionDenied,
  UNAVAILABLE: Code.Unavailable,
  INTERNAL: Code.Internal,
};

/** The trailer that names the input field at fault, when there is one. */
export const FIELD_TRAILER = 'x-mcns-field';

/** The message sent for errors that carry no stable code (the cause is logged, never sent). */
export const INTERNAL_MESSAGE = 'internal error';

/**
 * The ConnectError to throw for `err`, or null when `err` has no stable code (a bug:
 * the caller logs it and throws `internalError()`). ConnectErrors pass through.
 */
export function toConnectError(err: unknown): ConnectError | null {
  if (err instanceof ConnectError) return err;
  if (err instanceof ServiceError) return coded(err.code, err.message, err.field ?? '', err);
  // The auth layer's words as they are, as REST sends them: its UNAVAILABLE messages
  // already say what failed ("identity provider unreachable at <url>: <reason>").
  if (err instanceof AuthError) return coded(err.code, err.message, '', err);
  return null;
}

function coded(code: ServiceErrorCode, message: string, field: string, cause: unknown): ConnectError {
  const trailer: Record<string, string> = field === '' ? {} : { [FIELD_TRAILER]: field };
  return new ConnectError(message, GRPC_CODE[code], trailer, [{ desc: ErrorDetailSchema, value: { code, field } }], cause);
}

/** The error sent for a failure with no stable code. */
export function internalError(cause: unknown): ConnectError {
  return new ConnectError(INTERNAL_MESSAGE, Code.Internal, undefined, [
    { desc: ErrorDetailSchema, value: { code: 'INTERNAL', field: '' } },
  ], cause);
}
