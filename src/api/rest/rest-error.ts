// Every failure the REST API reports, as one status table and one body shape:
// {"error":{"code","message","field"}}. Service and auth errors carry their code;
// Fastify's own (schema validation, bad JSON, body too large, unknown route) are
// translated to INVALID_ARGUMENT or NOT_FOUND first, so clients see one vocabulary.
import { AuthError } from '../../auth/index.js';
import { ServiceError, type ServiceErrorCode } from '../../service/index.js';

/** HTTP status of each service error code (STYLE.md rule 4: adapters translate codes in one table). */
export const HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  FAILED_PRECONDITION: 412,
  // From the service: mcns itself cannot serve yet (not ready). From authentication it is
  // the identity provider that failed, an upstream of ours: 502 (IDENTITY_PROVIDER_STATUS).
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const satisfies Record<ServiceErrorCode, number>;

/** Status when authentication fails because the identity provider cannot be asked (a bad gateway). */
export const IDENTITY_PROVIDER_STATUS = 502;

/** An error as the REST API sends it. */
export interface RestError {
  readonly status: number;
  readonly body: { readonly error: { readonly code: ServiceErrorCode; readonly message: string; readonly field: string | null } };
}

/** One schema violation as Fastify's validator reports it (TypeBox's error shape, like Ajv's). */
interface SchemaIssue {
  readonly keyword?: string;
  readonly instancePath?: string;
  readonly params?: Readonly<Record<string, unknown>>;
  readonly message?: string;
}

/** What Fastify's own errors look like. */
interface FrameworkError {
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly validation?: readonly SchemaIssue[];
  readonly validationContext?: string;
  readonly message?: unknown;
}

/** The body of a reply for code, message and field. */
export function restError(code: ServiceErrorCode, message: string, field: string | null = null, status: number = HTTP_STATUS[code]): RestError {
  return { status, body: { error: { code, message, field } } };
}

/**
 * The reply for anything thrown while handling a request, or null when it is not
 * one we expected (the caller logs it and answers INTERNAL with the request id).
 */
export function restErrorFor(err: unknown): RestError | null {
  if (err instanceof ServiceError) return restError(err.code, err.message, err.field ?? null);
  if (err instanceof AuthError) {
    if (err.code === 'UNAVAILABLE') {
      // The auth layer's words already say it: "identity provider unreachable at <url>: <reason>".
      return restError('UNAVAILABLE', err.message, null, IDENTITY_PROVIDER_STATUS);
    }
    return restError(err.code, err.message);
  }
  return frameworkError(err as FrameworkError);
}

/** Fastify's errors: schema validation, unparsable or oversized bodies, unsupported content types. */
function frameworkError(err: FrameworkError): RestError | null {
  if (Array.isArray(err.validation)) return validationError(err.validation, err.validationContext);
  const code = typeof err.code === 'string' ? err.code : '';
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return restError('INVALID_ARGUMENT', 'body is not valid JSON', 'body');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return restError('INVALID_ARGUMENT', 'body is empty; send a JSON object', 'body');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return restError('INVALID_ARGUMENT', `body is larger than the limit of this route: ${lower(String(err.message))}`, 'body', 413);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return restError('INVALID_ARGUMENT', 'unsupported content type; send application/json (or text/dns for a zone file)', 'body', 415);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return restError('INVALID_ARGUMENT', 'content-length does not match the body', 'body');
    default:
      break;
  }
  // A JSON syntax error from the body parser carries no FST code in some paths.
  if (err instanceof SyntaxError && (err as FrameworkError).statusCode === 400) {
    return restError('INVALID_ARGUMENT', `body is not valid JSON: ${lower(err.message)}`, 'body');
  }
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return restError('INVALID_ARGUMENT', lower(String(err.message)), null, err.statusCode);
  }
  return null;
}

/** The first schema violation as field and reason: `ttl must be <= 2147483647`, field "ttl". */
export function validationError(issues: readonly SchemaIssue[], context: string | undefined): RestError {
  // anyOf/boolean entries restate a more specific issue listed beside them.
  const issue = issues.find((i) => i.keyword !== 'anyOf' && i.keyword !== 'boolean') ?? issues[0];
  let path = pointerToField(issue?.instancePath ?? '');
  let reason = issue?.message ?? 'is invalid';
  const params = issue?.params ?? {};
  if (issue?.keyword === 'required' && Array.isArray(params['requiredProperties'])) {
    path = joinField(path, String(params['requiredProperties'][0]));
    reason = 'is required';
  } else if (issue?.keyword === 'additionalProperties' && Array.isArray(params['additionalProperties'])) {
    path = joinField(path, String(params['additionalProperties'][0]));
    reason = 'is not a known field';
  } else if (issue?.keyword === 'const') {
    // A union of literals reports one const mismatch per literal: list them all.
    const allowed = issues.filter((i) => i.keyword === 'const' && i.instancePath === issue.instancePath)
      .map((i) => JSON.stringify(i.params?.['allowedValue']));
    reason = allowed.length > 1 ? `must be one of ${allowed.join(', ')}` : `must be ${allowed[0] ?? 'a fixed value'}`;
  }
  const field = path === '' ? rootField(context) : path;
  return restError('INVALID_ARGUMENT', `${field} ${lower(reason)}`, field);
}

/** "/changes/0/ttl" -> "changes[0].ttl" (JSON Pointer, RFC 6901, to the service's field notation). */
function pointerToField(pointer: string): string {
  let field = '';
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    field = /^\d+$/.test(token) ? `${field}[${token}]` : joinField(field, token);
  }
  return field;
}

function joinField(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

function rootField(context: string | undefined): string {
  if (context === 'querystring') return 'query';
  if (context === 'params') return 'path';
  return context ?? 'body';
}

function lower(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
