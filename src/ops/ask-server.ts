// The CLI's side of server-request.ts: leave a request, wait for the answer.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { BackupLayout } from './backup-layout.js';
import { OpsError } from './ops-error.js';
import { takeResponseFile, writeRequestFile, type ServerRequest, type ServerResponse } from './server-request.js';

/** How long askServer waits. */
export interface AskOptions {
  /** Give up after this long (the request is withdrawn if still unread). */
  readonly timeoutMs: number;
  /** How often the response file is looked for. */
  readonly pollMs?: number;
}

type RequestBody = ServerRequest extends infer R ? R extends ServerRequest ? Omit<R, 'id'> : never : never;

/**
 * Leaves `request` for the server that has the database open and waits for its
 * response. UNAVAILABLE when another request is pending (and not stale) or when
 * no response comes in time.
 */
export async function askServer(layout: BackupLayout, request: RequestBody, options: AskOptions): Promise<ServerResponse> {
  const id = randomUUID();
  const full = { ...request, id } as ServerRequest;
  if (!writeRequestFile(layout.request, full)) {
    // A request older than the timeout has no one waiting for it any more.
    const age = Date.now() - statTime(layout.request);
    if (age < options.timeoutMs) {
      throw new OpsError('UNAVAILABLE', `another request to the server is pending (${layout.request}); try again when it is answered`);
    }
    rmSync(layout.request, { force: true });
    if (!writeRequestFile(layout.request, full)) throw new OpsError('UNAVAILABLE', `another request to the server is pending (${layout.request})`);
  }
  const pollMs = options.pollMs ?? 100;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const response = takeResponseFile(layout.response, id);
    if (response !== null) return response;
    if (Date.now() > deadline) {
      const unread = takeOwnRequest(layout.request, id);
      throw new OpsError('UNAVAILABLE', unread
        ? `the database ${layout.database} is in use, but no mcns serve took the request within ${Math.round(options.timeoutMs / 1000)} s ` +
          '(is the process that has it open an mcns serve of this version?); nothing was done'
        : `the server took the request but did not answer within ${Math.round(options.timeoutMs / 1000)} s; see its log for the outcome`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function statTime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Removes the request file if it is still ours (unread); true when it was. */
function takeOwnRequest(path: string, id: string): boolean {
  try {
    if ((JSON.parse(readFileSync(path, 'utf8')) as { id?: unknown }).id !== id) return false;
  } catch {
    return false;
  }
  rmSync(path, { force: true });
  return true;
}
