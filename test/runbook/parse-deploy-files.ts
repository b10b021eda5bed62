// Readers for the deployment files the static test checks: the Dockerfile (stages
// and instructions), .dockerignore (which context paths it excludes), systemd
// unit files (sections and repeated keys), and durations written as "45s".

/** One Dockerfile instruction, continuation lines joined. */
export interface DockerInstruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

/** One build stage: its FROM image (ARG defaults substituted), its name, and its instructions. */
export interface DockerStage {
  readonly image: string;
  readonly name: string | null;
  readonly instructions: readonly DockerInstruction[];
}

/** Splits a Dockerfile into stages; ARGs before the first FROM are substituted into FROM lines. */
export function parseDockerfile(text: string): DockerStage[] {
  const joined: DockerInstruction[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) return;
    if (pending !== '' && line.startsWith('#')) return;
    if (pending === '') startLine = i + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = pending + line;
    pending = '';
    const m = /^(\S+)\s*(.*)$/.exec(full);
    if (m !== null) joined.push({ keyword: (m[1] ?? '').toUpperCase(), args: m[2] ?? '', line: startLine });
  });
  const args = new Map<string, string>();
  const stages: { image: string; name: string | null; instructions: DockerInstruction[] }[] = [];
  for (const ins of joined) {
    if (ins.keyword === 'ARG' && stages.length === 0) {
      const [k, v] = ins.args.split('=');
      if (k !== undefined && v !== undefined) args.set(k.trim(), v.trim());
    } else if (ins.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args);
      const image = (m?.[1] ?? '').replace(/\$\{?(\w+)\}?/g, (_, k: string) => args.get(k) ?? '');
      stages.push({ image, name: m?.[2] ?? null, instructions: [] });
    } else {
      stages[stages.length - 1]?.instructions.push(ins);
    }
  }
  return stages;
}

/** The argument words of an exec-form instruction (`["mcns", "status"]`) or a shell-form one split on spaces. */
export function commandWords(args: string): string[] {
  const t = args.trim();
  if (t.startsWith('[')) return JSON.parse(t) as string[];
  return t.split(/\s+/);
}

/** Whether .dockerignore patterns exclude a context path (prefix, `*`, `**`, and `!` exceptions). */
export function dockerIgnored(patterns: readonly string[], path: string): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const p = raw.trim();
    if (p === '' || p.startsWith('#')) continue;
    const negate = p.startsWith('!');
    const glob = (negate ? p.slice(1) : p).replace(/^\/+/, '').replace(/\/+$/, '');
    const re = new RegExp(`^${glob.split('**/').map((part) => part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('(?:.*/)?')}(?:/.*)?$`);
    if (re.test(path)) ignored = !negate;
  }
  return ignored;
}

/** A unit file: section name -> key -> every value given (keys may repeat). */
export type UnitFile = ReadonlyMap<string, ReadonlyMap<string, readonly string[]>>;

/** Parses a systemd unit file (comments, sections, repeated keys; no line continuations). */
export function parseUnitFile(text: string): UnitFile {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const section = /^\[(.+)\]$/.exec(line);
    if (section !== null) {
      current = new Map();
      sections.set(section[1] ?? '', current);
      return;
    }
    const kv = /^([A-Za-z0-9]+)=(.*)$/.exec(line);
    if (kv === null || current === null) throw new Error(`unit file line ${i + 1}: "${line}" is not Key=value in a section`);
    const key = kv[1] ?? '';
    current.set(key, [...(current.get(key) ?? []), (kv[2] ?? '').trim()]);
  });
  return sections;
}

/** Milliseconds of "45s", "2min", "500ms", "1m30s" or a bare number of seconds. */
export function durationMs(text: string): number {
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = t;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)\s*(ms|sec|s|min|m|h)\s*/.exec(rest);
    if (m === null) throw new Error(`not a duration: "${text}"`);
    total += Number(m[1]) * (units[m[2] ?? 's'] ?? 1000);
    rest = rest.slice(m[0].length);
  }
  return total;
}
