// How `mcns restore` and `mcns replay` reach a running server: a request file
// beside the database (<db>.request.json), created atomically and only when none
// is pending, and a response file (<db>.response.json) the server writes back.
// Whoever can write that directory can already write the database itself, so
// the files give no one a power they did not have; and they need no token, no
// network and no PID.
import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';

/** What the CLI asks of the server. */
export type ServerRequest =
  | { readonly id: string; readonly kind: 'restore'; readonly file: string; readonly prepared: string; readonly requestedBy: string; readonly time: string }
  | { readonly id: string; readonly kind: 'replay'; readonly files: readonly string[]; readonly requestedBy: string; readonly time: string };

/** The server's answer. */
export interface ServerResponse {
  /** The request's id. */
  readonly id: string;
  readonly ok: boolean;
  /** The error's code when not ok (OpsError, StoreError or INTERNAL). */
  readonly code: string | null;
  /** One line: what was done, or why not. */
  readonly message: string;
  /** Detail lines (zones replayed, problems). */
  readonly lines: readonly string[];
  /** The result of the operation when ok (RestoreResult or ReplayResult without snapshots). */
  readonly result: unknown;
}

/** Writes the request file unless one is there (false then); atomic: the server never reads half a request. */
export function writeRequestFile(path: string, request: ServerRequest): boolean {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(request)}\n`);
  try {
    linkSync(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    rmSync(temp, { force: true });
  }
}

/** Reads and removes the request file; null when there is none. A file that does not parse is removed and reported as null. */
export function takeRequestFile(path: string): ServerRequest | 'unreadable' | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  rmSync(path, { force: true });
  try {
    const raw = JSON.parse(text) as ServerRequest;
    if (typeof raw.id !== 'string' || (raw.kind !== 'restore' && raw.kind !== 'replay')) return 'unreadable';
    return raw;
  } catch {
    return 'unreadable';
  }
}

/** Writes the response file atomically (temp file, then rename). */
export function writeResponseFile(path: string, response: ServerResponse): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(response)}\n`);
  renameSync(temp, path);
}

/** Reads the response file when it answers request `id`, and removes it; null otherwise. */
export function takeResponseFile(path: string, id: string): ServerResponse | null {
  let response: ServerResponse;
  try {
    response = JSON.parse(readFileSync(path, 'utf8')) as ServerResponse;
  } catch {
    return null;
  }
  if (response.id !== id) return null;
  rmSync(path, { force: true });
  return response;
}
