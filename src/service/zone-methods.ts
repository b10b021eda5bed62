// The zone operations: list, get, create, delete, import and export. Writes go
// through the one write path (ctx.commit); reads come from the served snapshot.
import {
  RRClass, RRType, WireError, ZoneFileError, formatZoneFile, nameFromText, nameLower, nameToBytes, nameToText, parseZoneFile,
  rdataFromText, tokenizeRdata, type Name,
} from '../wire/index.js';
import type { ZoneHeader } from '../store/index.js';
import { validateZone, type RecordData } from '../zone/index.js';
import { auditDetail, auditName } from './audit-name.js';
import { inZoneScope, principalLabel } from './authorize.js';
import { dateSerial } from './next-serial.js';
import type { OperationIO } from './operations.js';
import { decodePageToken, encodePageToken, parsePageSize } from './page-token.js';
import { parseTtl } from './parse-rrset-change.js';
import type { ZoneName } from './parse-zone-name.js';
import { readSnapshot } from './read-snapshot.js';
import type { ServiceContext } from './service-context.js';
import { ServiceError, type Principal, type ZoneView } from './types.js';

/** SOA timers of a new zone (seconds): refresh, retry, expire, minimum (RFC 1912 2.2 ranges). */
const NEW_ZONE_SOA_TIMERS = '3600 900 1209600 300';
/** TTL of a new zone's SOA and NS records when the caller gives none. */
const NEW_ZONE_TTL = 3600;

type Output<N extends keyof OperationIO> = Promise<OperationIO[N]['output']>;
type Input<N extends keyof OperationIO> = OperationIO[N]['input'];

/** The ZoneView of a zone row, with serial and record count from the served snapshot when there is one. */
export function zoneView(ctx: ServiceContext, header: ZoneHeader): ZoneView {
  const snapshot = ctx.zones.get(header.origin);
  return {
    name: header.name,
    serial: header.serial,
    kind: header.kind,
    recordCount: snapshot?.recordCount ?? 0,
    createdAt: header.createdAt,
    updatedAt: header.updatedAt,
  };
}

/** listZones: zones in name order, limited to the caller's scope, `filter` a case-insensitive substring. */
export async function listZones(ctx: ServiceContext, principal: Principal | null, input: Input<'listZones'>): Output<'listZones'> {
  const pageSize = parsePageSize(input.pageSize);
  const after = decodePageToken('listZones', input.pageToken);
  if (input.filter !== undefined && typeof input.filter !== 'string') {
    throw new ServiceError('INVALID_ARGUMENT', 'filter must be text', 'filter');
  }
  const filter = (input.filter ?? '').toLowerCase();
  const items: ZoneView[] = [];
  let more = false;
  for (const header of ctx.store.listZoneHeaders()) {
    if (after !== null && header.name <= String(after)) continue;
    if (!inZoneScope(principal, header.name) || !header.name.includes(filter)) continue;
    if (items.length === pageSize) {
      more = true;
      break;
    }
    items.push(zoneView(ctx, header));
  }
  return { items, nextPageToken: more ? encodePageToken('listZones', items[items.length - 1]!.name) : '' };
}

/** getZone. */
export async function getZone(ctx: ServiceContext, zone: ZoneName): Output<'getZone'> {
  return zoneView(ctx, requireHeader(ctx, zone));
}

/**
 * createZone: an SOA (MNAME the first nameserver, RNAME from `email` or
 * hostmaster.<zone>, serial YYYYMMDD01, timers 3600 900 1209600 300) and the NS
 * RRset, both with `ttl` (3600 by default). At least one nameserver is required: a
 * zone whose only NS is an invented in-zone name without an address is lame.
 */
export async function createZone(ctx: ServiceContext, principal: Principal | null, zone: ZoneName, input: Input<'createZone'>): Output<'createZone'> {
  const nameservers = parseNameservers(input.nameservers, zone);
  const rname = parseEmail(input.email, zone);
  const ttl = parseTtl(input.ttl ?? NEW_ZONE_TTL, 'ttl');
  const serial = dateSerial(ctx.now()) + 1;
  const soaText = `${nameToText(nameservers[0]!)} ${nameToText(rname)} ${serial} ${NEW_ZONE_SOA_TIMERS}`;
  const records: RecordData[] = [
    { name: zone.origin, type: RRType.SOA, ttl, rdata: rdataFromText(RRType.SOA, tokenizeRdata(soaText), zone.origin) },
    ...nameservers.map((ns) => ({ name: zone.origin, type: RRType.NS, ttl, rdata: new Uint8Array(nameToBytes(ns)) })),
  ];
  await ctx.commit({
    origin: zone.origin, change: { kind: 'create', records }, principal: auditName(principal), detail: auditDetail(principal),
    operation: 'createZone',
    summary: `create zone ${zone.text} (NS ${nameservers.map(nameToText).join(' ')})`,
  });
  return zoneView(ctx, requireHeader(ctx, zone));
}

/** deleteZone: the zone, its records and its journal (the audit log keeps its entries). */
export async function deleteZone(ctx: ServiceContext, principal: Principal | null, zone: ZoneName): Output<'deleteZone'> {
  await ctx.commit({
    origin: zone.origin, change: { kind: 'delete' }, principal: auditName(principal), detail: auditDetail(principal),
    operation: 'deleteZone',
    summary: `delete zone ${zone.text}`,
  });
  return {};
}

/**
 * importZone: the zone's records become those of the zone-file text, through the
 * write path as one change (only differing RRsets are written). Creates the zone
 * when absent, which only an admin may do (creating zones is createZone's
 * permission). The text is taken as UTF-8 and parsed as the bytes it encodes, as
 * a zone file read from disk would be (TXT data keeps its exact bytes). Serial:
 * the file's when greater than the current one (RFC 1982), else the date rule.
 * `serialBefore` is 0 when the import created the zone.
 */
