// The gRPC handlers, made from the operations table: each row's grpc.service and
// grpc.method name the proto method, its codec converts, and every handler does
// the same four steps: authenticate (public methods skip it), read the request,
// invoke the service, write the response. Errors go through the one table in
// to-connect-error.ts.
import type { ConnectRouter, HandlerContext } from '@connectrpc/connect';
import type { DescMethodUnary } from '@bufbuild/protobuf';
import { OPERATIONS, type OperationName, type OperationSpec } from '../../service/index.js';
import type { Logger } from '../../log/index.js';
import { findProtoMethod } from './grpc-registry.js';
import { OPERATION_CODECS } from './operation-codecs.js';
import { internalError, toConnectError } from './to-connect-error.js';
import type { Authenticate, InvokeService } from './grpc-deps.js';

/** What the handlers need. */
export interface GrpcRoutesDeps {
  readonly service: InvokeService;
  readonly authenticate: Authenticate;
  readonly log: Logger;
}

/** The proto method that serves one row of the table, checked against the row's codec. */
export function methodFor(spec: OperationSpec): DescMethodUnary {
  const method = findProtoMethod(spec.grpc.service, spec.grpc.method);
  const codec = OPERATION_CODECS[spec.name];
  if (method.input.typeName !== codec.request.typeName || method.output.typeName !== codec.response.typeName) {
    throw new Error(`operation ${spec.name}: ${spec.grpc.service}/${spec.grpc.method} takes ${method.input.typeName} `
      + `and returns ${method.output.typeName}, its codec converts ${codec.request.typeName} and ${codec.response.typeName}`);
  }
  return method;
}

/** Registers one handler per row of the operations table on a Connect router. */
export function createGrpcRoutes(deps: GrpcRoutesDeps): (router: ConnectRouter) => void {
  return (router) => {
    for (const spec of OPERATIONS) router.rpc(methodFor(spec), handlerFor(spec.name, spec.permission === 'public', deps));
  };
}

function handlerFor<N extends OperationName>(name: N, isPublic: boolean, deps: GrpcRoutesDeps) {
  const codec = OPERATION_CODECS[name];
  return async (request: unknown, context: HandlerContext) => {
    try {
      const principal = isPublic ? null : await deps.authenticate(context.requestHeader.get('authorization'), context.signal);
      const output = await deps.service.invoke(name, principal, codec.input(request));
      return codec.output(output);
    } catch (err) {
      const mapped = toConnectError(err);
      if (mapped !== null) throw mapped;
      deps.log.error({ err, operation: name }, 'grpc: operation failed with an error that has no stable code');
      throw internalError(err);
    }
  };
}
