// planReplay's rules on hand-made logs: where replay starts, what it applies,
// which branch it follows after a restore, and the gaps that stop it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChangeLogEntry, ChangeLogLine } from '../store/index.js';
import { planReplay, type ZoneState } from './plan-replay.js';

const Z = 'example.com.';

/** A log from compact entries: [before, after] changes of Z, 'del:S', or {restore: serial|null}. */
function log(...items: ([number | null, number] | string | { restore: number | null })[]): ChangeLogLine[] {
  return items.map((item, position) => {
    let entry: ChangeLogEntry;
    if (typeof item === 'string') {
      entry = { kind: 'delete', zone: Z, serialBefore: Number(item.slice(4)), time: `t${position}`, principal: null };
    } else if (Array.isArray(item)) {
      entry = {
        kind: 'change', zone: Z, serialBefore: item[0], serialAfter: item[1], time: `t${position}`, principal: null, source: null,
        changeset: { deleted: [], added: [] },
      };
    } else {
      entry = { kind: 'restore', time: `t${position}`, file: 'snap.db', zones: item.restore === null ? {} : { [Z]: item.restore } };
    }
    return { position, where: `changes-000001.jsonl:${position + 1}`, entry };
  });
}

function at(serial: number, lastChange: { serialAfter: number; time: string } | null = null): Map<string, ZoneState> {
  return new Map([[Z, { serial, lastChange }]]);
}

/** The positions planned for Z, or the problems. */
function planned(lines: ChangeLogLine[], zones: Map<string, ZoneState>): number[] | string[] {
  const plan = planReplay(lines, zones);
  if (plan.problems.length > 0) return [...plan.problems];
  return plan.zones.find((z) => z.zone === Z)?.lines.map((l) => l.position) ?? [];
}

test('replays the changes after the current serial, skipping older ones', () => {
  const lines = log([null, 1], [1, 2], [2, 3], [3, 4]);
  assert.deepEqual(planned(lines, at(2)), [2, 3]);
  assert.deepEqual(planned(lines, at(4)), []);
  assert.deepEqual(planReplay(lines, at(4)).upToDate, [Z]);
});

test('starts after the journal entry that made the current state (same serial and time)', () => {
  // The zone was deleted and created again with serials starting over: only the time tells the two apart.
  const lines = log([null, 1], [1, 2], 'del:2', [null, 1], [1, 2], [2, 3]);
  assert.deepEqual(planned(lines, at(1, { serialAfter: 1, time: 't3' })), [4, 5]);
  assert.deepEqual(planned(lines, at(2, { serialAfter: 2, time: 't4' })), [5]);
});

test('a zone that does not exist is created by replaying from its creation, and deletions replay too', () => {
  assert.deepEqual(planned(log([null, 5], [5, 6]), new Map()), [0, 1]);
  assert.deepEqual(planned(log([1, 2], 'del:2'), at(1)), [0, 1]);
  const plan = planReplay(log([1, 2], 'del:2'), at(1));
  assert.equal(plan.zones[0]!.to, null);
});

test('a gap stops replay with the serials and the line named', () => {
  const problems = planned(log([1, 2], [3, 4]), at(1));
  assert.equal(problems.length, 1);
  assert.match(String(problems[0]), /zone "example\.com\.": after serial 2 the change log goes on with a change from serial 3 \(changes-000001\.jsonl:2\)/);
  const behind = planned(log([5, 6], [6, 7]), at(2));
  assert.match(String(behind[0]), /zone "example\.com\." is at serial 2, but the change log's next change \(changes-000001\.jsonl:1\) starts from serial 5/);
  // A log that holds only changes older than the database is not a gap.
  assert.deepEqual(planned(log([1, 2], [2, 3]), at(9)), []);
});

test('after a restore, changes that start from the restored serial open a new branch; the abandoned one is dropped', () => {
  // 1 -> 2 -> 3 -> 4, restored to 2 (the operator undid 3 and 4), then 2 -> 5 -> 6.
  const lines = log([1, 2], [2, 3], [3, 4], { restore: 2 }, [2, 5], [5, 6]);
  assert.deepEqual(planned(lines, at(2, { serialAfter: 2, time: 't0' })), [4, 5]);
  assert.deepEqual(planned(lines, at(1)), [0, 4, 5]);
});

test('a restore followed by a replay keeps the history: the next change starts where the replay ended', () => {
  // Restored to 2 and replayed to 4 (nothing logged by the replay), then 4 -> 5.
  const lines = log([1, 2], [2, 3], [3, 4], { restore: 2 }, [4, 5]);
  assert.deepEqual(planned(lines, at(2, { serialAfter: 2, time: 't0' })), [1, 2, 4]);
});

test('a restore to a state the log does not reach drops everything before it for a new branch', () => {
  const lines = log([1, 2], [2, 3], { restore: 9 }, [9, 10]);
  assert.deepEqual(planned(lines, at(9)), [3]);
});
