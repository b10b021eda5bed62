// Reads docs/RUNBOOK.md into its headings and fenced code blocks, with the
// directive comment that may precede a block (the convention the runbook states
// in "How this runbook is tested"):
//
//   <!-- runnable -->                               run it; exit code 0
//   <!-- runnable: expect "ok" expect "NOERROR" --> and each string in stdout+stderr
//   <!-- runnable: exit 5 expect "in use" -->       this exit code instead of 0
//   <!-- runnable: timeout 60 -->                   seconds (default 30)
//   <!-- harness: stop|start|restart -->            the test stops, starts or restarts
//                                                   its own instance in place of the
//                                                   block (systemctl, docker compose)
//   <!-- harness: variables -->                     the variables the test sets

/** What the test does with a fenced block. */
export type BlockMode = 'show' | 'run' | 'harness-stop' | 'harness-start' | 'harness-restart' | 'variables';

/** One fenced code block of the runbook. */
export interface RunbookBlock {
  /** The headings above it, outermost first ("Incident playbooks", "Database corruption"). */
  readonly headings: readonly string[];
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string ("sh", "text", ...). */
  readonly lang: string;
  readonly code: string;
  readonly mode: BlockMode;
  /** Strings that must appear in the output of a run block. */
  readonly expects: readonly string[];
  /** The exit code a run block must end with. */
  readonly exitCode: number;
  /** Seconds a run block may take. */
  readonly timeoutSeconds: number;
}

/** A heading and where it is. */
export interface RunbookHeading {
  readonly level: number;
  readonly text: string;
  readonly line: number;
}

/** The runbook as the test sees it. */
export interface ParsedRunbook {
  readonly headings: readonly RunbookHeading[];
  readonly blocks: readonly RunbookBlock[];
  /** Inline code spans outside fenced blocks (`mcns status`). */
  readonly inlineCode: readonly string[];
}

const DEFAULT_TIMEOUT_SECONDS = 30;

/** Parses the directive text after "runnable:" into expectations; throws on anything it does not know. */
function parseRunnable(args: string, line: number): { expects: string[]; exitCode: number; timeoutSeconds: number } {
  const expects: string[] = [];
  let exitCode = 0;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  const token = /\s*(?:expect\s+"((?:[^"\\]|\\.)*)"|exit\s+(\d+)|timeout\s+(\d+))\s*/y;
  let at = 0;
  while (at < args.length) {
    token.lastIndex = at;
    const m = token.exec(args);
    if (m === null) throw new Error(`RUNBOOK.md:${line}: cannot read the directive at "${args.slice(at)}"`);
    if (m[1] !== undefined) expects.push(m[1].replace(/\\(.)/g, '$1'));
    if (m[2] !== undefined) exitCode = Number(m[2]);
    if (m[3] !== undefined) timeoutSeconds = Number(m[3]);
    at = token.lastIndex;
  }
  return { expects, exitCode, timeoutSeconds };
}

/** Splits the runbook into headings, fenced blocks (with their directives) and inline code. */
export function parseRunbook(text: string): ParsedRunbook {
  const lines = text.split('\n');
  const headings: RunbookHeading[] = [];
  const blocks: RunbookBlock[] = [];
  const inlineCode: string[] = [];
  const stack: RunbookHeading[] = [];
  let directive: { text: string; line: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const fence = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)\s*$/.exec(raw);
    if (fence !== null) {
      const indent = fence[1]?.length ?? 0;
      const marker = fence[2] ?? '```';
      const start = i + 1;
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith(marker)) {
        body.push((lines[i] ?? '').slice(Math.min(indent, /^\s*/.exec(lines[i] ?? '')?.[0].length ?? 0)));
        i++;
      }
      if (i >= lines.length) throw new Error(`RUNBOOK.md:${start}: code block never closed`);
      let mode: BlockMode = 'show';
      let expects: string[] = [];
      let exitCode = 0;
      let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
      if (directive !== null) {
        const d = /^(runnable|harness)(?::\s*(.*))?$/.exec(directive.text);
        if (d === null) throw new Error(`RUNBOOK.md:${directive.line}: unknown directive "${directive.text}"`);
        if (d[1] === 'runnable') {
          mode = 'run';
          ({ expects, exitCode, timeoutSeconds } = parseRunnable(d[2] ?? '', directive.line));
        } else if (d[2] === 'stop' || d[2] === 'start' || d[2] === 'restart') {
          mode = `harness-${d[2]}`;
        } else if (d[2] === 'variables') {
          mode = 'variables';
        } else {
          throw new Error(`RUNBOOK.md:${directive.line}: harness takes stop, start, restart or variables, not "${d[2] ?? ''}"`);
        }
        directive = null;
      }
      blocks.push({ headings: stack.map((h) => h.text), line: start, lang: fence[3] ?? '', code: body.join('\n'), mode, expects, exitCode, timeoutSeconds });
      continue;
    }
    const comment = /^\s*<!--\s*((?:runnable|harness)\b.*?)\s*-->\s*$/.exec(raw);
    if (comment !== null) {
      directive = { text: comment[1] ?? '', line: i + 1 };
      continue;
    }
    if (directive !== null && raw.trim() !== '') {
      throw new Error(`RUNBOOK.md:${directive.line}: a directive must come right before a code block`);
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading !== null) {
      const h = { level: heading[1]?.length ?? 1, text: heading[2] ?? '', line: i + 1 };
      while (stack.length > 0 && (stack[stack.length - 1]?.level ?? 0) >= h.level) stack.pop();
      stack.push(h);
      headings.push(h);
      continue;
    }
    for (const m of raw.matchAll(/`([^`]+)`/g)) inlineCode.push(m[1] ?? '');
  }
  if (directive !== null) throw new Error(`RUNBOOK.md:${directive.line}: directive with no code block after it`);
  return { headings, blocks, inlineCode };
}
