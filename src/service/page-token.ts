// Pagination of list operations: a page size (1..1000, 100 by default) and an
// opaque token that names where the next page starts. Tokens are base64url JSON
// tagged with the operation, so one list's token is refused by another.
import { ServiceError } from './types.js';

/** Items per page when the caller gives no size. */
export const DEFAULT_PAGE_SIZE = 100;
/** The largest page a caller may ask for. */
export const MAX_PAGE_SIZE = 1000;

/**
 * The page size asked for, or the default; INVALID_ARGUMENT (`pageSize`) outside
 * 1..1000, in the words of REST's schema for the same check (`pageSize must be <= 1000`).
 */
export function parsePageSize(input: unknown): number {
  if (input === undefined) return DEFAULT_PAGE_SIZE;
  const field = 'pageSize';
  if (typeof input !== 'number' || !Number.isInteger(input)) throw new ServiceError('INVALID_ARGUMENT', `${field} must be integer`, field);
  if (input < 1) throw new ServiceError('INVALID_ARGUMENT', `${field} must be >= 1`, field);
  if (input > MAX_PAGE_SIZE) throw new ServiceError('INVALID_ARGUMENT', `${field} must be <= ${MAX_PAGE_SIZE}`, field);
  return input;
}

/** A token for the page after `after` in list `list`. */
export function encodePageToken(list: string, after: string | number): string {
  return Buffer.from(JSON.stringify([list, after]), 'utf8').toString('base64url');
}

/**
 * Where the page of `token` starts (the key of the last item of the previous
 * page), or null for the first page. INVALID_ARGUMENT (`pageToken`) for a token
 * this list did not make.
 */
export function decodePageToken(list: string, token: unknown): string | number | null {
  if (token === undefined || token === '') return null;
  const bad = (): ServiceError => new ServiceError('INVALID_ARGUMENT', `page token "${String(token)}" was not made by ${list}`, 'pageToken');
  if (typeof token !== 'string') throw bad();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(value) || value.length !== 2 || value[0] !== list) throw bad();
  const after: unknown = value[1];
  if (typeof after !== 'string' && typeof after !== 'number') throw bad();
  return after;
}
