// The node index of a patched snapshot: a shared, never-changed NodeIndex plus the
// nodes changed since it was made. Copying the whole index for every change cost
// about 0.6 ms for 10,000 names here (a 64K-slot array copy); a patch makes a new
// overlay instead, copying only the changed nodes, and folds them into a fresh
// NodeIndex once they outnumber about the square root of the zone's size, so a
// change costs O(sqrt(n)) amortized and an unchanged zone keeps the plain index.
import type { Name } from '../wire/index.js';

/** A read-only Map from lowercased names to nodes: `base` (a NodeIndex or PackedNodeIndex) with `delta` over it (null in delta: removed). */
export class OverlayNodeIndex<V> implements ReadonlyMap<Name, V> {
  readonly #base: ReadonlyMap<Name, V>;
  readonly #delta: ReadonlyMap<Name, V | null>;
  readonly #size: number;

  /** `size` is the number of names in the combined view (the patcher counts it). */
  constructor(base: ReadonlyMap<Name, V>, delta: ReadonlyMap<Name, V | null>, size: number) {
    this.#base = base;
    this.#delta = delta;
    this.#size = size;
  }

  /** The shared index underneath. */
  get base(): ReadonlyMap<Name, V> {
    return this.#base;
  }

  /** The changed names: a node, or null for a name removed from the base. */
  get delta(): ReadonlyMap<Name, V | null> {
    return this.#delta;
  }

  /** How many names are held. */
  get size(): number {
    return this.#size;
  }

  /** The value of `key` (a lowercased name), or undefined. */
  get(key: Name): V | undefined {
    const changed = this.#delta.get(key);
    if (changed !== undefined) return changed === null ? undefined : changed;
    return this.#base.get(key);
  }

  /** True when `key` is held. */
  has(key: Name): boolean {
    return this.get(key) !== undefined;
  }

  /** Calls `fn` for every entry: the base's in slot order, then the added ones. */
  forEach(fn: (value: V, key: Name, map: ReadonlyMap<Name, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) fn.call(thisArg, value, key, this);
  }

  /** The names. */
  *keys(): MapIterator<Name> {
    for (const [key] of this.entries()) yield key;
    return undefined;
  }

  /** The values. */
  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
    return undefined;
  }

  /** [name, value] pairs. */
  *entries(): MapIterator<[Name, V]> {
    const delta = this.#delta;
    for (const [key, value] of this.#base.entries()) {
      const changed = delta.get(key);
      if (changed === undefined) yield [key, value];
      else if (changed !== null) yield [key, changed];
    }
    for (const [key, value] of delta) {
      if (value !== null && !this.#base.has(key)) yield [key, value];
    }
    return undefined;
  }

  /** Same as entries(). */
  [Symbol.iterator](): MapIterator<[Name, V]> {
    return this.entries();
  }
}
