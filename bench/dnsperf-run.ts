// Runs dnsperf against a server, pinned to one CPU, bounded in time and in
// queries, and parses its statistics.
import { spawn } from 'node:child_process';
import { processCpuMicros } from './proc-stats.js';

/** How dnsperf is run. */
export interface DnsperfOptions {
  readonly host: string;
  readonly port: number;
  readonly queryFile: string;
  /** -l: seconds to run. */
  readonly seconds: number;
  /**
   * -Q: offered rate in queries per second, to compare servers doing the same
   * work per second; absent: flat out (closed loop, `outstanding` in flight),
   * where a slower server also gets fewer queries per wake-up.
   */
  readonly qps?: number;
  /** -n: passes through the query file at most (bounds the query count). */
  readonly maxPasses: number;
  /** -q: queries outstanding at once. */
  readonly outstanding: number;
  /** The CPU dnsperf is pinned to (taskset -c). */
  readonly cpu: number;
}

/** What one dnsperf run reported. */
export interface DnsperfResult {
  readonly sent: number;
  readonly completed: number;
  readonly lost: number;
  readonly qps: number;
  readonly runSeconds: number;
  readonly avgLatencyMs: number;
  /** "NOERROR 123 (80.00%), NXDOMAIN ..." as dnsperf printed it. */
  readonly responseCodes: string;
  /** dnsperf's own CPU use over the run, in percent of one core (last sample). */
  readonly clientCpuPercent: number;
  readonly output: string;
}

function field(output: string, label: string): number {
  const match = new RegExp(`${label}:\\s+([\\d.]+)`).exec(output);
  if (match === null) throw new Error(`dnsperf output has no "${label}":\n${output}`);
  return Number(match[1]);
}

/** Runs dnsperf once (at `qps` at most, when given); rejects when it fails or runs 20 s past its time limit. */
export function runDnsperf(options: DnsperfOptions): Promise<DnsperfResult> {
  const args = [
    '-c', String(options.cpu), 'dnsperf',
    '-s', options.host, '-p', String(options.port), '-d', options.queryFile,
    '-l', String(options.seconds), '-n', String(options.maxPasses),
    '-c', '1', '-T', '1', '-q', String(options.outstanding), '-t', '2',
    ...(options.qps === undefined ? [] : ['-Q', String(options.qps)]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('taskset', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString('utf8'); });
    const started = performance.now();
    let lastCpu = 0;
    let lastWall = 0;
    const sampler = setInterval(() => {
      try {
        if (child.pid !== undefined) {
          lastCpu = processCpuMicros(child.pid);
          lastWall = performance.now() - started;
        }
      } catch { /* exited between samples */ }
    }, 250);
    const killer = setTimeout(() => { if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL'); }, (options.seconds + 20) * 1000);
    child.once('error', (error) => { clearInterval(sampler); clearTimeout(killer); reject(error); });
    child.once('exit', (code) => {
      clearInterval(sampler);
      clearTimeout(killer);
      if (code !== 0) { reject(new Error(`dnsperf exited with ${String(code)}:\n${output}`)); return; }
      try {
        const codes = /Response codes:\s+(.*)/.exec(output);
        resolve({
          sent: field(output, 'Queries sent'),
          completed: field(output, 'Queries completed'),
          lost: field(output, 'Queries lost'),
          qps: field(output, 'Queries per second'),
          runSeconds: field(output, 'Run time \\(s\\)'),
          avgLatencyMs: field(output, 'Average Latency \\(s\\)') * 1000,
          responseCodes: codes?.[1]?.trim() ?? '',
          clientCpuPercent: lastWall > 0 ? (lastCpu / 1000 / lastWall) * 100 : NaN,
          output,
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