export async function importZone(ctx: ServiceContext, principal: Principal | null, zone: ZoneName, input: Input<'importZone'>): Output<'importZone'> {
  if (typeof input.text !== 'string') throw new ServiceError('INVALID_ARGUMENT', 'text must be the zone file as text', 'text');
  const records = parseZoneText(input.text, zone);
  if (principal !== null && principal.role !== 'admin' && ctx.store.zoneHeader(zone.text) === null) {
    throw new ServiceError('PERMISSION_DENIED', `${principalLabel(principal)} may not create zone "${zone.text}" (needs admin)`, 'zone');
  }
  const outcome = await ctx.commit({
    origin: zone.origin, change: { kind: 'replace', records }, principal: auditName(principal), detail: auditDetail(principal),
    operation: 'importZone',
    summary: `import zone ${zone.text} (${records.length} records)`,
  });
  return { zone: outcome.zone, serialBefore: outcome.serialBefore ?? 0, serialAfter: outcome.serialAfter!, recordCount: outcome.recordCount };
}

/** exportZone: the served content as a zone file (formatZoneFile: $ORIGIN, SOA first, canonical order). */
export async function exportZone(ctx: ServiceContext, zone: ZoneName): Output<'exportZone'> {
  const snapshot = readSnapshot(ctx, zone);
  const records: RecordData[] = [];
  snapshot.nodes.forEach((node) => {
    node.rrsets.forEach((set) => {
      for (const rdata of set.rdatas) records.push({ name: set.name, type: set.type, ttl: set.ttl, rdata });
    });
  });
  return { text: formatZoneFile(zone.origin, records) };
}

/** The zone's row; NOT_FOUND when there is none. */
function requireHeader(ctx: ServiceContext, zone: ZoneName): ZoneHeader {
  const header = ctx.store.zoneHeader(zone.text);
  if (header === null) throw new ServiceError('NOT_FOUND', `zone "${zone.text}" not found`, 'zone');
  return header;
}

/**
 * Parses and validates zone-file text: ZoneFileError becomes INVALID_ARGUMENT
 * (`text`) with `text:line:column: reason`; classes other than IN and every
 * problem validateZone reports as an error are refused the same way.
 */
function parseZoneText(text: string, zone: ZoneName): RecordData[] {
  let parsed;
  try {
    // Without an include callback $INCLUDE is refused: the API never reads the server's files.
    parsed = parseZoneFile(Buffer.from(text, 'utf8').toString('latin1'), { origin: zone.origin, fileName: 'text' });
  } catch (err) {
    if (err instanceof ZoneFileError) throw new ServiceError('INVALID_ARGUMENT', `zone "${zone.text}" not imported: ${err.message}`, 'text');
    throw err;
  }
  const problems: string[] = [];
  const records: RecordData[] = [];
  for (const r of parsed.records) {
    if (r.class !== RRClass.IN) {
      problems.push(`text:${r.line}: ${nameToText(r.name)} has class ${r.class}; only class IN is served`);
      continue;
    }
    records.push({ name: r.name, type: r.type, ttl: r.ttl, rdata: r.rdata });
  }
  for (const problem of validateZone(zone.origin, records)) if (problem.severity === 'error') problems.push(problem.message);
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new ServiceError('INVALID_ARGUMENT', `zone "${zone.text}" not imported: ${problems[0]!}${more}`, 'text');
  }
  return records;
}

/**
 * Nameserver names: absolute with or without the trailing dot ("ns1.example.net"),
 * or a single label relative to the zone ("ns1" is ns1.<zone>).
 */
function parseNameservers(input: unknown, zone: ZoneName): Name[] {
  if (!Array.isArray(input) || input.length === 0) {
    throw new ServiceError('INVALID_ARGUMENT', `zone "${zone.text}" needs at least one nameserver`, 'nameservers');
  }
  const out: Name[] = [];
  const seen = new Set<string>();
  input.forEach((text: unknown, i) => {
    const field = `nameservers[${i}]`;
    if (typeof text !== 'string' || text.length === 0) throw new ServiceError('INVALID_ARGUMENT', `${field} must be a host name`, field);
    let name: Name;
    try {
      name = text.endsWith('.') || !text.includes('.') ? nameFromText(text, zone.origin) : nameFromText(`${text}.`);
    } catch (err) {
      if (err instanceof WireError) throw new ServiceError('INVALID_ARGUMENT', `nameserver "${text}" is not valid: ${err.message}`, field);
      throw err;
    }
    const key = nameLower(name);
    if (!seen.has(key)) out.push(name);
    seen.add(key);
  });
  return out;
}

/**
 * The SOA RNAME (RFC 1035 8): "hostmaster@example.com" becomes
 * hostmaster.example.com. (dots in the local part escaped); a name is taken as is;
 * absent: hostmaster.<zone>.
 */
function parseEmail(input: unknown, zone: ZoneName): Name {
  if (input === undefined) return nameFromText('hostmaster', zone.origin);
  if (typeof input !== 'string' || input.length === 0) throw new ServiceError('INVALID_ARGUMENT', 'email must be an address', 'email');
  const at = input.lastIndexOf('@');
  const text = at < 0
    ? (input.endsWith('.') ? input : `${input}.`)
    : `${input.slice(0, at).replace(/\\/g, '\\\\').replace(/\./g, '\\.')}.${input.slice(at + 1).replace(/\.$/, '')}.`;
  try {
    return nameFromText(text);
  } catch (err) {
    if (err instanceof WireError) throw new ServiceError('INVALID_ARGUMENT', `email "${input}" is not valid: ${err.message}`, 'email');
    throw err;
  }
}
