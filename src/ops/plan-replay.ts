// Which logged changes replay applies to each zone, and in what order: a pure
// function of the change log and the zones' current state, so the rules can be
// tested without files or SQLite.
//
// Rules, per zone:
// 1. A restore line followed (for this zone) by a change that starts from the
//    restored serial opens a new branch: the changes logged between the restored
//    state and the restore line were abandoned by the operator and are dropped.
//    When the next change does not start there (the operator replayed, and went
//    on from the replayed state), nothing is dropped.
// 2. Replay starts after the change that made the zone's current state (the
//    database's newest journal entry, recognised by serial and time), or, when
//    the log does not hold it, at the first change that starts from the current
//    serial.
// 3. From there every change must start where the one before ended; a change
//    that does not is a gap (files rotated away, or a change written by another
//    process), and replay stops with an error before it applies anything.
import { serialIsGreater, type ChangeLogLine } from '../store/index.js';

/** A zone as it is in the database before replay. */
export interface ZoneState {
  readonly serial: number;
  /** The newest journal entry's serial_after and time, when there is one. */
  readonly lastChange: { readonly serialAfter: number; readonly time: string } | null;
}

/** What replay does to one zone. */
export interface ZoneReplay {
  readonly zone: string;
  /** Serial now; null when the zone does not exist. */
  readonly from: number | null;
  /** Serial after the changes; null when they end with its deletion. */
  readonly to: number | null;
  /** The change and delete lines to apply, in order. */
  readonly lines: readonly ChangeLogLine[];
}

/** The plan: zones with changes to apply, zones already current, and the gaps that forbid applying anything. */
export interface ReplayPlan {
  readonly zones: readonly ZoneReplay[];
  readonly upToDate: readonly string[];
  readonly problems: readonly string[];
}

type Item =
  | { readonly marker: false; readonly line: ChangeLogLine; readonly before: number | null; readonly after: number | null }
  | { readonly marker: true; readonly serial: number | null };

/** Plans the replay of `lines` (oldest first) onto zones whose state is `zones` (by name; absent: no such zone). */
export function planReplay(lines: readonly ChangeLogLine[], zones: ReadonlyMap<string, ZoneState>): ReplayPlan {
  const byZone = new Map<string, Item[]>();
  for (const line of lines) {
    const e = line.entry;
    if (e.kind === 'restore') {
      const names = new Set([...byZone.keys(), ...Object.keys(e.zones)]);
      for (const zone of names) listOf(byZone, zone).push({ marker: true, serial: e.zones[zone] ?? null });
      continue;
    }
    const after = e.kind === 'change' ? e.serialAfter : null;
    listOf(byZone, e.zone).push({ marker: false, line, before: e.serialBefore, after });
  }

  const plans: ZoneReplay[] = [];
  const upToDate: string[] = [];
  const problems: string[] = [];
  for (const zone of [...new Set([...zones.keys(), ...byZone.keys()])].sort()) {
    const items = resolveBranches(byZone.get(zone) ?? []);
    const state = zones.get(zone) ?? null;
    const outcome = chain(zone, items, state);
    if (typeof outcome === 'string') problems.push(outcome);
    else if (outcome.lines.length === 0) upToDate.push(zone);
    else plans.push(outcome);
  }
  return { zones: plans, upToDate, problems };
}

function listOf(map: Map<string, Item[]>, zone: string): Item[] {
  let list = map.get(zone);
  if (list === undefined) map.set(zone, (list = []));
  return list;
}

/** Rule 1: drops abandoned branches; returns the changes in log order, without markers. */
function resolveBranches(items: readonly Item[]): Extract<Item, { marker: false }>[] {
  let out: (Extract<Item, { marker: false }> | null)[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (!item.marker) {
      out.push(item);
      continue;
    }
    const next = items.slice(i + 1).find((x): x is Extract<Item, { marker: false }> => !x.marker);
    if (next === undefined || next.before !== item.serial) continue;
    // A new branch from the restored state: keep history up to the change that made it.
    let anchor = -1;
    for (let k = out.length - 1; k >= 0; k--) {
      if (out[k] !== null && out[k]!.after === item.serial) {
        anchor = k;
        break;
      }
    }
    out = out.map((x, k) => (k <= anchor ? x : null));
  }
  return out.filter((x): x is Extract<Item, { marker: false }> => x !== null);
}

/** Rules 2 and 3: the changes to apply from the zone's state, or a problem line. */
function chain(zone: string, items: readonly Extract<Item, { marker: false }>[], state: ZoneState | null): ZoneReplay | string {
  const from = state?.serial ?? null;
  const done = (): ZoneReplay => ({ zone, from, to: from, lines: [] });
  if (items.length === 0) return done();
  // The change that made the current state.
  let start = 0;
  let anchored = false;
  if (state?.lastChange != null) {
    const { serialAfter, time } = state.lastChange;
    for (let k = items.length - 1; k >= 0; k--) {
      const e = items[k]!.line.entry;
      if (e.kind === 'change' && e.serialAfter === serialAfter && e.time === time) {
        start = k + 1;
        anchored = true;
        break;
      }
    }
  }
  const rest = items.slice(start);
  if (rest.length === 0) return done();
  let first = anchored ? (rest[0]!.before === from ? 0 : -1) : rest.findIndex((x) => x.before === from);
  if (first < 0) {
    if (!anchored && state === null && rest.at(-1)!.after === null) return done();
    const next = anchored ? rest[0]! : rest.find((x) => x.before !== null && (from === null || serialIsGreater(x.before, from)));
    if (next === undefined) return done(); // the log holds only changes older than the database
    return `zone "${zone}" ${from === null ? 'does not exist' : `is at serial ${from}`}, but the change log's next change ` +
      `(${next.line.where}) starts from ${describe(next.before)}: the changes in between are missing; nothing was replayed`;
  }
  let serial = from;
  const lines: ChangeLogLine[] = [];
  for (const item of rest.slice(first)) {
    if (item.before !== serial) {
      return `zone "${zone}": after ${describe(serial)} the change log goes on with a change from ${describe(item.before)} ` +
        `(${item.line.where}): the changes in between are missing; nothing was replayed`;
    }
    lines.push(item.line);
    serial = item.after;
  }
  return { zone, from, to: serial, lines };
}

function describe(serial: number | null): string {
  return serial === null ? 'no zone (deleted)' : `serial ${serial}`;
}
