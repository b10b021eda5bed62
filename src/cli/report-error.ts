// How a failed command ends: one line for the operator (a few more when a zone
// has several problems), a stack trace only for bugs, and the exit code.
import type { CliIo } from './cli-io.js';
import { exitCodeFor, isExpectedError, type ExitCode } from './exit-code.js';

/** Writes the error to stderr (with `json`, as `{"error":{"code","message","field"}}`) and returns the exit code for it. */
export function reportError(err: unknown, io: CliIo, json = false): ExitCode {
  if (json) {
    const e = err as { code?: unknown; message?: unknown; field?: unknown } | null;
    const body = {
      code: isExpectedError(err) ? err.code : 'INTERNAL',
      message: typeof e?.message === 'string' ? e.message : String(err),
      ...(typeof e?.field === 'string' ? { field: e.field } : {}),
    };
    io.stderr.write(`${JSON.stringify({ error: body })}\n`);
    return exitCodeFor(err);
  }
  if (isExpectedError(err)) {
    const prefix = err.code === 'CONFIG' ? 'config error' : 'error';
    const field = (err as { field?: unknown }).field;
    let text = `${prefix}: ${err.message}${typeof field === 'string' && !err.message.includes(field) ? ` (field ${field})` : ''}\n`;
    const problems = (err as { problems?: unknown }).problems;
    if (Array.isArray(problems) && problems.length > 1) {
      for (const problem of problems) text += `  ${String(problem)}\n`;
    }
    io.stderr.write(text);
    return exitCodeFor(err);
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`error: ${message}\n`);
  if (io.env['MCNS_DEBUG'] !== undefined && err instanceof Error && err.stack !== undefined) {
    io.stderr.write(`${err.stack}\n`);
  } else {
    io.stderr.write('  (this is a bug or an unexpected system error; run with MCNS_DEBUG=1 for the stack trace)\n');
  }
  return exitCodeFor(err);
}
