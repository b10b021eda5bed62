// For the service's unit tests: a management service over a fresh SQLite file in
// a temporary directory, a fixed clock, an in-memory token store and principals of
// every kind. Not exported from index.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../store/index.js';
import { nameIsAtOrBelow, nameLower, type Name } from '../wire/index.js';
import { ZoneTable } from '../zone/index.js';
import { createManagementService, type ManagementService, type ManagementServiceDeps } from './create-management-service.js';
import type { OperationIO } from './operations.js';
import type { CacheEntryReport, ForwarderCache, TokenAdmin } from './service-context.js';
import { ServiceError, type CreatedToken, type Principal, type TokenView } from './types.js';

/** The fixed time of test services: dateSerial is 2026112200, a new zone's serial 2026112201. */
export const TEST_NOW = new Date('2026-11-22T12:00:00.000Z');

/** Principals of every kind the authorization rules tell apart. */
export const PRINCIPALS = {
  admin: { id: 't-admin', name: 'root', role: 'admin', zones: null, via: 'token' },
  viewer: { id: 't-viewer', name: 'dash', role: 'viewer', zones: null, via: 'token' },
  editorOther: { id: 't-other', name: 'ci', role: 'editor', zones: ['other.org.'], via: 'token' },
  editorZone: { id: 't-zone', name: 'deploy', role: 'editor', zones: ['example.com.'], via: 'token' },
  editorAll: { id: 'u-alice', name: 'alice@example.com', role: 'editor', zones: null, via: 'introspection' },
} as const satisfies Record<string, Principal>;

/** A running test service and what it is made of. */
export interface TestService {
  readonly service: ManagementService;
  readonly store: Store;
  readonly zones: ZoneTable;
  readonly path: string;
  /** Zones whose snapshot changed, in order (onZoneChanged). */
  readonly changed: string[];
  /** Closes the service and the store and removes the directory. */
  close(): Promise<void>;
}

/** A TokenAdmin kept in memory, ids t1, t2, ... */
export function memoryTokenAdmin(): TokenAdmin {
  const tokens = new Map<string, TokenView>();
  return {
    create(input: OperationIO['createToken']['input'], now: Date): CreatedToken {
      const id = `t${tokens.size + 1}`;
      const token: TokenView = {
        id, name: input.name, role: input.role, zones: input.zones ?? null, createdAt: now.toISOString(),
        expiresAt: input.ttlSeconds === undefined ? null : new Date(now.getTime() + input.ttlSeconds * 1000).toISOString(),
        revokedAt: null, lastUsedAt: null,
      };
      tokens.set(id, token);
      return { token, secret: `mcns_${id}_secret` };
    },
    list: () => [...tokens.values()],
    revoke(id: string, now: Date): void {
      const token = tokens.get(id);
      if (token === undefined) throw new ServiceError('NOT_FOUND', `token "${id}" not found`, 'id');
      tokens.set(id, { ...token, revokedAt: now.toISOString() });
    },
  };
}

/** A ForwarderCache kept in memory: `put` adds what the forwarder would have cached. */
export interface MemoryForwarderCache extends ForwarderCache {
  put(name: Name, entry: CacheEntryReport): void;
}

/** A ForwarderCache over a Map of lowercased names, flushed as the forwarder's is. */
export function memoryForwarderCache(): MemoryForwarderCache {
  const byName = new Map<Name, CacheEntryReport[]>();
  return {
    put(name, entry) {
      const key = nameLower(name);
      byName.set(key, [...(byName.get(key) ?? []), entry]);
    },
    flush(name, subtree) {
      let n = 0;
      for (const [key, list] of byName) {
        if (name === undefined || (subtree ? nameIsAtOrBelow(key, nameLower(name)) : key === nameLower(name))) {
          n += list.length;
          byName.delete(key);
        }
      }
      return n;
    },
    show: (name) => byName.get(nameLower(name)) ?? [],
  };
}

/** Opens a test service; `extra` overrides dependencies. */
export function openTestService(extra: Partial<ManagementServiceDeps> = {}): TestService {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-service-'));
  const path = join(dir, 'mcns.db');
  const store = openStore(path, { now: () => TEST_NOW });
  const zones = new ZoneTable();
  const changed: string[] = [];
  const service = createManagementService({
    store, zones, now: () => TEST_NOW, readiness: () => ({ ready: true, reason: 'zones loaded' }), tokens: memoryTokenAdmin(),
    cache: memoryForwarderCache(), snapshots: { snapshot: async () => ({ path: join(dir, 'backups', 'mcns-20261122-120000.db'), bytes: 4096, problems: [], pruned: [] }) },
    onZoneChanged: (origin) => changed.push(JSON.stringify(origin)), ...extra,
  });
  return {
    service, store, zones, path, changed,
    async close() {
      await service.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `fn` with a fresh test service, closed afterwards. */
export async function withTestService<T>(fn: (t: TestService) => Promise<T>, extra: Partial<ManagementServiceDeps> = {}): Promise<T> {
  const t = openTestService(extra);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}
