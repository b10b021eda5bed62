// The newest journal entry of every zone: where replay picks up the change log
// (the entry that made the zone's current state, recognised by serial and time).
import type { Store } from './store.js';

/** A zone's newest journal entry. */
export interface LastJournalEntry {
  readonly serialAfter: number;
  /** ISO 8601 UTC, as written by the change. */
  readonly time: string;
}

/** By zone name (lowercase presentation form): the newest journal entry, for zones that have one. */
export function lastJournalEntries(store: Store): Map<string, LastJournalEntry> {
  const rows = store.connection.prepare(`SELECT z.name, j.serial_after, j.time FROM zones z
    JOIN journal j ON j.id = (SELECT max(id) FROM journal WHERE zone_id = z.id)`).all() as { name: string; serial_after: number; time: string }[];
  return new Map(rows.map((r) => [r.name, { serialAfter: r.serial_after, time: r.time }]));
}
