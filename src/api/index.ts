// Public face of the api layer: the REST adapter, and the TLS material it shares
// with the gRPC adapter (src/api/grpc), whose server is re-exported at the end.
// Routes and methods come from the operations table.
export {
  createRestServer, DEFAULT_BODY_LIMIT, DEFAULT_CLOSE_GRACE_MS, DEFAULT_ZONE_FILE_LIMIT, OPENAPI_PATH,
  type RestAuthenticate, type RestServer, type RestServerOptions, type RestService,
} from './rest/create-rest-server.js';
export { HTTP_STATUS, IDENTITY_PROVIDER_STATUS, restError, restErrorFor, type RestError } from './rest/rest-error.js';
export { RestServerError, type RestServerErrorCode } from './rest/rest-server-error.js';
export { ERROR_BODY, ROUTE_SCHEMAS, type RouteSchema } from './rest/route-schemas.js';
export { ensureSelfSignedTls, RENEW_WITHIN_DAYS, type EnsureSelfSignedTlsOptions, type SelfSignedTls } from './tls/ensure-self-signed-tls.js';
export { openApiTls, type ApiTls, type OpenApiTlsOptions } from './tls/open-api-tls.js';
export {
  createTlsMaterial, loadTlsPair,
  type CreateTlsMaterialOptions, type SecureContextTarget, type TlsMaterial, type TlsPair, type TlsReloadResult,
} from './tls/tls-material.js';
export { TlsError, type TlsErrorCode } from './tls/tls-error.js';
// The gRPC listener, for the composition root (src/api/grpc/index.ts has the client and the rest).
export { createGrpcServer, GrpcServerError, type GrpcServer, type GrpcServerOptions } from './grpc/index.js';
