// The gRPC listener: Connect-ES's node adapter on an HTTP/2 TLS server, serving
// real gRPC (and Connect and gRPC-Web, which come with it) on [api] grpc_addr.
// The TLS pair is the one the REST listener serves; a new pair is swapped in with
// setSecureContext, so open connections keep theirs and new ones get the new one.
import {
  createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session,
} from 'node:http2';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SecureContextOptions } from 'node:tls';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { Logger } from '../../log/index.js';
import { OPERATIONS } from '../../service/index.js';
import { createGrpcRoutes, methodFor } from './create-grpc-routes.js';
import type { Authenticate, InvokeService } from './grpc-deps.js';
import { GrpcServerError } from './grpc-server-error.js';
import { observeGrpcCall, UNMATCHED_METHOD, type GrpcRequestDone } from './observe-grpc-call.js';

/** Largest request message accepted (a zone file import is the big one). */
export const DEFAULT_GRPC_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
/** How long close() lets in-flight calls finish before it cuts the connections. */
export const DEFAULT_GRPC_CLOSE_GRACE_MS = 5000;

/** The TLS material as the gRPC server uses it (src/api/tls's TlsMaterial has this shape). */
export interface GrpcTls {
  /** The certificate chain and key to serve now. */
  secureContextOptions(): SecureContextOptions;
  /** Optional: have the material swap new pairs into `server`; returns the detach function. */
  attach?(server: { setSecureContext(options: SecureContextOptions): void }): () => void;
}

/** What createGrpcServer needs. */
export interface GrpcServerOptions {
  readonly service: InvokeService;
  readonly authenticate: Authenticate;
  readonly tls: GrpcTls;
  /** [api] grpc_addr; port 0 picks a free port. */
  readonly address: { readonly host: string; readonly port: number };
  readonly log: Logger;
  readonly maxMessageBytes?: number;
  readonly closeGraceMs?: number;
  /**
   * Called once per request when its response is finished (metrics): the method
   * path ("/mcns.v1.ZoneService/CreateZone", "unmatched" for any other path), the
   * gRPC status code name ("OK", "INVALID_ARGUMENT") and the seconds taken.
   */
  readonly onRequestDone?: GrpcRequestDone;
}

/** A gRPC listener that is started once and closed once. */
export interface GrpcServer {
  /** Binds and listens; resolves with the bound address (the real port when 0 was asked). Throws GrpcServerError. */
  start(): Promise<{ host: string; port: number }>;
  /**
   * Stops accepting, lets calls in flight finish for up to graceMs (default: the
   * closeGraceMs option), then cuts what is left; resolves with the connections cut. Safe to call twice.
   */
  close(graceMs?: number): Promise<number>;
  /** Serves this pair to new connections from now on. */
  reloadTls(cert: string | Buffer, key: string | Buffer): void;
}

/** A gRPC server over HTTP/2 TLS whose methods are the operations table's gRPC column. */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const { log, address } = options;
  const shutdown = new AbortController();
  const handler = connectNodeAdapter({
    routes: createGrpcRoutes(options),
    readMaxBytes: options.maxMessageBytes ?? DEFAULT_GRPC_MAX_MESSAGE_BYTES,
    shutdownSignal: shutdown.signal,
  });
  const guarded = guardAuthority(handler, log);
  const onRequestDone = options.onRequestDone;
  const served = onRequestDone === undefined ? guarded : observed(guarded, methodPaths(), onRequestDone);
  const server: Http2SecureServer = createSecureServer({ ...options.tls.secureContextOptions(), allowHTTP1: true }, served);
  const detach = options.tls.attach?.(server) ?? (() => {});
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  let closing: Promise<number> | null = null;

  return {
    async start() {
      await listen(server, address);
      server.on('error', (err) => log.error({ err }, 'grpc: server error'));
      const bound = server.address() as AddressInfo;
      log.info({ addr: `${bound.address}:${bound.port}` }, 'grpc: listening');
      return { host: bound.address, port: bound.port };
    },
    close(graceMs) {
      closing ??= closeServer(server, sessions, shutdown, graceMs ?? options.closeGraceMs ?? DEFAULT_GRPC_CLOSE_GRACE_MS).finally(detach);
      return closing;
    },
    reloadTls(cert, key) {
      server.setSecureContext({ cert, key });
    },
  };
}

