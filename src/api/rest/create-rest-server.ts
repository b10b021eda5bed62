// The REST adapter: Fastify over HTTPS with one route per row of OPERATIONS.
// Each request goes through the same named lifecycle:
//
//   onRequest      request id (x-request-id), then authenticate (skipped for public operations)
//   preValidation  body parsed (JSON, or a zone file as text/dns) and checked against route-schemas.ts
//   handler        input = query + body + path parameters; service.invoke(name, principal, input)
//   onSend         the output serialized with the route's response schema (or sent as text/dns)
//   error handler  any failure through rest-error.ts's one table into {"error":{code,message,field}}
//
// Handlers parse, invoke and serialize (STYLE.md rule 5); every decision is the service's.
import { randomUUID } from 'node:crypto';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import swagger from '@fastify/swagger';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchema } from 'fastify';
import { Type } from 'typebox';
import { AuthError, wwwAuthenticate } from '../../auth/index.js';
import { listenAddressText, type ListenAddress } from '../../config/index.js';
import type { Logger } from '../../log/index.js';
import { OPERATIONS, type OperationIO, type OperationName, type OperationSpec, type Principal } from '../../service/index.js';
import type { TlsMaterial } from '../tls/tls-material.js';
import { restError, restErrorFor } from './rest-error.js';
import { restListenError } from './rest-server-error.js';
import { ERROR_BODY, ROUTE_SCHEMAS, type RouteSchema } from './route-schemas.js';

/** Largest JSON body (a batch of changes). */
export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;
/** Largest zone file accepted by PUT /v1/zones/{zone}/file. */
export const DEFAULT_ZONE_FILE_LIMIT = 64 * 1024 * 1024;
/** How long close() lets requests in flight finish before it cuts their connections. */
export const DEFAULT_CLOSE_GRACE_MS = 10_000;
/** Where the OpenAPI document is served. */
export const OPENAPI_PATH = '/v1/openapi.json';

/** The service layer's one entry, as the REST adapter calls it (public operations get a null principal). */
export interface RestService {
  invoke<N extends OperationName>(name: N, principal: Principal | null, input: OperationIO[N]['input']): Promise<OperationIO[N]['output']>;
}

/** Turns an Authorization header value (null when absent) into a principal; throws AuthError. */
export type RestAuthenticate = (authorization: string | null, signal?: AbortSignal) => Promise<Principal>;

/** What createRestServer needs. */
export interface RestServerOptions {
  readonly service: RestService;
  readonly authenticate: RestAuthenticate;
  /** The certificate shared with gRPC; new pairs are swapped in without dropping connections. */
  readonly tls: Pick<TlsMaterial, 'secureContextOptions' | 'attach'>;
  /** [api] rest_addr; port 0 picks a free port. */
  readonly address: ListenAddress;
  readonly log: Logger;
  /** The version shown in the OpenAPI document. */
  readonly version?: string;
  readonly bodyLimit?: number;
  readonly zoneFileLimit?: number;
  readonly closeGraceMs?: number;
  /** Called once per answered request, for metrics: route template ("" when none matched), method, status, seconds. */
  readonly onRequestDone?: (route: string, method: string, status: number, seconds: number) => void;
}

/** A REST listener, started once and closed once. */
export interface RestServer {
  /** Binds and listens; throws RestServerError (ADDRESS_IN_USE, ...) naming the address. */
  start(): Promise<void>;
  /** The bound address (the real port when 0 was asked); only after start(). */
  address(): ListenAddress;
  /** "https://127.0.0.1:8443": the base URL a local client uses (a wildcard address becomes loopback). */
  url(): string;
  /**
   * Stops accepting, closes idle keep-alive connections, lets requests in flight
   * finish for up to graceMs (default: the closeGraceMs option), then cuts the
   * connections left; resolves with how many were cut. Safe to call twice.
   */
  close(graceMs?: number): Promise<number>;
}

type HttpsFastify = FastifyInstance<HttpsServer>;

