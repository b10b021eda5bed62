// mcns cache flush [NAME] [--subtree]: drops forwarded answers from the running
// server's cache through the API (admin token): what `rec_control wipe-cache
// <fqdn>$` does for a recursor when a cached NXDOMAIN outlives a new record (seed 004).
import type { RemoteOptions } from './api-client.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { withApiClient } from './with-api-client.js';

/** Options of `cache flush`. */
export interface CacheFlushOptions extends RemoteOptions {
  readonly subtree?: boolean;
  readonly json?: boolean;
}

/** Flushes NAME's entries, NAME and everything below it (--subtree), or the whole cache (no NAME); prints how many went. */
export async function cacheFlush(name: string | undefined, options: CacheFlushOptions, io: CliIo): Promise<number> {
  const subtree = options.subtree === true;
  // A subtree flush without its top would silently empty everything: say so instead.
  if (subtree && name === undefined) throw new CliError('USAGE', '--subtree needs a NAME (without NAME the whole cache is flushed)');
  const { flushed } = await withApiClient(options, io, (api) =>
    api.call('flushCache', name === undefined ? {} : { name, subtree }));
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify({ flushed }, null, 2)}\n`);
    return ExitCode.OK;
  }
  const what = name === undefined ? 'the whole cache' : subtree ? `${absolute(name)} and below` : absolute(name);
  io.stdout.write(`flushed ${flushed} ${flushed === 1 ? 'entry' : 'entries'}: ${what}\n`);
  return ExitCode.OK;
}

/** The name as the server reads it: always absolute. */
function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}