type NodeRequest = Http2ServerRequest | IncomingMessage;
type NodeResponse = Http2ServerResponse | ServerResponse;

/**
 * Connect's node adapter builds a URL from the request's authority and throws,
 * outside any promise, when it does not parse: an uncaught exception that would
 * end the process. Node's own HTTP/2 client sends an IPv6 authority without
 * brackets ("::1:9443"), so this is not only a hostile client's doing. An
 * authority that is not a valid host[:port] is replaced by the address the
 * connection came in on (the handlers never read it); anything still thrown
 * answers 400.
 */
function guardAuthority(handler: (req: NodeRequest, res: NodeResponse) => void, log: Logger) {
  return (req: NodeRequest, res: NodeResponse): void => {
    const headers = req.headers as Record<string, string | string[] | undefined>;
    const key = ':authority' in headers ? ':authority' : 'host';
    const authority = headers[key];
    if (typeof authority !== 'string' || !URL.canParse(`https://${authority}/`)) {
      const { localAddress = '127.0.0.1', localPort = 0 } = req.socket;
      headers[key] = `${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
    }
    try {
      handler(req, res);
    } catch (err) {
      log.warn({ err, authority }, 'grpc: request refused before it reached a handler');
      if (!res.headersSent) res.writeHead(400);
      res.end();
    }
  };
}

/** The request path of every served method: "/mcns.v1.ZoneService/CreateZone". */
function methodPaths(): ReadonlySet<string> {
  return new Set(OPERATIONS.map((spec) => {
    const method = methodFor(spec);
    return `/${method.parent.typeName}/${method.name}`;
  }));
}

/** `handler`, with every request reported to `done` when it ends; the method label is bounded by `paths`. */
function observed(handler: (req: NodeRequest, res: NodeResponse) => void, paths: ReadonlySet<string>, done: GrpcRequestDone) {
  return (req: NodeRequest, res: NodeResponse): void => {
    // The adapter routes on the path without its query (Connect's GET puts the message there).
    const path = (req.url ?? '').split('?', 1)[0] ?? '';
    observeGrpcCall(req, res, paths.has(path) ? path : UNMATCHED_METHOD, done);
    handler(req, res);
  };
}

function listen(server: Http2SecureServer, address: { host: string; port: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => reject(listenError(err, address));
    server.once('error', onError);
    server.listen(address.port, address.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function listenError(err: NodeJS.ErrnoException, address: { host: string; port: number }): GrpcServerError {
  const at = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port} (grpc)`;
  if (err.code === 'EADDRINUSE') {
    return new GrpcServerError('ADDRESS_IN_USE', `${at} is already in use: another mcns, or change [api] grpc_addr`, { cause: err });
  }
  if (err.code === 'EACCES') {
    return new GrpcServerError('ADDRESS_DENIED', `${at} needs privileges to bind; use a port above 1023`, { cause: err });
  }
  return new GrpcServerError('LISTEN_FAILED', `${at} cannot be listened on: ${err.message}`, { cause: err });
}

/** GOAWAY to every client, wait for calls in flight up to `graceMs`, then abort handlers and destroy connections; resolves with how many were cut. */
async function closeServer(
  server: Http2SecureServer, sessions: Set<ServerHttp2Session>, shutdown: AbortController, graceMs: number,
): Promise<number> {
  if (!server.listening) {
    shutdown.abort();
    return 0;
  }
  let cut = 0;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const session of sessions) session.close();
  const timer = setTimeout(() => {
    cut = sessions.size;
    shutdown.abort();
    for (const session of sessions) session.destroy();
  }, graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
    shutdown.abort();
  }
  return cut;
}
