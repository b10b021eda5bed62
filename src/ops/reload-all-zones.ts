// After a restore the served snapshots describe a database that is gone: every
// zone is built again from SQLite (serials alone cannot tell old content from
// new: a zone restored to an older state may carry a serial it had before) and
// swapped in one by one; zones no longer in the database stop being served. Until
// its new snapshot is in, each zone keeps answering from its old one.
import type { Logger } from '../log/index.js';
import type { Store } from '../store/index.js';
import { nameToText } from '../wire/index.js';
import { buildZoneSnapshot, type ZoneTable } from '../zone/index.js';

/** What reloadAllZones did. */
export interface ReloadAllResult {
  readonly loaded: number;
  readonly removed: number;
  /** Zones that did not build (no longer served), with why. */
  readonly failed: readonly string[];
}

/** Builds every zone of `store` into `zones` and removes the zones the store no longer has. */
export function reloadAllZones(store: Store, zones: ZoneTable, log: Logger): ReloadAllResult {
  let loaded = 0;
  let removed = 0;
  const failed: string[] = [];
  const present = new Set<string>();
  for (const zone of store.listZoneHeaders()) {
    present.add(zone.origin);
    try {
      zones.set(buildZoneSnapshot(zone.origin, store.loadZoneRecords(zone.id), zone.serial));
      loaded++;
    } catch (err) {
      // Its old snapshot would answer with data the database no longer has.
      zones.delete(zone.origin);
      const why = err instanceof Error ? err.message : String(err);
      failed.push(`zone "${zone.name}": ${why}`);
      log.error({ zone: zone.name, err }, 'zone not loaded after restore; not served until it is fixed');
    }
  }
  for (const snapshot of zones.list()) {
    if (present.has(snapshot.origin)) continue;
    zones.delete(snapshot.origin);
    removed++;
    log.info({ zone: nameToText(snapshot.origin) }, 'zone not in the restored database: removed');
  }
  return { loaded, removed, failed };
}
