// The node class the snapshot builder makes. A snapshot of a million names holds a
// million nodes, so a node is also its own RRset table (ZoneNode.rrsets returns
// the node): one object per name instead of a node plus a Map, whose hash table
// costs several times more than the one or two RRsets most names own.
import type { Name } from '../wire/index.js';
import type { RRset, ZoneNode } from './types.js';

/** One owner in a snapshot and its RRsets in type order; mutated only while the builder runs. */
export class SnapshotNode implements ZoneNode, ReadonlyMap<number, RRset> {
  readonly name: Name;
  /** Bit set of NodeFlag. */
  flags: number;
  /** The RRset of the lowest type. */
  #first: RRset | undefined;
  /** The others, by type; undefined while the node owns one type or none. */
  #rest: RRset[] | undefined;

  constructor(name: Name, flags: number, first?: RRset) {
    this.name = name;
    this.flags = flags;
    this.#first = first;
    this.#rest = undefined;
  }

  /** ZoneNode.rrsets: the node itself. */
  get rrsets(): ReadonlyMap<number, RRset> {
    return this;
  }

  /** Builder only: adds the RRset of a type the node does not own yet, keeping type order. */
  insert(set: RRset): void {
    const first = this.#first;
    if (first === undefined) {
      this.#first = set;
      return;
    }
    const rest = this.#rest ?? (this.#rest = []);
    if (set.type < first.type) {
      this.#first = set;
      rest.unshift(first);
      return;
    }
    let i = rest.length;
    while (i > 0 && rest[i - 1]!.type > set.type) i--;
    if (i === rest.length) rest.push(set);
    else rest.splice(i, 0, set);
  }

  /** The RRset of `type`, or undefined. */
  get(type: number): RRset | undefined {
    const first = this.#first;
    if (first === undefined || first.type === type) return first;
    const rest = this.#rest;
    if (rest === undefined) return undefined;
    for (let i = 0; i < rest.length; i++) {
      const set = rest[i]!;
      if (set.type === type) return set;
    }
    return undefined;
  }

  /** True when the node owns an RRset of `type`. */
  has(type: number): boolean {
    return this.get(type) !== undefined;
  }

  /** How many types the node owns (0 for an empty non-terminal). */
  get size(): number {
    return this.#first === undefined ? 0 : 1 + (this.#rest?.length ?? 0);
  }

  /** The RRset with the lowest type number, or undefined for an empty node. */
  first(): RRset | undefined {
    return this.#first;
  }

  /** Calls `fn` for each RRset in type order. */
  forEach(fn: (value: RRset, key: number, map: ReadonlyMap<number, RRset>) => void, thisArg?: unknown): void {
    for (const set of this.#list()) fn.call(thisArg, set, set.type, this);
  }

  /** The RRsets in type order. */
  values(): MapIterator<RRset> {
    return new Map(this.#list().map((set) => [set.type, set] as const)).values();
  }

  /** The types in order. */
  keys(): MapIterator<number> {
    return new Map(this.#list().map((set) => [set.type, set] as const)).keys();
  }

  /** [type, RRset] pairs in type order. */
  entries(): MapIterator<[number, RRset]> {
    return new Map(this.#list().map((set) => [set.type, set] as const)).entries();
  }

  /** Same as entries(). */
  [Symbol.iterator](): MapIterator<[number, RRset]> {
    return this.entries();
  }

  #list(): RRset[] {
    const first = this.#first;
    if (first === undefined) return [];
    return this.#rest === undefined ? [first] : [first, ...this.#rest];
  }
}
