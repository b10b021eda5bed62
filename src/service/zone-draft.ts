// A zone's content while the writer applies a batch: the snapshot served when the
// batch began plus the RRsets changed since, so each change is checked against
// the result of the ones before it without copying the zone or reading SQLite.
import type { Name } from '../wire/index.js';
import type { RecordData, RRset, RRsetPatch, ZoneNode, ZoneSnapshot } from '../zone/index.js';

/** One undo step: the overlay entry of (owner, type) before a change touched it. */
interface Undo {
  readonly owner: Name;
  readonly type: number;
  /** undefined: there was no overlay entry (the base showed through). */
  readonly before: RRset | null | undefined;
}

/**
 * A changed owner: its node in the base (looked up once, when the owner is first
 * changed) and its changed RRsets, types and sets side by side in the order
 * first changed (an owner changes one or two types; arrays beat a Map per owner).
 */
interface ChangedOwner {
  readonly node: ZoneNode | undefined;
  readonly types: number[];
  /** null marks a deleted RRset. */
  readonly sets: (RRset | null)[];
}

/** The current content of one zone inside a batch; changes can be rolled back one at a time. */
export class ZoneDraft {
  /** The apex, lowercased. */
  readonly origin: Name;
  /** The snapshot underneath; null for a zone that does not exist. */
  #base: ZoneSnapshot | null;
  /** The apex's node in the base (every change checks it for a DNAME above its names). */
  #apex: ZoneNode | undefined;
  /** Changed owners by lowercased name. */
  readonly #overlay = new Map<Name, ChangedOwner>();
  #undo: Undo[] | null = null;
  #recordCount: number;

  constructor(origin: Name, base: ZoneSnapshot | null) {
    this.origin = origin;
    this.#base = base;
    this.#apex = base?.nodes.get(origin);
    this.#recordCount = base?.recordCount ?? 0;
  }

  /** The snapshot the overlay sits on. */
  get base(): ZoneSnapshot | null {
    return this.#base;
  }

  /** Records in the zone now. */
  get recordCount(): number {
    return this.#recordCount;
  }

  /** The RRset of `owner` (lowercased) and `type`, or null. */
  get(owner: Name, type: number): RRset | null {
    const changed = this.#overlay.get(owner);
    if (changed !== undefined) {
      const i = changed.types.indexOf(type);
      if (i >= 0) return changed.sets[i]!;
      return changed.node?.rrsets.get(type) ?? null;
    }
    return this.#baseNode(owner)?.rrsets.get(type) ?? null;
  }

  /** Every RRset `owner` (lowercased) owns now. */
  rrsetsAt(owner: Name): RRset[] {
    const changed = this.#overlay.get(owner);
    const out: RRset[] = [];
    const node = changed !== undefined ? changed.node : this.#baseNode(owner);
    node?.rrsets.forEach((set) => {
      if (changed === undefined || !changed.types.includes(set.type)) out.push(set);
    });
    if (changed !== undefined) for (const set of changed.sets) if (set !== null) out.push(set);
    return out;
  }

  /** True when some name strictly below `owner` (lowercased) owns data. */
  hasDataBelow(owner: Name): boolean {
    const below = (lower: Name): boolean => lower.length > owner.length && lower.endsWith(owner) && isLabelBoundary(lower, owner);
    for (const [lower, changed] of this.#overlay) {
      if (below(lower)) for (const set of changed.sets) if (set !== null) return true;
    }
    if (this.#base === null) return false;
    for (const [lower] of this.#base.nodes) {
      if (below(lower) && this.rrsetsAt(lower).length > 0) return true;
    }
    return false;
  }

  /** Starts a change: later sets can be undone with rollback(). */
  begin(): void {
    this.#undo = [];
  }

  /** Keeps the sets made since begin(). */
  commit(): void {
    this.#undo = null;
  }

  /** Undoes the sets made since begin(). */
  rollback(): void {
    const undo = this.#undo;
    this.#undo = null;
    if (undo === null) return;
    for (let i = undo.length - 1; i >= 0; i--) {
      const { owner, type, before } = undo[i]!;
      const now = this.get(owner, type);
      const changed = this.#overlay.get(owner)!;
      const at = changed.types.indexOf(type);
      if (before === undefined) {
        changed.types.splice(at, 1);
        changed.sets.splice(at, 1);
      } else {
        changed.sets[at] = before;
      }
      if (changed.types.length === 0) this.#overlay.delete(owner);
      this.#recordCount += (this.get(owner, type)?.rdatas.length ?? 0) - (now?.rdatas.length ?? 0);
    }
  }

  /** Makes the RRset of `owner` (lowercased) and `type` be `rrset` (null deletes it); `previous` is what `get` gives now, when the caller has it. */
  set(owner: Name, type: number, rrset: RRset | null, previous: RRset | null = this.get(owner, type)): void {
    let changed = this.#overlay.get(owner);
    if (changed === undefined) this.#overlay.set(owner, (changed = { node: this.#baseNode(owner), types: [], sets: [] }));
    const at = changed.types.indexOf(type);
    this.#undo?.push({ owner, type, before: at < 0 ? undefined : changed.sets[at] });
    if (at < 0) {
      changed.types.push(type);
      changed.sets.push(rrset);
    } else {
      changed.sets[at] = rrset;
    }
    this.#recordCount += (rrset?.rdatas.length ?? 0) - (previous?.rdatas.length ?? 0);
  }

  /** Replaces the whole content with `snapshot` (import, creation), or with nothing; not undoable. */
  rebase(snapshot: ZoneSnapshot | null): void {
    this.#base = snapshot;
    this.#apex = snapshot?.nodes.get(this.origin);
    this.#overlay.clear();
    this.#recordCount = snapshot?.recordCount ?? 0;
    this.#undo = null;
  }

  /** Every RRset now, base first (in its index order), then the changed ones. */
  *rrsets(): Generator<RRset> {
    if (this.#base !== null) {
      for (const [lower, node] of this.#base.nodes) {
        const changed = this.#overlay.get(lower);
        for (const set of node.rrsets.values()) if (changed === undefined || !changed.types.includes(set.type)) yield set;
      }
    }
    for (const changed of this.#overlay.values()) for (const set of changed.sets) if (set !== null) yield set;
  }

  /** Every record now, for buildZoneSnapshot and export. */
  *records(): Generator<RecordData> {
    for (const set of this.rrsets()) {
      for (const rdata of set.rdatas) yield { name: set.name, type: set.type, ttl: set.ttl, rdata };
    }
  }

  /** The changed RRsets as patches of the base snapshot (for patchZoneSnapshot). */
  patches(): RRsetPatch[] {
    const out: RRsetPatch[] = [];
    for (const [owner, changed] of this.#overlay) {
      for (let i = 0; i < changed.types.length; i++) out.push({ owner, type: changed.types[i]!, rrset: changed.sets[i]! });
    }
    return out;
  }

  /** The base's node of `owner`, the apex's without a lookup. */
  #baseNode(owner: Name): ZoneNode | undefined {
    return owner === this.origin ? this.#apex : this.#base?.nodes.get(owner);
  }
}

/** True when `lower` ends in `suffix` at a label boundary (both lowercased wire names, lower longer). */
function isLabelBoundary(lower: Name, suffix: Name): boolean {
  const start = lower.length - suffix.length;
  let i = 0;
  while (i < start) i += lower.charCodeAt(i) + 1;
  return i === start;
}
