// Errors from other layers as the service's one error type, so adapters map one
// set of codes.
import { ServiceError, type ServiceErrorCode } from './types.js';

/** Codes another layer may use that mean the same here. */
const KNOWN_CODES: ReadonlySet<string> = new Set<ServiceErrorCode>([
  'INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'ABORTED', 'FAILED_PRECONDITION', 'UNAUTHENTICATED', 'PERMISSION_DENIED',
  'UNAVAILABLE', 'INTERNAL',
]);

/** `err` as a ServiceError: kept, or its `code` kept when it is a service code, else INTERNAL. */
export function asServiceError(err: unknown): ServiceError {
  if (err instanceof ServiceError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const field = (err as { field?: unknown } | null)?.field;
  if (typeof code === 'string' && KNOWN_CODES.has(code)) {
    return new ServiceError(code as ServiceErrorCode, message, typeof field === 'string' ? field : undefined);
  }
  return new ServiceError('INTERNAL', message.charAt(0).toLowerCase() + message.slice(1));
}