const ERROR_SCHEMA_ID = 'Error';
const ERROR_REF = { $ref: `${ERROR_SCHEMA_ID}#` };

/** Builds the Fastify app with every operation's route and the OpenAPI document; call start() to listen. */
export async function createRestServer(options: RestServerOptions): Promise<RestServer> {
  const { log, address } = options;
  const app = Fastify({
    https: options.tls.secureContextOptions(),
    loggerInstance: log.child({ layer: 'rest' }),
    // One debug line per request (onResponse below) instead of Fastify's two at info.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    genReqId: requestId,
    exposeHeadRoutes: false,
    requestTimeout: 300_000,
  }) as unknown as HttpsFastify;
  const detachTls = options.tls.attach(app.server);
  const principals = new WeakMap<FastifyRequest, Principal>();

  app.setValidatorCompiler(TypeBoxValidatorCompiler);
  app.addSchema({ $id: ERROR_SCHEMA_ID, title: 'Error', ...ERROR_BODY });
  app.removeContentTypeParser('text/plain');
  // Zone files are bytes (RFC 1035 5.1); latin1 keeps each byte as one character, as the zone parser expects.
  app.addContentTypeParser(['text/dns', 'text/plain'], { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, (body as Buffer).toString('latin1'));
  });
  // Callback hooks, not async ones: no promise and microtask per request for work that never waits.
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.debug({ method: request.method, url: request.routeOptions.url ?? request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'rest: request');
    options.onRequestDone?.(request.routeOptions.url ?? '', request.method, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  app.setErrorHandler((err, request, reply) => sendError(err, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = restError('NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`);
    void reply.code(status).send(body);
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'mcns management API', version: options.version ?? '0', description: 'Routes, permissions and shapes come from the operations table (src/service/operations.ts).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'mcns_<id>_<secret> token, or an identity provider\'s token' } } },
    },
    // Shared schemas keep their $id as their name under components.schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
  });
  const authenticateRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // Abandon an identity-provider call when the client goes away.
    const abandoned = new AbortController();
    const onClose = (): void => abandoned.abort();
    reply.raw.once('close', onClose);
    try {
      principals.set(request, await options.authenticate(request.headers.authorization ?? null, abandoned.signal));
    } finally {
      reply.raw.off('close', onClose);
    }
  };
  for (const spec of OPERATIONS) {
    const route = ROUTE_SCHEMAS[spec.name];
    app.route({
      method: spec.rest.method,
      url: spec.rest.path.replace(/\{(\w+)\}/g, ':$1'),
      schema: fastifySchema(spec, route),
      ...(spec.permission === 'public' ? {} : { onRequest: authenticateRequest }),
      ...(route.zoneFileBody === true ? { bodyLimit: options.zoneFileLimit ?? DEFAULT_ZONE_FILE_LIMIT } : {}),
      handler: async (request, reply) => {
        const output = await options.service.invoke(spec.name, principals.get(request) ?? null, inputOf(route, request) as never);
        const refusal = route.refusal?.(output) ?? null;
        if (refusal !== null) throw refusal;
        return sendOutput(route, request, reply, output);
      },
    });
  }
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  await app.ready();

  let bound: ListenAddress | null = null;
  let closing: Promise<number> | null = null;
  const boundAddress = (): ListenAddress => {
    if (bound === null) throw new Error('rest server not started');
    return bound;
  };
  return {
    async start() {
      try {
        await app.listen({ host: address.host, port: address.port, listenTextResolver: (url) => `rest: listening on ${url}` });
      } catch (err) {
        throw restListenError(err, address);
      }
      const info = app.server.address() as AddressInfo;
      bound = { host: info.address, port: info.port };
    },
    address: boundAddress,
    url() {
      const { host, port } = boundAddress();
      const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
      return `https://${listenAddressText({ host: local, port })}`;
    },
    close(graceMs) {
      closing ??= closeApp(app, graceMs ?? options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS).finally(detachTls);
      return closing;
    },
  };

  function sendError(err: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const mapped = restErrorFor(err);
    if (mapped === null || mapped.status === 500) {
      request.log.error({ err, method: request.method, url: request.url }, 'rest: internal error');
    } else if (mapped.status >= 500) {
      request.log.warn({ code: mapped.body.error.code, message: mapped.body.error.message }, 'rest: unavailable');
    }
    if (err instanceof AuthError) {
      const challenge = wwwAuthenticate(err);
      if (challenge !== null) void reply.header('www-authenticate', challenge);
    }
    const { status, body } = mapped ?? restError('INTERNAL', `internal error; the server log has the details under request id ${request.id}`);
    void reply.code(status).send(body);
  }
}

