// In-process benchmark of the management write path (ADR 0002): changes per second
// through ManagementService.invoke, each durable (SQLite WAL, synchronous=FULL) and
// visible in the zone table when the call resolves. Prints, for this disk and
// moment, the raw durable-commit rate first: every other number is bounded by it.
// The single-caller rows run without the change log, with it as `mcns serve`
// writes it (its fsync beside SQLite's COMMIT), and with its fsync after the
// COMMIT (how it was written before: the same writer, not following the store).
// Batches of 1,000 records are measured without the change log and, on an empty
// and a large zone, with it as `mcns serve` writes it.
// Usage: node dist/bench/service-write-bench.js [changes=1000] [zoneRecords=10000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createLogger } from '../src/log/index.js';
import { backupLayout, startOps } from '../src/ops/index.js';
import { createManagementService, type ManagementService, type Principal } from '../src/service/index.js';
import { openStore } from '../src/store/index.js';
import { ZoneTable } from '../src/zone/index.js';

const changes = Number(process.argv[2] ?? 1000);
const zoneRecords = Number(process.argv[3] ?? 10_000);
const admin: Principal = { id: 'bench', name: 'bench', role: 'admin', zones: null, via: 'local' };
const dir = mkdtempSync(join(tmpdir(), 'mcns-write-bench-'));

/** Durable commits per second of one tiny INSERT each: the ceiling for one sequential caller. */
function rawCommitRate(): number {
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v BLOB)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
  const commit = db.transaction(() => insert.run(Buffer.alloc(64)));
  for (let i = 0; i < 100; i++) commit.immediate();
  const n = changes;
  const start = performance.now();
  for (let i = 0; i < n; i++) commit.immediate();
  const rate = n / ((performance.now() - start) / 1000);
  db.close();
  return rate;
}

/** Where the change log goes: none, as serve writes it (fsync beside the COMMIT), or fsynced after the COMMIT. */
type ChangeLogMode = 'none' | 'beside' | 'after';

async function withService(name: string, fn: (svc: ManagementService, zones: ZoneTable) => Promise<void>, changeLog: ChangeLogMode = 'none'): Promise<void> {
  const database = join(dir, `${name}.db`);
  const store = openStore(database);
  const zones = new ZoneTable();
  const now = (): Date => new Date();
  const ops = changeLog === 'none' ? null : startOps({
    store, zones, now, log: createLogger({ level: 'error' }),
    layout: backupLayout(database, {
      dir: join(dir, `${name}-backups`), keep: 1, intervalMs: null, journalDir: join(dir, `${name}-journal`), journalFileBytes: 64 << 20, journalKeep: 4,
    }),
  });
  // Not following the store's writes, the writer appends what was captured from onZoneChanged, after the COMMIT.
  if (changeLog === 'after') store.follow(null);
  const svc = createManagementService({
    store, zones, now, readiness: () => ({ ready: true, reason: 'bench' }), ...(ops === null ? {} : { onZoneChanged: () => ops.onZoneChanged() }),
  });
  try {
    await fn(svc, zones);
  } finally {
    await svc.close();
    await ops?.close();
    store.close();
  }
}

/** A zone with `records` A records (h0..hN) besides SOA and NS, made by one import. */
async function makeZone(svc: ManagementService, zone: string, records: number): Promise<void> {
  await svc.invoke('createZone', admin, { zone, nameservers: ['ns1.example.net.'] });
  if (records === 0) return;
  let text = `$ORIGIN ${zone}\n$TTL 300\n@ SOA ns1.example.net. hostmaster 1 3600 900 1209600 300\n@ NS ns1.example.net.\n`;
  for (let i = 0; i < records; i++) text += `h${i} A 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\n`;
  await svc.invoke('importZone', admin, { zone, text });
}

/** One caller, one change at a time: replace a single A record, `changes` times. */
async function sequential(svc: ManagementService, zone: string): Promise<number> {
  for (let i = 0; i < 20; i++) await replaceOne(svc, zone, i);
  const start = performance.now();
  for (let i = 0; i < changes; i++) await replaceOne(svc, zone, i);
  return changes / ((performance.now() - start) / 1000);
}

function replaceOne(svc: ManagementService, zone: string, i: number): Promise<unknown> {
  return svc.invoke('replaceRRset', admin, {
    zone, name: `w${i % 500}`, type: 'A', ttl: 60, records: [`192.0.2.${i % 250}`],
  });
}

function line(label: string, value: number, unit: string, extra = ''): void {
  console.log(`${label.padEnd(52)} ${Math.round(value).toLocaleString('en-US').padStart(9)} ${unit}${extra}`);
}

