// Replay: applies the change log's changes that came after the database's state
// (planReplay), through the store, in one transaction per zone: records, serial,
// a journal entry per change (with the change's original time, so a later
// replay recognises where it stands) and one audit entry per zone. Every change
// is checked against the records as they are: a record it deletes must be there
// and one it adds must not, so a log that does not belong to this database stops
// the zone's transaction rather than mixing two histories.
import { lastJournalEntries, readChangeLog, type ChangeLogLine, type Store } from '../store/index.js';
import { nameFromText, nameLower, nameToText, typeToText } from '../wire/index.js';
import { buildZoneSnapshot, type RecordData, type ZoneSnapshot } from '../zone/index.js';
import { OpsError } from './ops-error.js';
import { planReplay, type ReplayPlan, type ZoneState } from './plan-replay.js';

/** What replay did to one zone. */
export interface ZoneReplayed {
  readonly zone: string;
  readonly from: number | null;
  readonly to: number | null;
  readonly changes: number;
  /** The zone's new snapshot, for a running server to swap in; null when the zone was deleted. */
  readonly snapshot: ZoneSnapshot | null;
}

/** What replayChanges did. */
export interface ReplayResult {
  readonly replayed: readonly ZoneReplayed[];
  readonly upToDate: readonly string[];
  /** The change log's last line was cut short (a crash while writing; never acknowledged) and skipped. */
  readonly torn: string | null;
}

/** Who asked and when, for the audit log. */
export interface ReplayRequest {
  readonly files: readonly string[];
  readonly now: Date;
  readonly requestedBy: string;
}

/** The state planReplay starts from: every zone's serial and newest journal entry. */
export function zoneStates(store: Store): Map<string, ZoneState> {
  const last = lastJournalEntries(store);
  return new Map(store.listZoneHeaders().map((z) => [z.name, { serial: z.serial, lastChange: last.get(z.name) ?? null }]));
}

/**
 * Reads the change-log files, plans (a gap anywhere: FAILED_PRECONDITION listing
 * every problem, nothing applied), and applies zone by zone. A change that does
 * not apply to a zone's records rolls that zone back and throws
 * FAILED_PRECONDITION; zones already done stay done (each is consistent).
 */
export function replayChanges(store: Store, request: ReplayRequest): ReplayResult {
  const { lines, torn } = readChangeLog(request.files);
  const plan: ReplayPlan = planReplay(lines, zoneStates(store));
  if (plan.problems.length > 0) {
    throw new OpsError('FAILED_PRECONDITION',
      plan.problems.length === 1 ? plan.problems[0]! : `${plan.problems.length} zones cannot be replayed; nothing was replayed`, plan.problems);
  }
  const replayed: ZoneReplayed[] = [];
  for (const zone of plan.zones) {
    const snapshot = store.write((tx) => {
      let zoneId = tx.zone(zone.zone)?.id ?? null;
      const records = new RecordSet(zoneId === null ? [] : store.loadZoneRecords(zoneId));
      for (const line of zone.lines) {
        const e = line.entry;
        if (e.kind === 'restore') continue;
        if (e.kind === 'delete') {
          if (zoneId === null) throw notApplicable(line, `zone "${zone.zone}" does not exist`);
          tx.deleteZone(zoneId);
          zoneId = null;
          records.clear();
          continue;
        }
        if (e.serialBefore === null) {
          if (zoneId !== null) throw notApplicable(line, `zone "${zone.zone}" exists already`);
          zoneId = tx.insertZone(zone.zone, e.serialAfter, e.time);
        }
        if (zoneId === null) throw notApplicable(line, `zone "${zone.zone}" does not exist`);
        for (const r of e.changeset.deleted) {
          if (!records.delete(r)) throw notApplicable(line, `${describeRecord(r)} is not in zone "${zone.zone}"`);
          tx.deleteRecord(zoneId, nameToText(r.name), r.type, r.rdata);
        }
        for (const r of e.changeset.added) {
          if (!records.add(r)) throw notApplicable(line, `${describeRecord(r)} is in zone "${zone.zone}" already`);
          tx.insertRecord(zoneId, nameToText(r.name), r.type, r.ttl, r.rdata);
        }
        tx.updateZone(zoneId, e.serialAfter, e.time);
        tx.insertJournal(zoneId, e.serialBefore, e.serialAfter, e.time, e.source ?? `replay of ${line.where}`, e.changeset);
      }
      tx.insertAudit({
        time: request.now.toISOString(), principal: request.requestedBy, operation: 'replay', zone: zone.zone,
        serialBefore: zone.from, serialAfter: zone.to,
        summary: `replayed ${zone.lines.length} change${zone.lines.length === 1 ? '' : 's'} from the change log (${zone.lines[0]!.where} to ${zone.lines.at(-1)!.where})`,
      });
      if (zoneId === null) return null;
      // The result must load as a zone, or nothing of it is kept.
      try {
        return buildZoneSnapshot(nameFromText(zone.zone), store.loadZoneRecords(zoneId), zone.to ?? 0);
      } catch (err) {
        throw new OpsError('FAILED_PRECONDITION', `zone "${zone.zone}" after replay does not load: ${reasonOf(err)}; it was not changed`);
      }
    });
    replayed.push({ zone: zone.zone, from: zone.from, to: zone.to, changes: zone.lines.length, snapshot });
  }
  return { replayed, upToDate: plan.upToDate, torn };
}

/** The records of one zone by owner (any case), type and RDATA, with their TTL. */
class RecordSet {
  readonly #ttl = new Map<string, number>();

  constructor(records: Iterable<RecordData>) {
    for (const r of records) this.#ttl.set(keyOf(r), r.ttl);
  }

  /** Removes the record (TTL must match too); false when it is not there. */
  delete(r: RecordData): boolean {
    const key = keyOf(r);
    if (this.#ttl.get(key) !== r.ttl) return false;
    this.#ttl.delete(key);
    return true;
  }

  /** Adds the record; false when an equal one (TTL aside) is there. */
  add(r: RecordData): boolean {
    const key = keyOf(r);
    if (this.#ttl.has(key)) return false;
    this.#ttl.set(key, r.ttl);
    return true;
  }

  clear(): void {
    this.#ttl.clear();
  }
}

function keyOf(r: RecordData): string {
  return `${nameLower(r.name)}\0${r.type}\0${Buffer.from(r.rdata.buffer, r.rdata.byteOffset, r.rdata.byteLength).toString('latin1')}`;
}

function describeRecord(r: RecordData): string {
  return `${nameToText(r.name)} ${r.ttl} ${typeToText(r.type)} record`;
}

function notApplicable(line: ChangeLogLine, why: string): OpsError {
  return new OpsError('FAILED_PRECONDITION', `change ${line.where} does not apply: ${why}; the zone was not changed`);
}

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.charAt(0).toLowerCase() + message.slice(1);
}
