// What a query costs Node.js itself: CPU per query of a bare UDP echo server
// (bench/udp-echo-server.ts), pinned to CPU 0 like mcns and Knot in
// run-knot-comparison.ts, under the same dnsperf load on CPU 1. No DNS work at
// all, so this is the ceiling for any server on that UDP path here. Three modes:
// Node's dgram with its default address lookup on send, dgram with the immediate
// lookup udp-listener.ts uses, and the batched native socket (ADR 0004).
// Usage: npm run build && node dist/bench/udp-floor.js [--duration 6] [--repeat 3]
// Bounded: each run is `duration` seconds and at most 100 passes of the query file;
// every process started is stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runDnsperf } from './dnsperf-run.js';
import { processCpuMicros } from './proc-stats.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at < 0 ? fallback : Number(args[at + 1]);
};
const DURATION = flag('--duration', 6);
const REPEAT = flag('--repeat', 3);
const PORT = 5399;
const MODES = ['default', 'literal', 'batched'] as const;

function startEcho(mode: string): Promise<ChildProcess> {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'udp-echo-server.js');
  const child = spawn('taskset', ['-c', '0', process.execPath, script, String(PORT), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('echo server did not start in 5 s')), 5000);
    child.stdout!.once('data', () => { clearTimeout(timer); resolve(child); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`echo server exited with ${code}`)); });
  });
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-udp-floor-'));
  const queries = join(dir, 'queries.txt');
  writeFileSync(queries, Array.from({ length: 10_000 }, (_, i) => `h${i % 1000}.bench.test A`).join('\n') + '\n');
  const results = new Map<string, number[]>(MODES.map((m) => [m, []]));
  try {
    for (let round = 0; round < REPEAT; round++) {
      for (const mode of MODES) {
        const child = await startEcho(mode);
        try {
          const pid = child.pid!;
          await runDnsperf({ host: '127.0.0.1', port: PORT, queryFile: queries, seconds: 2, maxPasses: 100, outstanding: 200, cpu: 1 });
          const before = processCpuMicros(pid);
          const run = await runDnsperf({ host: '127.0.0.1', port: PORT, queryFile: queries, seconds: DURATION, maxPasses: 100 * DURATION, outstanding: 200, cpu: 1 });
          const perQuery = (processCpuMicros(pid) - before) / run.completed;
          results.get(mode)!.push(perQuery);
          console.log(`  round ${round + 1}, ${mode} lookup: ${Math.round(run.qps)} QPS, ${perQuery.toFixed(2)} µs CPU/query, load ${loadavg()[0]!.toFixed(2)}`);
        } finally {
          child.kill('SIGTERM');
          await new Promise((resolve) => child.once('exit', resolve));
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const mode of MODES) {
    const xs = results.get(mode)!;
    console.log(`bare Node UDP echo, ${mode} lookup: median ${median(xs).toFixed(2)} µs CPU/query (range ${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}) over ${xs.length} runs`);
  }
}

await main();
