// Builds the immutable in-memory index of one zone (ADR 0001 decision 4) from a
// list of records: ZoneSnapshotBuilder over an iterable. The start of `serve`
// streams rows straight into a ZoneSnapshotBuilder instead (no object per record).
import type { Name } from '../wire/index.js';
import { ZoneSnapshotBuilder } from './zone-snapshot-builder.js';
import type { RecordData, ZoneSnapshot } from './types.js';

/**
 * Builds a ZoneSnapshot of `origin` from `records` (class IN). Records outside the
 * origin are skipped and exact duplicates dropped (validateZone reports both).
 * RFC 2181 5.2: "the TTLs of all RRs in an RRSet must be the same"; when they
 * differ the set takes the lowest (validateZone reports TTL_MISMATCH). `serial`
 * defaults to the SOA's. Throws ZoneError NO_SOA when the apex has no SOA.
 */
export function buildZoneSnapshot(origin: Name, records: Iterable<RecordData>, serial?: number): ZoneSnapshot {
  const builder = new ZoneSnapshotBuilder(origin, Array.isArray(records) ? records.length : 0);
  for (const record of records) builder.addRecord(record);
  return builder.finish(serial);
}
