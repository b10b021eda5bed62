// dnsperf at a fixed offered rate (-Q), for comparing servers doing the same work
// per second: bench/dnsperf-run.ts runs it flat out (closed loop, -q outstanding),
// where a slower server also gets fewer queries per wake-up and so pays more per query.
// Same pinning, bounds and result as runDnsperf; only -Q is added.
import { spawn } from 'node:child_process';
import type { DnsperfOptions, DnsperfResult } from './dnsperf-run.js';
import { processCpuMicros } from './proc-stats.js';

function field(output: string, label: string): number {
  const match = new RegExp(`${label}:\\s+([\\d.]+)`).exec(output);
  if (match === null) throw new Error(`dnsperf output has no "${label}":\n${output}`);
  return Number(match[1]);
}

/** Runs dnsperf once at `qps` queries per second at most; rejects when it fails or runs 20 s past its limit. */
export function runDnsperfAtRate(options: DnsperfOptions & { readonly qps: number }): Promise<DnsperfResult> {
  const args = [
    '-c', String(options.cpu), 'dnsperf',
    '-s', options.host, '-p', String(options.port), '-d', options.queryFile,
    '-l', String(options.seconds), '-n', String(options.maxPasses),
    '-c', '1', '-T', '1', '-q', String(options.outstanding), '-t', '2', '-Q', String(options.qps),
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
        resolve({
          sent: field(output, 'Queries sent'),
          completed: field(output, 'Queries completed'),
          lost: field(output, 'Queries lost'),
          qps: field(output, 'Queries per second'),
          runSeconds: field(output, 'Run time \\(s\\)'),
          avgLatencyMs: field(output, 'Average Latency \\(s\\)') * 1000,
          responseCodes: /Response codes:\s+(.*)/.exec(output)?.[1]?.trim() ?? '',
          clientCpuPercent: lastWall > 0 ? (lastCpu / 1000 / lastWall) * 100 : NaN,
          output,
        });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
