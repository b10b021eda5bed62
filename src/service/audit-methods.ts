// The audit log as the management plane shows it: newest first, by zone.
import type { OperationIO } from './operations.js';
import { decodePageToken, encodePageToken, parsePageSize } from './page-token.js';
import { parseZoneName } from './parse-zone-name.js';
import type { ServiceContext } from './service-context.js';
import { ServiceError, type AuditEntry } from './types.js';

/** listAudit: entries newest first, optionally of one zone (kept after the zone is deleted). */
export async function listAudit(ctx: ServiceContext, input: OperationIO['listAudit']['input']): Promise<OperationIO['listAudit']['output']> {
  const pageSize = parsePageSize(input.pageSize);
  const after = decodePageToken('listAudit', input.pageToken);
  if (after !== null && (typeof after !== 'number' || !Number.isInteger(after))) {
    throw new ServiceError('INVALID_ARGUMENT', 'page token was not made by listAudit', 'pageToken');
  }
  const zone = input.zone === undefined ? undefined : parseZoneName(input.zone, 'zone').text;
  const rows = ctx.store.auditEntries({
    ...(zone === undefined ? {} : { zone }), ...(after === null ? {} : { beforeId: after as number }), limit: pageSize + 1,
  });
  const items: AuditEntry[] = rows.slice(0, pageSize).map((r) => ({
    id: r.id, time: r.time, principal: r.principal, operation: r.operation, zone: r.zone,
    serialBefore: r.serialBefore, serialAfter: r.serialAfter, summary: r.summary,
  }));
  return { items, nextPageToken: rows.length > pageSize ? encodePageToken('listAudit', items[items.length - 1]!.id) : '' };
}
