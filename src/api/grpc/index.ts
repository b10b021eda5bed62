// Public face of the gRPC adapter: the server main.ts starts on [api] grpc_addr,
// the client the tests and the CLI use, and the one error table.
export {
  createGrpcServer, DEFAULT_GRPC_CLOSE_GRACE_MS, DEFAULT_GRPC_MAX_MESSAGE_BYTES,
  type GrpcServer, type GrpcServerOptions, type GrpcTls,
} from './create-grpc-server.js';
export { GrpcServerError, type GrpcServerErrorCode } from './grpc-server-error.js';
export {
  GRPC_CODE_NAMES, grpcCodeFromHttpStatus, UNMATCHED_METHOD, type GrpcCodeName, type GrpcRequestDone,
} from './observe-grpc-call.js';
export type { Authenticate, InvokeService } from './grpc-deps.js';
export { createGrpcClient, type GrpcClient, type GrpcClientOptions } from './create-grpc-client.js';
export { grpcErrorDetail } from './grpc-error-detail.js';
export { FIELD_TRAILER, GRPC_CODE, INTERNAL_MESSAGE } from './to-connect-error.js';
export { PROTO_FILES, PROTO_PACKAGE, protoServices } from './grpc-registry.js';
export { methodFor } from './create-grpc-routes.js';
export { ErrorDetailSchema } from './gen/mcns/v1/change_pb.js';
export { AdminService } from './gen/mcns/v1/admin_pb.js';
export { ZoneService } from './gen/mcns/v1/zone_pb.js';
export { RecordService } from './gen/mcns/v1/record_pb.js';
export { TokenService } from './gen/mcns/v1/token_pb.js';
export { AuditService } from './gen/mcns/v1/audit_pb.js';