/** The operation's input: query, then body (a zone file becomes `text`), then path parameters. */
function inputOf(route: RouteSchema, request: FastifyRequest): Record<string, unknown> {
  const query = route.query === undefined ? {} : (request.query as Record<string, unknown>);
  const body = route.body === undefined ? {} : typeof request.body === 'string' ? { text: request.body } : (request.body as Record<string, unknown>);
  return { ...query, ...body, ...(request.params as Record<string, unknown>) };
}

function sendOutput(route: RouteSchema, request: FastifyRequest, reply: FastifyReply, output: unknown): FastifyReply {
  if (route.status === 204) return reply.code(204).send();
  if (route.zoneFileReply === true && acceptsZoneFile(request.headers.accept)) {
    return reply.code(200).type('text/dns').send(Buffer.from((output as { text: string }).text, 'latin1'));
  }
  return reply.code(route.status).send(output);
}

/** A zone file unless the client asks for JSON and not for text (the CLI sends accept: application/json). */
function acceptsZoneFile(accept: string | undefined): boolean {
  if (accept === undefined || accept === '') return true;
  const types = accept.toLowerCase().split(',').map((part) => part.split(';')[0]!.trim());
  if (types.includes('text/dns') || types.includes('text/plain')) return true;
  return !types.includes('application/json');
}

/** The route's schema for validation, serialization and OpenAPI. */
function fastifySchema(spec: OperationSpec, route: RouteSchema): FastifySchema {
  const success: Record<string, unknown> = route.response === null
    ? { [route.status]: { type: 'null', description: 'no content' } }
    : route.zoneFileReply === true
      ? { [route.status]: { description: spec.summary, content: { 'text/dns': { schema: Type.String() }, 'application/json': { schema: route.response } } } }
      : { [route.status]: route.response };
  let body: unknown = route.body;
  if (route.body !== undefined && route.zoneFileBody === true) {
    const text = Type.String({ description: 'RFC 1035 zone file' });
    body = { content: { 'text/dns': { schema: text }, 'text/plain': { schema: text }, 'application/json': { schema: route.body } } };
  }
  return {
    summary: spec.summary,
    operationId: spec.name,
    tags: [spec.grpc.service],
    security: spec.permission === 'public' ? [] : [{ bearer: [] }],
    ...(route.params === undefined ? {} : { params: route.params }),
    ...(route.query === undefined ? {} : { querystring: route.query }),
    ...(body === undefined ? {} : { body }),
    description: `permission: ${spec.permission}${spec.zoneScoped ? ' (within the caller\'s zone scope)' : ''}; CLI: mcns ${spec.cli}`,
    response: { ...success, '4xx': ERROR_REF, '5xx': ERROR_REF },
  } as FastifySchema;
}

/** The client's x-request-id when it is a sane token, else a fresh UUID. */
function requestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/** Stops listening and waits for requests in flight; after graceMs, cuts the connections still open and resolves with their number. */
async function closeApp(app: HttpsFastify, graceMs: number): Promise<number> {
  let cut = 0;
  // Idle keep-alive connections are closed by app.close() at once: those left at the deadline hold a request.
  const timer = setTimeout(() => {
    app.server.getConnections((_err, count) => {
      cut = count;
      app.server.closeAllConnections();
    });
  }, graceMs);
  try {
    await app.close();
  } finally {
    clearTimeout(timer);
  }
  return cut;
}
