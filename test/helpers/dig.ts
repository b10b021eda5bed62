// Runs dig (BIND) and kdig (Knot) as a user would and parses what they print,
// so end-to-end tests assert on status, flags and sections instead of raw text.
import { execFile } from 'node:child_process';

/** One resource record line of dig or kdig output. */
export interface DigRecord {
  readonly name: string;
  readonly ttl: number;
  readonly class: string;
  readonly type: string;
  /** RDATA in presentation form, whitespace collapsed to single spaces. */
  readonly data: string;
}

/** What dig or kdig printed, parsed; status is "TIMEOUT" when no reply came. */
export interface DigResult {
  /** Rcode name, extended ones included (BADVERS). */
  readonly status: string;
  /** Header flags in lowercase: qr, aa, tc, rd, ra, ad, cd. */
  readonly flags: readonly string[];
  readonly id: number | null;
  /** The OPT record, when the reply had one. */
  readonly edns: { readonly version: number; readonly udp: number } | null;
  readonly answer: readonly DigRecord[];
  readonly authority: readonly DigRecord[];
  readonly additional: readonly DigRecord[];
  /** Reply size in bytes as reported ("MSG SIZE rcvd" or "Received N B"). */
  readonly size: number | null;
  /** The transport the reply came over, when printed ("UDP" or "TCP"). */
  readonly transport: string | null;
  /** Full output, for assertion messages. */
  readonly output: string;
  readonly exitCode: number;
}

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
      resolve({ stdout, stderr, code });
    });
  });
}

function parseRecord(line: string): DigRecord | null {
  const f = line.trim().split(/\s+/);
  if (f.length < 4) return null;
  const ttl = Number(f[1]);
  if (!Number.isInteger(ttl)) return null;
  return { name: f[0]!, ttl, class: f[2]!, type: f[3]!, data: f.slice(4).join(' ') };
}

/** Parses dig or kdig output (the last reply printed, if several). */
export function parseDigOutput(output: string, exitCode = 0): DigResult {
  const headerAt = output.lastIndexOf('->>HEADER<<-');
  const none: DigResult = {
    status: 'TIMEOUT', flags: [], id: null, edns: null, answer: [], authority: [], additional: [],
    size: null, transport: null, output, exitCode,
  };
  if (headerAt < 0) return none;
  const text = output.slice(headerAt);
  const status = /status: ([A-Z0-9]+)/.exec(text)?.[1] ?? 'UNKNOWN';
  const id = /id: (\d+)/.exec(text)?.[1];
  const flagText = /;; [Ff]lags: ([a-z ]*)[;]/.exec(text)?.[1] ?? '';
  let edns: DigResult['edns'] = null;
  const digEdns = /; EDNS: version: (\d+), flags:[^;]*; udp: (\d+)/.exec(text);
  const kdigEdns = /;; Version: (\d+); flags:[^;]*; UDP size: (\d+) B/.exec(text);
  const e = digEdns ?? kdigEdns;
  if (e !== null) edns = { version: Number(e[1]), udp: Number(e[2]) };
  const sections: Record<'ANSWER' | 'AUTHORITY' | 'ADDITIONAL', DigRecord[]> = { ANSWER: [], AUTHORITY: [], ADDITIONAL: [] };
  let current: DigRecord[] | null = null;
  for (const line of text.split('\n')) {
    const head = /^;; (ANSWER|AUTHORITY|ADDITIONAL|QUESTION|OPT PSEUDO|EDNS PSEUDO)[A-Z ]*SECTION:/.exec(line);
    if (head !== null) {
      const which = head[1];
      current = which === 'ANSWER' || which === 'AUTHORITY' || which === 'ADDITIONAL' ? sections[which] : null;
      continue;
    }
    if (line.trim() === '') {
      current = null;
      continue;
    }
    if (current === null || line.startsWith(';')) continue;
    const record = parseRecord(line);
    if (record !== null) current.push(record);
  }
  const size = /MSG SIZE\s+rcvd: (\d+)|;; Received (\d+) B/.exec(text);
  const transport = /\((UDP|TCP)\)/.exec(text)?.[1] ?? null;
  return {
    status,
    flags: flagText.trim().split(/\s+/).filter((f) => f !== ''),
    id: id === undefined ? null : Number(id),
    edns,
    answer: sections.ANSWER,
    authority: sections.AUTHORITY,
    additional: sections.ADDITIONAL,
    size: size === null ? null : Number(size[1] ?? size[2]),
    transport,
    output,
    exitCode,
  };
}

/** Runs dig with one try and a 2 s wait (overridable by later arguments) and parses its output. */
export async function dig(args: readonly string[], timeoutMs = 15_000): Promise<DigResult> {
  const r = await run('dig', ['+time=2', '+tries=1', ...args], timeoutMs);
  return parseDigOutput(r.stdout + r.stderr, r.code);
}

/** Runs kdig with no retry and a 2 s wait (overridable by later arguments) and parses its output. */
export async function kdig(args: readonly string[], timeoutMs = 15_000): Promise<DigResult> {
  const r = await run('kdig', ['+timeout=2', '+retry=0', ...args], timeoutMs);
  return parseDigOutput(r.stdout + r.stderr, r.code);
}
