// The name -> node index of a snapshot: an open-addressing hash table with the
// 32-bit hashes in a typed array beside interleaved key/value slots. A lookup
// compares dense hashes first and touches one candidate key, where a V8 Map of a
// million names walks bucket chains through cold keys: measured here, a lookup
// in a 1,000,000-name Map cost about four times one in a 10,000-name Map, and
// about twice with this table.
import type { Name } from '../wire/index.js';

/** FNV-1a offset basis and prime (32-bit). */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** A read-mostly Map from lowercased names to values, filled by the snapshot builder (and by patchZoneSnapshot on a clone). */
export class NodeIndex<V> implements ReadonlyMap<Name, V> {
  /** Hash of each slot's key with bit 0 set; 0 marks an empty slot. */
  #hashes: Int32Array;
  /** Key of slot i at 2i, its value at 2i + 1. */
  #slots: (Name | V | undefined)[];
  #mask: number;
  #size = 0;

  constructor(capacity = 16) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.#hashes = new Int32Array(cap);
    this.#slots = new Array<Name | V | undefined>(cap * 2).fill(undefined);
    this.#mask = cap - 1;
  }

  /** How many names are held. */
  get size(): number {
    return this.#size;
  }

  /** The value of `key` (a lowercased name), or undefined. */
  get(key: Name): V | undefined {
    const h = hashName(key);
    const hashes = this.#hashes;
    const slots = this.#slots;
    const mask = this.#mask;
    let i = h & mask;
    for (;;) {
      const stored = hashes[i]!;
      if (stored === 0) return undefined;
      if (stored === h && slots[2 * i] === key) return slots[2 * i + 1] as V;
      i = (i + 1) & mask;
    }
  }

  /** True when `key` is held. */
  has(key: Name): boolean {
    return this.get(key) !== undefined;
  }

  /** Adds `key` or replaces its value. Values must not be undefined. */
  set(key: Name, value: V): this {
    if ((this.#size + 1) * 2 > this.#hashes.length) this.#grow();
    this.#put(hashName(key), key, value);
    return this;
  }

  /**
   * Removes `key`; false when it was not held. Backward-shift deletion keeps every
   * probe chain unbroken without tombstones: each later entry of the run moves
   * into the hole unless its home slot lies cyclically after the hole.
   */
  delete(key: Name): boolean {
    const hashes = this.#hashes;
    const slots = this.#slots;
    const mask = this.#mask;
    const h = hashName(key);
    let hole = h & mask;
    for (;;) {
      const stored = hashes[hole]!;
      if (stored === 0) return false;
      if (stored === h && slots[2 * hole] === key) break;
      hole = (hole + 1) & mask;
    }
    this.#size--;
    let j = hole;
    for (;;) {
      j = (j + 1) & mask;
      const stored = hashes[j]!;
      if (stored === 0) break;
      const home = stored & mask;
      const stays = j > hole ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      hashes[hole] = stored;
      slots[2 * hole] = slots[2 * j];
      slots[2 * hole + 1] = slots[2 * j + 1];
      hole = j;
    }
    hashes[hole] = 0;
    slots[2 * hole] = undefined;
    slots[2 * hole + 1] = undefined;
    return true;
  }

  /** A copy that can be changed without touching this one (two array copies, no rehashing). */
  clone(): NodeIndex<V> {
    const copy = new NodeIndex<V>(0);
    copy.#hashes = this.#hashes.slice();
    copy.#slots = this.#slots.slice();
    copy.#mask = this.#mask;
    copy.#size = this.#size;
    return copy;
  }

  /** Calls `fn` for every entry, in slot order. */
  forEach(fn: (value: V, key: Name, map: ReadonlyMap<Name, V>) => void, thisArg?: unknown): void {
    const hashes = this.#hashes;
    const slots = this.#slots;
    for (let i = 0; i < hashes.length; i++) {
      if (hashes[i] !== 0) fn.call(thisArg, slots[2 * i + 1] as V, slots[2 * i] as Name, this);
    }
  }

  /** The names, in slot order. */
  keys(): MapIterator<Name> {
    return this.#walk(0) as MapIterator<Name>;
  }

  /** The values, in slot order. */
  values(): MapIterator<V> {
    return this.#walk(1) as MapIterator<V>;
  }

  /** [name, value] pairs, in slot order. */
  entries(): MapIterator<[Name, V]> {
    return this.#walk(2) as MapIterator<[Name, V]>;
  }

  /** Same as entries(). */
  [Symbol.iterator](): MapIterator<[Name, V]> {
    return this.entries();
  }

  /** 0: keys, 1: values, 2: pairs. Reads the table as it was when the walk started. */
  *#walk(what: 0 | 1 | 2): Generator<Name | V | [Name, V], undefined, unknown> {
    const hashes = this.#hashes;
    const slots = this.#slots;
    for (let i = 0; i < hashes.length; i++) {
      if (hashes[i] === 0) continue;
      const key = slots[2 * i] as Name;
      const value = slots[2 * i + 1] as V;
      yield what === 0 ? key : what === 1 ? value : [key, value];
    }
    return undefined;
  }

  #put(h: number, key: Name, value: V): void {
    const hashes = this.#hashes;
    const slots = this.#slots;
    const mask = this.#mask;
    let i = h & mask;
    for (;;) {
      const stored = hashes[i]!;
      if (stored === 0) {
        hashes[i] = h;
        slots[2 * i] = key;
        slots[2 * i + 1] = value;
        this.#size++;
        return;
      }
      if (stored === h && slots[2 * i] === key) {
        slots[2 * i + 1] = value;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  #grow(): void {
    const oldHashes = this.#hashes;
    const oldSlots = this.#slots;
    const cap = oldHashes.length * 2;
    this.#hashes = new Int32Array(cap);
    this.#slots = new Array<Name | V | undefined>(cap * 2).fill(undefined);
    this.#mask = cap - 1;
    this.#size = 0;
    for (let i = 0; i < oldHashes.length; i++) {
      const h = oldHashes[i]!;
      if (h !== 0) this.#put(h, oldSlots[2 * i] as Name, oldSlots[2 * i + 1] as V);
    }
  }
}

/** FNV-1a of the name's bytes, bit 0 forced on so no hash is 0 (the empty mark). */
export function hashName(name: string): number {
  let h = FNV_OFFSET | 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), FNV_PRIME);
  return h | 1;
}
