// Reads of zone content come from the snapshot being served (the same data DNS
// answers from), never from SQL on the hot path of an API read.
import type { ZoneSnapshot } from '../zone/index.js';
import { buildZoneSnapshot } from '../zone/index.js';
import type { ZoneName } from './parse-zone-name.js';
import type { ServiceContext } from './service-context.js';
import { ServiceError } from './types.js';

/**
 * The served snapshot of `zone`; for a zone in the database that the server does
 * not serve yet (written by another process before a reload), one read from
 * SQLite. NOT_FOUND when the zone does not exist.
 */
export function readSnapshot(ctx: ServiceContext, zone: ZoneName): ZoneSnapshot {
  const served = ctx.zones.get(zone.origin);
  if (served !== null) return served;
  const header = ctx.store.zoneHeader(zone.text);
  if (header === null) throw new ServiceError('NOT_FOUND', `zone "${zone.text}" not found`, 'zone');
  return buildZoneSnapshot(zone.origin, ctx.store.loadZoneRecords(header.id), header.serial);
}
