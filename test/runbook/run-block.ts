// Runs one runbook code block with bash as an operator's terminal would: strict
// mode, the variables of earlier blocks (kept in a state file between blocks),
// a time limit, stdout and stderr together.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/** How a block ended. */
export interface BlockResult {
  /** Exit code, or null when killed. */
  readonly code: number | null;
  /** stdout and stderr, interleaved as written. */
  readonly output: string;
  readonly timedOut: boolean;
}

/** Where and how a block runs. */
export interface RunBlockOptions {
  /** The whole environment of bash (nothing is inherited). */
  readonly env: Readonly<Record<string, string>>;
  /** Variables set after the state is read, so that they win over what earlier blocks exported. */
  readonly force: Readonly<Record<string, string>>;
  readonly cwd: string;
  /** File the exported variables are kept in between blocks. */
  readonly stateFile: string;
  /** File the script is written to. */
  readonly scriptFile: string;
  readonly timeoutMs: number;
}

/** Quotes a value for bash. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Runs `code` in `bash -euo pipefail` and resolves with its exit code and output; kills its process group on timeout. */
export function runBlock(code: string, opts: RunBlockOptions): Promise<BlockResult> {
  const state = shellQuote(opts.stateFile);
  const script = [
    'set -euo pipefail',
    `if [ -f ${state} ]; then source ${state}; fi`,
    ...Object.entries(opts.force).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `__save_state() { export -p | grep -Ev '^declare -x (PWD|OLDPWD|SHLVL|_)=' > ${state} || true; }`,
    'trap __save_state EXIT',
    code,
    '',
  ].join('\n');
  writeFileSync(opts.scriptFile, script);
  return new Promise((done) => {
    const child = spawn('bash', ['--noprofile', '--norc', opts.scriptFile], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const chunks: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, opts.timeoutMs);
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      done({ code: exitCode, output: chunks.join(''), timedOut });
    });
  });
}
