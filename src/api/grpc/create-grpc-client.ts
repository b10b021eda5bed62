// A gRPC client for mcns: one HTTP/2 TLS connection (trusting the given CA) and a
// typed client per service, the token sent as `authorization: Bearer ...` on every
// call. Used by the tests and by the CLI.
import { createClient, type Client, type Interceptor } from '@connectrpc/connect';
import { createGrpcTransport, Http2SessionManager } from '@connectrpc/connect-node';
import { AdminService } from './gen/mcns/v1/admin_pb.js';
import { AuditService } from './gen/mcns/v1/audit_pb.js';
import { RecordService } from './gen/mcns/v1/record_pb.js';
import { TokenService } from './gen/mcns/v1/token_pb.js';
import { ZoneService } from './gen/mcns/v1/zone_pb.js';

/** Where the server is and how to trust and address it. */
export interface GrpcClientOptions {
  /** "https://127.0.0.1:9443". */
  readonly baseUrl: string;
  /** PEM of the CA that signed the server's certificate; the system's CAs when absent. */
  readonly caCert?: string | Buffer;
  /** The bearer token ("mcns_<id>_<secret>"); no authorization metadata when absent. */
  readonly token?: string;
  /** Deadline of each call, sent as grpc-timeout. */
  readonly timeoutMs?: number;
}

/** A typed client for every mcns service over one connection. */
export interface GrpcClient {
  readonly admin: Client<typeof AdminService>;
  readonly zones: Client<typeof ZoneService>;
  readonly records: Client<typeof RecordService>;
  readonly tokens: Client<typeof TokenService>;
  readonly audit: Client<typeof AuditService>;
  /** Closes the connection (calls in flight fail). */
  close(): void;
}

/** Connects lazily (on the first call) to an mcns gRPC listener. */
export function createGrpcClient(options: GrpcClientOptions): GrpcClient {
  const nodeOptions = options.caCert === undefined ? {} : { ca: options.caCert };
  const sessionManager = new Http2SessionManager(options.baseUrl, {}, nodeOptions);
  const interceptors: Interceptor[] = [];
  const token = options.token;
  if (token !== undefined) {
    interceptors.push((next) => (request) => {
      request.header.set('authorization', `Bearer ${token}`);
      return next(request);
    });
  }
  const transport = createGrpcTransport({
    baseUrl: options.baseUrl, sessionManager, interceptors,
    ...(options.timeoutMs === undefined ? {} : { defaultTimeoutMs: options.timeoutMs }),
  });
  return {
    admin: createClient(AdminService, transport),
    zones: createClient(ZoneService, transport),
    records: createClient(RecordService, transport),
    tokens: createClient(TokenService, transport),
    audit: createClient(AuditService, transport),
    close: () => sessionManager.abort(),
  };
}
