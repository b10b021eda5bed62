// The generated descriptors of the mcns.v1 package, in one list, so the
// router can find a method by the names the operations table gives.
import type { DescFile, DescMethodUnary, DescService } from '@bufbuild/protobuf';
import { file_mcns_v1_admin } from './gen/mcns/v1/admin_pb.js';
import { file_mcns_v1_audit } from './gen/mcns/v1/audit_pb.js';
import { file_mcns_v1_change } from './gen/mcns/v1/change_pb.js';
import { file_mcns_v1_record } from './gen/mcns/v1/record_pb.js';
import { file_mcns_v1_token } from './gen/mcns/v1/token_pb.js';
import { file_mcns_v1_zone } from './gen/mcns/v1/zone_pb.js';

/** The proto package every mcns service lives in. */
export const PROTO_PACKAGE = 'mcns.v1';

/** Every file of proto/mcns/v1, as generated. */
export const PROTO_FILES: readonly DescFile[] = [
  file_mcns_v1_admin, file_mcns_v1_audit, file_mcns_v1_change, file_mcns_v1_record, file_mcns_v1_token, file_mcns_v1_zone,
];

/** Every service of the package. */
export function protoServices(): DescService[] {
  return PROTO_FILES.flatMap((file) => file.services);
}

/** The unary method `service`.`method` ("ZoneService", "ListZones"); throws if the proto has no such method. */
export function findProtoMethod(service: string, method: string): DescMethodUnary {
  const desc = protoServices().find((s) => s.typeName === `${PROTO_PACKAGE}.${service}`);
  const found = desc?.methods.find((m) => m.name === method);
  if (found?.methodKind !== 'unary') {
    throw new Error(`proto/mcns/v1 has no unary method ${PROTO_PACKAGE}.${service}/${method}`);
  }
  return found as DescMethodUnary;
}
