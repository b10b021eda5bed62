// mcns token create --name N --role R [--zone Z]... [--ttl 30d]: a new API token,
// through the API (admin token), or with --config straight into the database
// (how the first admin token is made, before any token exists).
import { loadConfig } from '../config/index.js';
import type { CreatedToken, Role } from '../service/index.js';
import { openStore, TokenStore } from '../store/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';
import { parseDurationArgument } from './record-arguments.js';
import { isLocalRun, withApiClient, type LocalOrRemoteOptions } from './with-api-client.js';
import { parseZoneNameArgument } from './zone-name-argument.js';
import { nameToText } from '../wire/index.js';

/** Options of `token create`. */
export interface TokenCreateOptions extends LocalOrRemoteOptions {
  readonly name: string;
  readonly role: string;
  readonly zone?: readonly string[];
  readonly ttl?: string;
  readonly json?: boolean;
}

const ROLES: readonly Role[] = ['admin', 'editor', 'viewer'];

/**
 * Creates the token. The token itself (`mcns_<id>_<secret>`) is the only line on
 * stdout, so `MCNS_TOKEN=$(mcns token create ...)` works; what it may do goes to
 * stderr. --json prints `{"token": {...}, "secret": "mcns_..."}`.
 */
export async function tokenCreate(options: TokenCreateOptions, io: CliIo): Promise<number> {
  const role = options.role as Role;
  if (!ROLES.includes(role)) throw new CliError('USAGE', `role "${options.role}" is not one of admin, editor, viewer`);
  const input = {
    name: options.name,
    role,
    zones: options.zone === undefined || options.zone.length === 0 ? null : options.zone.map((z) => nameToText(parseZoneNameArgument(z))),
    ...(options.ttl === undefined ? {} : { ttlSeconds: parseDurationArgument(options.ttl) }),
  };
  let created: CreatedToken;
  if (isLocalRun(options, 'token create')) {
    const config = loadConfig({ path: options.config, cwd: io.cwd });
    const store = openStore(config.database.path);
    try {
      created = new TokenStore(store).create(input, new Date());
    } finally {
      store.close();
    }
  } else {
    created = await withApiClient(options, io, (api) => api.call('createToken', input));
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
    return ExitCode.OK;
  }
  const t = created.token;
  io.stdout.write(`${created.secret}\n`);
  const zones = t.zones === null ? 'every zone' : t.zones.join(', ');
  io.stderr.write(`token "${t.name}" (id ${t.id}) created: ${t.role} of ${zones}, ${t.expiresAt === null ? 'no expiry' : `expires ${t.expiresAt}`}\n`);
  io.stderr.write('this is the only time the token is shown: keep it now (e.g. export MCNS_TOKEN=...)\n');
  return ExitCode.OK;
}
