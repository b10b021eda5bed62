// mcns token list: every API token (never a secret), through the API (admin
// token) or with --config straight from the database.
import { loadConfig } from '../config/index.js';
import type { TokenView } from '../service/index.js';
import { openStore, TokenStore } from '../store/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { formatTable } from './format-table.js';
import { isLocalRun, withApiClient, type LocalOrRemoteOptions } from './with-api-client.js';

/** Options of `token list`. */
export interface TokenListOptions extends LocalOrRemoteOptions {
  readonly json?: boolean;
}

/** Prints ID, NAME, ROLE, ZONES, CREATED, EXPIRES, REVOKED, LAST USED; --json prints TokenView objects. */
export async function tokenList(options: TokenListOptions, io: CliIo): Promise<number> {
  let tokens: readonly TokenView[];
  if (isLocalRun(options, 'token list')) {
    const store = openStore(loadConfig({ path: options.config, cwd: io.cwd }).database.path);
    try {
      tokens = new TokenStore(store).list();
    } finally {
      store.close();
    }
  } else {
    tokens = await withApiClient(options, io, (api) => api.collect('listTokens', {}));
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(tokens, null, 2)}\n`);
    return ExitCode.OK;
  }
  const rows = [['ID', 'NAME', 'ROLE', 'ZONES', 'CREATED', 'EXPIRES', 'REVOKED', 'LAST USED']];
  for (const t of tokens) {
    rows.push([t.id, t.name, t.role, t.zones === null ? '*' : t.zones.join(','), t.createdAt, t.expiresAt ?? '-', t.revokedAt ?? '-', t.lastUsedAt ?? '-']);
  }
  io.stdout.write(formatTable(rows));
  return ExitCode.OK;
}
