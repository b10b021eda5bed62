// Built-in API tokens (ADR 0002, decision 6) in the api_tokens table of migration 3.
// A token given to a user is `mcns_<id>_<secret>`: <id> is 16 hex digits that find
// the row, <secret> is 32 random bytes in base64url. Only SHA-256 of the secret is
// stored; tokens are 256-bit random, so a slow password hash would add nothing.
// Lives in store/ (not auth/) because the CLI creates the first admin token straight
// in the database, and the CLI may reach store but not auth (test/architecture.test.ts).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { nameFromText, nameLower, nameToText } from '../wire/index.js';
import { StoreError } from './store-error.js';
import type { Store } from './store.js';

/** What a token may do (the service's Role; the api_tokens CHECK constraint lists the same three). */
export type TokenRole = 'admin' | 'editor' | 'viewer';

/** A token as listed: never its secret (structurally the service's TokenView). */
export interface TokenInfo {
  readonly id: string;
  readonly name: string;
  readonly role: TokenRole;
  /** Zones (lowercase, trailing dot) the token is limited to; null = every zone. */
  readonly zones: readonly string[] | null;
  /** ISO 8601 UTC. */
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  /** Updated at most once a minute (LAST_USED_RESOLUTION_MS). */
  readonly lastUsedAt: string | null;
}

/** A token just created: the only time its secret exists outside the user's hands (the service's CreatedToken). */
export interface NewToken {
  readonly token: TokenInfo;
  /** `mcns_<id>_<secret>`, what the user sends as `Authorization: Bearer ...`. */
  readonly secret: string;
}

/** What TokenStore.create needs (the service's createToken input). */
export interface NewTokenInput {
  readonly name: string;
  readonly role: TokenRole;
  /** Zone names, with or without the trailing dot; null or absent = every zone. */
  readonly zones?: readonly string[] | null | undefined;
  /** Lifetime in seconds; absent = until revoked. */
  readonly ttlSeconds?: number | undefined;
}

/** Why a presented token was refused. */
export type TokenRefusal = 'malformed' | 'unknown' | 'revoked' | 'expired';

/** The outcome of TokenStore.verify: a value, never an exception (STYLE.md rule 3). */
export type TokenCheck =
  | { readonly ok: true; readonly token: TokenInfo }
  | { readonly ok: false; readonly reason: TokenRefusal };

/** The prefix every built-in token starts with; anything else is not ours. */
export const TOKEN_PREFIX = 'mcns_';

/** last_used_at is written at most this often per token, so verifying costs a read, not a write. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const TOKEN_PATTERN = /^mcns_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const NAME_MAX = 200;
const TTL_MAX_SECONDS = 100 * 366 * 86_400;

type TokenRow = {
  id: string; name: string; secret_hash: Buffer; role: TokenRole; zones: string | null;
  created_at: string; expires_at: string | null; revoked_at: string | null; last_used_at: string | null;
};

/** The api_tokens table: create, list, revoke and verify built-in tokens. Safe to use from another process while `serve` runs (WAL). */
export class TokenStore {
  readonly #insert: Statement;
  readonly #all: Statement;
  readonly #byId: Statement;
  readonly #revoke: Statement;
  readonly #touch: Statement;
  readonly #db: Database;

  /** Uses the connection of an open store. */
  constructor(store: Store) {
    const db: Database = store.connection;
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO api_tokens (id, name, secret_hash, role, zones, created_at, expires_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    this.#all = db.prepare('SELECT * FROM api_tokens ORDER BY created_at, id');
    this.#byId = db.prepare('SELECT * FROM api_tokens WHERE id = ?');
    this.#revoke = db.prepare('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?');
    this.#touch = db.prepare(
      'UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at <= ?)');
  }