/** The median of some numbers. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

try {
  // The disk and CPU are shared, so the single-caller numbers are taken in
  // alternating rounds (raw commit, empty zone, large zone) and the medians shown.
  const rounds = 5;
  const raw: number[] = [];
  const empty: number[] = [];
  const large: number[] = [];
  const logBeside: number[] = [];
  const logAfter: number[] = [];
  await withService('empty', async (emptySvc) => {
    await makeZone(emptySvc, 'empty.test.', 0);
    await withService('large', async (largeSvc, zones) => {
      const start = performance.now();
      await makeZone(largeSvc, 'large.test.', zoneRecords);
      const count = zones.list()[0]!.recordCount;
      console.log(`(zone of ${count.toLocaleString('en-US')} records made in ${(performance.now() - start).toFixed(0)} ms; ` +
        `${rounds} alternating rounds of ${changes} changes, medians)`);
      await withService('log-beside', async (besideSvc) => {
        await makeZone(besideSvc, 'beside.test.', 0);
        await withService('log-after', async (afterSvc) => {
          await makeZone(afterSvc, 'after.test.', 0);
          for (let r = 0; r < rounds; r++) {
            raw.push(rawCommitRate());
            empty.push(await sequential(emptySvc, 'empty.test.'));
            large.push(await sequential(largeSvc, 'large.test.'));
            logBeside.push(await sequential(besideSvc, 'beside.test.'));
            logAfter.push(await sequential(afterSvc, 'after.test.'));
          }
        }, 'after');
      }, 'beside');
    });
  });
  const each = (rate: number): string => `  (${(1000 / rate).toFixed(3)} ms each)`;
  line('raw durable commits (1 INSERT/tx, synchronous=FULL)', median(raw), 'commits/s', each(median(raw)));
  line('1 sequential caller, empty zone', median(empty), 'changes/s', each(median(empty)));
  line(`1 sequential caller, ${zoneRecords.toLocaleString('en-US')}-record zone`, median(large), 'changes/s',
    `${each(median(large))}; large/empty per round: ${large.map((v, i) => (v / empty[i]!).toFixed(2)).join(' ')}`);
  line('1 sequential caller, empty zone, change log (serve)', median(logBeside), 'changes/s', `${each(median(logBeside))}; fsync beside the COMMIT`);
  line('1 sequential caller, empty zone, change log after', median(logAfter), 'changes/s', `${each(median(logAfter))}; its fsync after the COMMIT`);

  await withService('batched', async (svc) => {
    await makeZone(svc, 'batch.test.', 0);
    const batches = 20;
    const start = performance.now();
    for (let b = 0; b < batches; b++) {
      const list = [];
      for (let i = 0; i < 1000; i++) {
        list.push({ op: 'replace' as const, name: `b${b}-${i}`, type: 'A', ttl: 60, records: [`198.51.100.${i % 250}`] });
      }
      await svc.invoke('applyChanges', admin, { zone: 'batch.test.', changes: list });
    }
    line('applyChanges of 1,000 records, sequential', (batches * 1000) / ((performance.now() - start) / 1000), 'records/s');
  });

  // As `mcns serve` writes them (the change log beside the COMMIT), on an empty zone and a large one: medians of 20 batches.
  await withService('batched-log', async (svc) => {
    await makeZone(svc, 'empty-batch.test.', 0);
    await makeZone(svc, 'large-batch.test.', zoneRecords);
    const batchMs = async (zone: string, b: number): Promise<number> => {
      const list = [];
      for (let i = 0; i < 1000; i++) list.push({ op: 'replace' as const, name: `l${b}-${i}`, type: 'A', ttl: 60, records: [`198.51.100.${i % 250}`] });
      const start = performance.now();
      await svc.invoke('applyChanges', admin, { zone, changes: list });
      return performance.now() - start;
    };
    const times: Record<string, number[]> = { 'empty-batch.test.': [], 'large-batch.test.': [] };
    for (let b = 0; b < 2; b++) await batchMs('empty-batch.test.', -1 - b);
    for (let b = 0; b < 20; b++) for (const zone of Object.keys(times)) times[zone]!.push(await batchMs(zone, b));
    for (const [zone, ms] of Object.entries(times)) {
      const label = zone === 'empty-batch.test.' ? 'empty zone' : `${zoneRecords.toLocaleString('en-US')}-record zone`;
      line(`1,000-record batches, change log, ${label}`, 1e6 / median(ms), 'records/s', `  (median ${median(ms).toFixed(1)} ms a batch)`);
    }
  }, 'beside');

  await withService('concurrent', async (svc) => {
    await makeZone(svc, 'busy.test.', zoneRecords);
    const callers = 20;
    const each = 50;
    const before = svc.commitStats();
    const start = performance.now();
    await Promise.all(Array.from({ length: callers }, async (_, c) => {
      for (let i = 0; i < each; i++) {
        await svc.invoke('replaceRRset', admin, { zone: 'busy.test.', name: `c${c}-${i % 50}`, type: 'A', ttl: 60, records: [`203.0.113.${i % 250}`] });
      }
    }));
    const seconds = (performance.now() - start) / 1000;
    const after = svc.commitStats();
    const perBatch = (after.changes - before.changes) / (after.batches - before.batches);
    line(`${callers} concurrent callers, ${zoneRecords.toLocaleString('en-US')}-record zone`, (callers * each) / seconds, 'changes/s',
      `  (${perBatch.toFixed(1)} changes per commit, largest ${after.largestBatch})`);
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
