// The server's side of server-request.ts: look for a request file every
// `pollMs`, take it, run it, write the response. One request at a time.
import type { Logger } from '../log/index.js';
import type { BackupLayout } from './backup-layout.js';
import { takeRequestFile, writeResponseFile, type ServerRequest, type ServerResponse } from './server-request.js';

/** What a request is turned into: the response without its id. */
export type RequestHandler = (request: ServerRequest) => Promise<Omit<ServerResponse, 'id'>>;

/** The watcher; close() stops it and waits for a request in progress. */
export interface RequestWatcher {
  close(): Promise<void>;
}

/** Starts watching for `layout.request` (the timer does not keep the process alive). */
export function watchRequests(layout: BackupLayout, handle: RequestHandler, pollMs: number, log: Logger): RequestWatcher {
  let running: Promise<void> | null = null;
  const tick = (): void => {
    if (running !== null) return;
    const request = takeRequestFile(layout.request);
    if (request === null) return;
    if (request === 'unreadable') {
      log.warn({ file: layout.request }, 'request file does not parse; removed');
      return;
    }
    log.info({ kind: request.kind, by: request.requestedBy }, 'request from the command line');
    running = handle(request)
      .then((response) => writeResponseFile(layout.response, { ...response, id: request.id }))
      .catch((err: unknown) => log.error({ err, kind: request.kind }, 'request failed and could not be answered'))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, pollMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