  /** Makes a token; its secret is returned once and stored only as a hash. Throws INVALID for bad input. */
  create(input: NewTokenInput, now: Date): NewToken {
    const name = checkName(input.name);
    const role = checkRole(input.role);
    const zones = input.zones === undefined || input.zones === null ? null : input.zones.map(normalizeZone);
    if (zones !== null && zones.length === 0) {
      throw new StoreError('INVALID', 'token zones must name at least one zone; omit them for every zone');
    }
    const createdAt = now.toISOString();
    const expiresAt = input.ttlSeconds === undefined ? null : new Date(now.getTime() + checkTtl(input.ttlSeconds) * 1000).toISOString();
    const secretPart = randomBytes(32).toString('base64url');
    // 64 random bits of id: a collision is improbable, but the primary key would refuse one; try again.
    for (let attempt = 0; ; attempt++) {
      const id = randomBytes(8).toString('hex');
      try {
        this.#insert.run(id, name, hashSecret(secretPart), role, zones === null ? null : JSON.stringify(zones), createdAt, expiresAt);
      } catch (err) {
        if (attempt < 3 && (err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') continue;
        throw err;
      }
      const token: TokenInfo = { id, name, role, zones, createdAt, expiresAt, revokedAt: null, lastUsedAt: null };
      return { token, secret: `${TOKEN_PREFIX}${id}_${secretPart}` };
    }
  }

  /** Every token, oldest first, revoked and expired ones included; never a secret. */
  list(): TokenInfo[] {
    return (this.#all.all() as TokenRow[]).map(tokenInfo);
  }

  /** One token by id, or null. */
  get(id: string): TokenInfo | null {
    const row = this.#byId.get(id) as TokenRow | undefined;
    return row === undefined ? null : tokenInfo(row);
  }

  /** Revokes a token from `now` on (revoking again keeps the first time); throws NOT_FOUND. */
  revoke(id: string, now: Date): void {
    const result = this.#revoke.run(now.toISOString(), id);
    if (result.changes === 0) throw new StoreError('NOT_FOUND', `token "${id}" not found`);
  }

  /**
   * Checks a presented `mcns_<id>_<secret>`. A wrong secret for a known id is
   * "unknown", like an unknown id, so that a guess learns nothing; revoked and
   * expired are told only to the holder of the right secret.
   */
  verify(presented: string, now: Date): TokenCheck {
    const match = TOKEN_PATTERN.exec(presented);
    if (match === null) return { ok: false, reason: 'malformed' };
    const row = this.#byId.get(match[1]!) as TokenRow | undefined;
    if (row === undefined) return { ok: false, reason: 'unknown' };
    const presentedHash = hashSecret(match[2]!);
    if (row.secret_hash.length !== presentedHash.length || !timingSafeEqual(row.secret_hash, presentedHash)) {
      return { ok: false, reason: 'unknown' };
    }
    if (row.revoked_at !== null) return { ok: false, reason: 'revoked' };
    const nowMs = now.getTime();
    if (row.expires_at !== null && Date.parse(row.expires_at) <= nowMs) return { ok: false, reason: 'expired' };
    let lastUsedAt = row.last_used_at;
    if (lastUsedAt === null || nowMs - Date.parse(lastUsedAt) >= LAST_USED_RESOLUTION_MS) {
      lastUsedAt = now.toISOString();
      this.#touchBestEffort(row.id, lastUsedAt, new Date(nowMs - LAST_USED_RESOLUTION_MS).toISOString());
    }
    return { ok: true, token: tokenInfo({ ...row, last_used_at: lastUsedAt }) };
  }

  /**
   * last_used_at is a hint: when another process holds the write lock (a CLI
   * import), skip it rather than wait. The wait would be synchronous and stall
   * the whole process, DNS included; the next verify tries again.
   */
  #touchBestEffort(id: string, at: string, olderThan: string): void {
    const busyTimeout = this.#db.pragma('busy_timeout', { simple: true }) as number;
    this.#db.pragma('busy_timeout = 0');
    try {
      this.#touch.run(at, id, olderThan);
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_READONLY')) throw err;
    } finally {
      this.#db.pragma(`busy_timeout = ${busyTimeout}`);
    }
  }
}

/** SHA-256 of the secret part (its base64url text as ASCII). */
function hashSecret(secretPart: string): Buffer {
  return createHash('sha256').update(secretPart, 'ascii').digest();
}

function tokenInfo(row: TokenRow): TokenInfo {
  return {
    id: row.id, name: row.name, role: row.role, zones: row.zones === null ? null : (JSON.parse(row.zones) as string[]),
    createdAt: row.created_at, expiresAt: row.expires_at, revokedAt: row.revoked_at, lastUsedAt: row.last_used_at,
  };
}

function checkName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  const hasControl = [...trimmed].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f);
  if (trimmed.length === 0 || trimmed.length > NAME_MAX || hasControl) {
    throw new StoreError('INVALID', `token name must be 1 to ${NAME_MAX} printable characters`);
  }
  return trimmed;
}

function checkRole(role: string): TokenRole {
  if (role !== 'admin' && role !== 'editor' && role !== 'viewer') {
    throw new StoreError('INVALID', `token role "${String(role)}" must be admin, editor or viewer`);
  }
  return role;
}

function checkTtl(ttlSeconds: number): number {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > TTL_MAX_SECONDS) {
    throw new StoreError('INVALID', `token ttl ${String(ttlSeconds)} must be a whole number of seconds from 1 to ${TTL_MAX_SECONDS}`);
  }
  return ttlSeconds;
}

/** A zone name as the api_tokens table keeps it: presentation form, lowercase, trailing dot. */
function normalizeZone(zone: string): string {
  const text = typeof zone === 'string' ? zone.trim() : '';
  if (text.length === 0) throw new StoreError('INVALID', 'token zone must not be empty');
  try {
    return nameToText(nameLower(nameFromText(text.endsWith('.') ? text : `${text}.`)));
  } catch (err) {
    throw new StoreError('INVALID', `token zone "${text}" is not a domain name: ${(err as Error).message}`);
  }
}
