// Summarizes a V8 .cpuprofile (node --cpu-prof) for the forwarding benchmark:
// samples inside a time window only (the measured runs, not start-up or warm-up),
// self time by area of the code (our src/ folders, Node internals, GC, idle), and
// the functions with the most self and inclusive time.
import { readFileSync } from 'node:fs';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One line of the summary: a label and its share of the samples in the window. */
export interface ProfileShare {
  readonly label: string;
  readonly percent: number;
}

/** What `summarizeProfile` found. */
export interface ProfileSummary {
  /** Busy samples inside the windows (the shares below are of these), and the milliseconds the windows cover. */
  readonly samples: number;
  /** Samples in the window where the process was idle (waiting for packets), left out of the shares. */
  readonly idleSamples: number;
  readonly milliseconds: number;
  /** Self time by area, largest first. */
  readonly areas: readonly ProfileShare[];
  /** The functions with the most self time. */
  readonly topSelf: readonly ProfileShare[];
  /** The functions with the most inclusive time (on the stack at all). */
  readonly topInclusive: readonly ProfileShare[];
}

function frameLabel(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  const src = frame.url.lastIndexOf('/dist/');
  const file = src >= 0 ? frame.url.slice(src + 6) : frame.url.replace(/^file:\/\//, '');
  return `${name} ${file}:${frame.lineNumber + 1}`;
}

/** The area a frame belongs to: "src/<folder>", "node:<module>", "(garbage collector)", ... */
function frameArea(frame: CallFrame): string {
  if (frame.url === '') return frame.functionName === '' ? '(native)' : frame.functionName;
  const src = /\/dist\/(src|test|bench)\/([^/]+)\//.exec(frame.url);
  if (src !== null) return `${src[1]}/${src[2]}`;
  if (frame.url.startsWith('node:')) {
    const module = /^node:(?:internal\/)?([^/]+)/.exec(frame.url);
    return `node:${module?.[1] ?? frame.url}`;
  }
  if (frame.url.includes('/node_modules/')) return `npm:${/\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1] ?? '?'}`;
  return frame.url;
}

function top(map: Map<string, number>, total: number, count: number): ProfileShare[] {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([label, n]) => ({ label, percent: total > 0 ? (n / total) * 100 : 0 }));
}

/**
 * Reads `file` and summarizes the samples taken inside any of `windows`
 * (V8's clock: CLOCK_MONOTONIC in microseconds on Linux, the same clock as
 * process.hrtime() in any process on the machine).
 */
export function summarizeProfile(file: string, windows: readonly { readonly fromMicros: number; readonly toMicros: number }[], count = 20): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let time = profile.startTime;
  let samples = 0;
  let idle = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    if (!windows.some((w) => time >= w.fromMicros && time <= w.toMicros)) continue;
    const node = byId.get(profile.samples[i]!);
    if (node === undefined) continue;
    if (node.callFrame.functionName === '(idle)') { idle++; continue; }
    samples++;
    const label = frameLabel(node.callFrame);
    self.set(label, (self.get(label) ?? 0) + 1);
    const area = frameArea(node.callFrame);
    areas.set(area, (areas.get(area) ?? 0) + 1);
    const onStack = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.functionName === '(root)') continue;
      onStack.add(frameLabel(frame));
    }
    for (const l of onStack) inclusive.set(l, (inclusive.get(l) ?? 0) + 1);
  }
  return {
    samples,
    idleSamples: idle,
    milliseconds: windows.reduce((ms, w) => ms + (w.toMicros - w.fromMicros) / 1000, 0),
    areas: top(areas, samples, 25),
    topSelf: top(self, samples, count),
    topInclusive: top(inclusive, samples, count),
  };
}
