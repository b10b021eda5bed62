// The RRset operations: list and get read the served snapshot; replace, delete,
// add, remove and applyChanges become one `edit` change on the write path.
import { nameCompareCanonical, nameFromText, nameLower, nameToText, rdataToText, typeToText, type Name } from '../wire/index.js';
import type { RRset, ZoneSnapshot } from '../zone/index.js';
import type { OperationIO } from './operations.js';
import { decodePageToken, encodePageToken, parsePageSize } from './page-token.js';
import { parseOwnerName } from './parse-owner-name.js';
import { parseRRsetChange, parseType } from './parse-rrset-change.js';
import type { ZoneName } from './parse-zone-name.js';
import { readSnapshot } from './read-snapshot.js';
import type { ServiceContext } from './service-context.js';
import { ServiceError, type ChangeResult, type Principal, type RRsetView } from './types.js';
import type { RRsetEdit } from './zone-change.js';
import { auditDetail, auditName } from './audit-name.js';

type Output<N extends keyof OperationIO> = Promise<OperationIO[N]['output']>;
type Input<N extends keyof OperationIO> = OperationIO[N]['input'];

/** Most changes one applyChanges call may carry. */
export const MAX_CHANGES_PER_CALL = 10_000;

/** One RRset's place in a listing: owner (lowercased) and type. */
interface RRsetKey {
  readonly owner: Name;
  readonly type: number;
}

/** Each snapshot's RRsets in listing order, sorted once per snapshot and kept while it lives. */
const LISTING_ORDER = new WeakMap<ZoneSnapshot, RRsetKey[]>();

/** An RRset as the API shows it: RDATA in presentation form. */
export function rrsetView(set: RRset): RRsetView {
  return { name: nameToText(set.name), type: typeToText(set.type), ttl: set.ttl, records: set.rdatas.map((r) => rdataToText(set.type, r)) };
}

/** listRRsets: canonical owner order (RFC 4034 6.1), types in numeric order; optional exact owner and type filters. */
export async function listRRsets(ctx: ServiceContext, zone: ZoneName, input: Input<'listRRsets'>): Output<'listRRsets'> {
  const pageSize = parsePageSize(input.pageSize);
  const after = decodePageToken('listRRsets', input.pageToken);
  const owner = input.name === undefined ? null : nameLower(parseOwnerName(input.name, zone, 'name'));
  const type = input.type === undefined ? null : parseType(input.type, 'type');
  const snapshot = readSnapshot(ctx, zone);
  let keys: readonly RRsetKey[];
  if (owner !== null) {
    keys = [...(snapshot.nodes.get(owner)?.rrsets.keys() ?? [])].map((t) => ({ owner, type: t }));
  } else {
    keys = listingOrder(snapshot);
  }
  let start = 0;
  if (after !== null) {
    const at = parseKey(String(after));
    start = firstAfter(keys, at);
  }
  const items: RRsetView[] = [];
  let last: RRsetKey | null = null;
  let more = false;
  for (let i = start; i < keys.length; i++) {
    const key = keys[i]!;
    if (type !== null && key.type !== type) continue;
    if (items.length === pageSize) {
      more = true;
      break;
    }
    items.push(rrsetView(snapshot.nodes.get(key.owner)!.rrsets.get(key.type)!));
    last = key;
  }
  return { items, nextPageToken: more && last !== null ? encodePageToken('listRRsets', `${last.type} ${nameToText(last.owner)}`) : '' };
}

/** getRRset: NOT_FOUND when the owner has no RRset of the type. */
export async function getRRset(ctx: ServiceContext, zone: ZoneName, input: Input<'getRRset'>): Output<'getRRset'> {
  const name = parseOwnerName(input.name, zone, 'name');
  const type = parseType(input.type, 'type');
  const set = readSnapshot(ctx, zone).nodes.get(nameLower(name))?.rrsets.get(type);
  if (set === undefined) {
    throw new ServiceError('NOT_FOUND', `rrset "${nameToText(name)}" ${typeToText(type)} not found in zone "${zone.text}"`, 'name');
  }
  return rrsetView(set);
}

