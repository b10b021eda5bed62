// Positive introspection answers, remembered briefly (ADR 0002, decision 6) so that a
// busy client does not cost one identity-provider round trip per call. Keys are
// SHA-256 of the token, so the cache never holds a usable credential.
import type { Principal } from './principal.js';

interface Entry {
  readonly principal: Principal;
  readonly expiresAtMs: number;
}

/** A bounded map from token hash to Principal with a per-entry deadline; no timers (expired entries go on read or when full). */
export class IntrospectionCache {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;

  /** At most `maxEntries` answers; the oldest goes first when full. */
  constructor(maxEntries = 10_000) {
    this.#maxEntries = Math.max(1, maxEntries);
  }

  /** The principal remembered for `key`, or null when absent or past its deadline. */
  get(key: string, nowMs: number): Principal | null {
    const entry = this.#entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAtMs <= nowMs) {
      this.#entries.delete(key);
      return null;
    }
    return entry.principal;
  }

  /** Remembers `principal` until `expiresAtMs`. */
  set(key: string, principal: Principal, expiresAtMs: number): void {
    this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { principal, expiresAtMs });
  }

  /** How many answers are remembered (expired ones included until read). */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
  }
}
