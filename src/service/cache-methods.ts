// The forwarder's answer cache through the management plane (issue 5): flush one
// name, a subtree or everything (what `rec_control wipe-cache <fqdn>$` does for a
// recursor, seed 004: a stale NXDOMAIN outlives a record just added), and show what
// is cached for a name. The cache itself is the forwarder's, injected as ForwarderCache.
import { Rcode, WireError, classToText, nameFromText, nameLower, nameToText, typeToText, type Name } from '../wire/index.js';
import { auditDetail, auditName } from './audit-name.js';
import type { OperationIO } from './operations.js';
import type { ForwarderCache, ServiceContext } from './service-context.js';
import { ServiceError, type Principal } from './types.js';

type Output<N extends keyof OperationIO> = Promise<OperationIO[N]['output']>;
type Input<N extends keyof OperationIO> = OperationIO[N]['input'];

/** Rcode mnemonics by number. */
const RCODE_TEXT: ReadonlyMap<number, string> = new Map(Object.entries(Rcode).map(([text, code]) => [code, text]));

/** flushCache: drops the name's entries, the subtree's (`subtree`), or all (no name); audited with the count. */
export async function flushCache(ctx: ServiceContext, principal: Principal | null, input: Input<'flushCache'>): Output<'flushCache'> {
  if (input.subtree !== undefined && typeof input.subtree !== 'boolean') {
    throw new ServiceError('INVALID_ARGUMENT', 'subtree must be true or false', 'subtree');
  }
  const subtree = input.subtree === true;
  // No name means everything, whether or not subtree is set: every name is below the root.
  const name = input.name === undefined ? undefined : parseCacheName(input.name);
  // Bad input is refused as such whatever the server's state (INVALID_ARGUMENT before FAILED_PRECONDITION).
  const flushed = forwarderCache(ctx, 'flush').flush(name, subtree);
  const what = name === undefined ? 'all' : subtree ? `${nameToText(name)} and below` : nameToText(name);
  ctx.store.appendAudit({
    time: ctx.now().toISOString(), principal: auditName(principal), detail: auditDetail(principal), operation: 'flushCache',
    zone: null, serialBefore: null, serialAfter: null,
    summary: `flush cache: ${what} (${flushed} ${flushed === 1 ? 'entry' : 'entries'})`,
  });
  return { flushed };
}

/** showCache: the entries cached for exactly this name (each type, class, DO and CD its own). */
export async function showCache(ctx: ServiceContext, input: Input<'showCache'>): Output<'showCache'> {
  const name = parseCacheName(input.name);
  const entries = forwarderCache(ctx, 'show').show(name).map((e) => ({
    type: typeToText(e.type),
    class: classToText(e.class),
    rcode: RCODE_TEXT.get(e.rcode) ?? `RCODE${e.rcode}`,
    negative: e.negative,
    ttlRemaining: e.ttlLeft,
    stale: e.stale,
    dnssecOk: e.dnssecOk,
    checkingDisabled: e.checkingDisabled,
    bytes: e.bytes,
  }));
  return { entries };
}

/** The cache, or FAILED_PRECONDITION naming the config key that turns forwarding on. */
function forwarderCache(ctx: ServiceContext, verb: 'flush' | 'show'): ForwarderCache {
  if (ctx.cache === undefined) throw new ServiceError('FAILED_PRECONDITION', `forwarding is off: no cache to ${verb} (set [forward] upstreams)`);
  return ctx.cache;
}

/** A name as typed, always absolute (a missing trailing dot is added), lowercased; INVALID_ARGUMENT on field "name". */
function parseCacheName(input: unknown): Name {
  if (typeof input !== 'string' || input.length === 0) {
    throw new ServiceError('INVALID_ARGUMENT', 'name must be a domain name such as "www.example.com."', 'name');
  }
  const absolute = input.endsWith('.') && !input.endsWith('\\.') ? input : `${input}.`;
  try {
    return nameLower(nameFromText(absolute));
  } catch (err) {
    if (err instanceof WireError) throw new ServiceError('INVALID_ARGUMENT', `name "${input}" is not valid: ${err.message}`, 'name');
    throw err;
  }
}
