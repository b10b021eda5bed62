// mcns token revoke ID: the token stops working at once, through the API (admin
// token) or with --config straight in the database (e.g. a leaked admin token).
import { loadConfig } from '../config/index.js';
import { openStore, TokenStore } from '../store/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { isLocalRun, withApiClient, type LocalOrRemoteOptions } from './with-api-client.js';

/** Options of `token revoke`. */
export interface TokenRevokeOptions extends LocalOrRemoteOptions {
  readonly json?: boolean;
}

/** Revokes the token (NOT_FOUND, exit 3, for an unknown id). */
export async function tokenRevoke(id: string, options: TokenRevokeOptions, io: CliIo): Promise<number> {
  if (isLocalRun(options, 'token revoke')) {
    const store = openStore(loadConfig({ path: options.config, cwd: io.cwd }).database.path);
    try {
      new TokenStore(store).revoke(id, new Date());
    } finally {
      store.close();
    }
  } else {
    await withApiClient(options, io, (api) => api.call('revokeToken', { id }));
  }
  io.stdout.write(options.json === true ? `${JSON.stringify({ id, revoked: true }, null, 2)}\n` : `token ${id} revoked\n`);
  return ExitCode.OK;
}
