// Local or remote: a verb with --config works on the database directly; without
// it, the verb goes through the management API (--addr, MCNS_ADDR, or the default).
import { openApiClient, type ApiClient, type RemoteOptions } from './api-client.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** Options of a verb that has both a local (--config) and a remote form. */
export interface LocalOrRemoteOptions extends RemoteOptions {
  readonly config?: string;
}

/** True when the verb should open the database named by --config; --config with --addr or --token is a usage error. */
export function isLocalRun(options: LocalOrRemoteOptions, verb: string): boolean {
  if (options.config === undefined) return false;
  const remote = [options.addr === undefined ? '' : '--addr', options.token === undefined ? '' : '--token', options.caCert === undefined ? '' : '--ca-cert']
    .filter((flag) => flag !== '');
  if (remote.length > 0) {
    throw new CliError('USAGE', `"${verb}" with --config works on the database directly; ${remote.join(', ')} ${remote.length === 1 ? 'is' : 'are'} for the API: give one or the other`);
  }
  return true;
}

/** Opens an API client from the flags and environment, runs `use`, and closes the client whatever happens. */
export async function withApiClient<T>(options: RemoteOptions, io: CliIo, use: (api: ApiClient) => Promise<T>): Promise<T> {
  const api = openApiClient(options, io);
  try {
    return await use(api);
  } finally {
    await api.close();
  }
}
