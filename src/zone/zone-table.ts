// The zones this server answers for, each as its current snapshot. Readers take
// one snapshot reference per query; writers swap a whole snapshot in one step.
import { nameLower, type Name } from '../wire/index.js';
import type { ZoneSnapshot } from './types.js';

/** The current snapshot of every zone, found by longest suffix; `generation` counts changes. */
export class ZoneTable {
  readonly #zones = new Map<Name, ZoneSnapshot>();
  #generation = 0;

  /** Bumped on every set and delete, so caches keyed on it drop stale answers. */
  get generation(): number {
    return this.#generation;
  }

  /** How many zones are held. */
  get size(): number {
    return this.#zones.size;
  }

  /** Adds the zone or replaces its snapshot; one Map write, so readers see old or new whole. */
  set(snapshot: ZoneSnapshot): void {
    this.#zones.set(snapshot.origin, snapshot);
    this.#generation++;
  }

  /** Removes the zone; false when it was not held. */
  delete(origin: Name): boolean {
    const removed = this.#zones.delete(nameLower(origin));
    if (removed) this.#generation++;
    return removed;
  }

  /** The snapshot of exactly this origin, or null. */
  get(origin: Name): ZoneSnapshot | null {
    return this.#zones.get(nameLower(origin)) ?? null;
  }

  /** Every snapshot, in the order the zones were first added. */
  list(): ZoneSnapshot[] {
    return [...this.#zones.values()];
  }

  /**
   * The zone with the longest origin that is `qnameLower` or a suffix of it, or
   * null: one Map lookup per label, from the full name up to the root. The label
   * walk is nameSuffixOffsets' done in place, so a query allocates no array.
   */
  find(qnameLower: Name): ZoneSnapshot | null {
    const zones = this.#zones;
    if (zones.size === 0) return null;
    let offset = 0;
    for (;;) {
      const zone = zones.get((offset === 0 ? qnameLower : qnameLower.slice(offset)) as Name);
      if (zone !== undefined) return zone;
      const length = qnameLower.charCodeAt(offset);
      if (!(length > 0)) return null; // the root label (or past the end)
      offset += length + 1;
    }
  }
}