/** replaceRRset, deleteRRset, addRecords, removeRecords: one RRset edit as one change. */
export async function editRRset(
  ctx: ServiceContext, principal: Principal | null, zone: ZoneName,
  operation: 'replaceRRset' | 'deleteRRset' | 'addRecords' | 'removeRecords',
  input: Input<'replaceRRset'> | Input<'deleteRRset'> | Input<'addRecords'> | Input<'removeRecords'>,
): Promise<ChangeResult> {
  const op = operation === 'replaceRRset' ? 'replace' : operation === 'deleteRRset' ? 'delete' : operation === 'addRecords' ? 'add' : 'remove';
  const edit = parseRRsetChange({ ...input, op }, zone, '');
  const expectedSerial = parseExpectedSerial(input.expectedSerial);
  return commitEdits(ctx, principal, zone, operation, [edit], expectedSerial, describeEdit(edit));
}

/** applyChanges: every change or none, with one serial bump, one journal entry and one audit entry. */
export async function applyChanges(ctx: ServiceContext, principal: Principal | null, zone: ZoneName, input: Input<'applyChanges'>): Output<'applyChanges'> {
  const changes: unknown = input.changes;
  if (!Array.isArray(changes) || changes.length === 0) {
    throw new ServiceError('INVALID_ARGUMENT', 'changes must list at least one change', 'changes');
  }
  if (changes.length > MAX_CHANGES_PER_CALL) {
    throw new ServiceError('INVALID_ARGUMENT', `${changes.length} changes in one call exceed the limit of ${MAX_CHANGES_PER_CALL}`, 'changes');
  }
  const edits = changes.map((change: unknown, i) => parseRRsetChange(change, zone, `changes[${i}].`));
  const expectedSerial = parseExpectedSerial(input.expectedSerial);
  const shown = edits.slice(0, 3).map(describeEdit).join('; ');
  const summary = edits.length <= 3 ? shown : `${shown}; and ${edits.length - 3} more`;
  return commitEdits(ctx, principal, zone, 'applyChanges', edits, expectedSerial, summary);
}

async function commitEdits(
  ctx: ServiceContext, principal: Principal | null, zone: ZoneName, operation: string, edits: RRsetEdit[],
  expectedSerial: number | undefined, summary: string,
): Promise<ChangeResult> {
  const outcome = await ctx.commit({
    origin: zone.origin, change: { kind: 'edit', edits, expectedSerial },
    principal: auditName(principal), detail: auditDetail(principal), operation, summary,
  });
  return { zone: outcome.zone, serialBefore: outcome.serialBefore!, serialAfter: outcome.serialAfter! };
}

/** "replace www.example.com. A (2 records)". */
function describeEdit(edit: RRsetEdit): string {
  const what = `${edit.op} ${nameToText(edit.name)} ${typeToText(edit.type)}`;
  if (edit.op === 'delete') return what;
  return `${what} (${edit.rdatas.length} record${edit.rdatas.length === 1 ? '' : 's'})`;
}

/** An optional serial for optimistic concurrency: 0..4294967295. */
function parseExpectedSerial(input: unknown): number | undefined {
  if (input === undefined) return undefined;
  if (typeof input !== 'number' || !Number.isInteger(input) || input < 0 || input > 0xffffffff) {
    throw new ServiceError('INVALID_ARGUMENT', `expected serial ${String(input)} is not an integer from 0 to 4294967295`, 'expectedSerial');
  }
  return input;
}

/** The snapshot's RRset keys in listing order (sorted once per snapshot). */
function listingOrder(snapshot: ZoneSnapshot): RRsetKey[] {
  let keys = LISTING_ORDER.get(snapshot);
  if (keys !== undefined) return keys;
  const owners: Name[] = [];
  snapshot.nodes.forEach((node, lower) => {
    if (node.rrsets.size > 0) owners.push(lower);
  });
  owners.sort(nameCompareCanonical);
  keys = [];
  for (const owner of owners) {
    const types = [...snapshot.nodes.get(owner)!.rrsets.keys()].sort((a, b) => a - b);
    for (const type of types) keys.push({ owner, type });
  }
  LISTING_ORDER.set(snapshot, keys);
  return keys;
}

/** The key a page token names ("<type> <owner>"); INVALID_ARGUMENT when it is not one. */
function parseKey(text: string): RRsetKey {
  const space = text.indexOf(' ');
  const type = Number(text.slice(0, space));
  try {
    if (space > 0 && Number.isInteger(type)) return { owner: nameLower(nameFromText(text.slice(space + 1))), type };
  } catch {
    // refused below
  }
  throw new ServiceError('INVALID_ARGUMENT', 'page token was not made by listRRsets', 'pageToken');
}

/** The index of the first key after `at` in listing order (binary search). */
function firstAfter(keys: readonly RRsetKey[], at: RRsetKey): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const key = keys[mid]!;
    const order = nameCompareCanonical(key.owner, at.owner) || key.type - at.type;
    if (order <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
