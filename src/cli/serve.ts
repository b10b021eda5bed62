// mcns serve: run the DNS server and the management API until SIGTERM or SIGINT;
// SIGHUP reloads zones and the API certificate.
import { loadConfig } from '../config/index.js';
import { createLogger } from '../log/index.js';
import { startServer, type RunningServer } from '../main.js';
import { nameFromText, nameLower, nameToText, type Name } from '../wire/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';

/** Options of `serve`. */
export interface ServeOptions {
  readonly config?: string;
}

/**
 * Starts the server, prints each address, the API's URL (and the CA to trust when
 * the certificate is self-signed) and a dig command to try, and waits for a signal:
 * SIGTERM or SIGINT close the API, the transports and the database and exit 0;
 * SIGHUP reloads the zones whose serial changed in the database and the API's
 * certificate and key.
 */
export async function serve(options: ServeOptions, io: CliIo): Promise<number> {
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const logger = createLogger({ level: config.log.level, sink: io.stderr });
  // Registered before the (possibly long) start: SIGHUP's default action would kill the process.
  let running: RunningServer | null = null;
  const reload = (): void => {
    if (running === null) {
      logger.warn('SIGHUP while starting: ignored; zones are being loaded now');
      return;
    }
    try {
      logger.info({ ...running.reload() }, 'SIGHUP: zones reloaded from the database');
    } catch (err) {
      logger.error({ err }, 'SIGHUP: reload failed; still serving the zones loaded before');
    }
    // A swapped or refused pair is logged by the TLS material; a refused one leaves the old in use.
    if (running.reloadTls().outcome === 'unchanged') logger.info('SIGHUP: API certificate unchanged');
  };
  io.signals.on('SIGHUP', reload);
  try {
    running = await startServer(config, { logger });
  } catch (err) {
    io.signals.off('SIGHUP', reload);
    throw err;
  }
  for (const address of running.listening) io.stdout.write(`mcns: serving DNS on ${address} (udp, tcp)\n`);
  io.stdout.write(`mcns: management API on ${running.api.restUrl} (REST) and ${running.api.grpcAddress} (gRPC)\n`);
  if (running.api.caPath !== null) {
    io.stdout.write(`mcns: REST and gRPC use a self-signed certificate; trust it with --ca-cert ${running.api.caPath}\n`);
  }
  const hint = tryCommand(running);
  io.stdout.write(hint === null ? 'mcns: no zones yet; add one with "mcns zone import NAME FILE" and send SIGHUP\n' : `try: ${hint}\n`);

  const signal = await new Promise<string>((resolve) => {
    const stop = (name: string) => (): void => {
      io.signals.off('SIGTERM', onTerm);
      io.signals.off('SIGINT', onInt);
      io.signals.off('SIGHUP', reload);
      resolve(name);
    };
    const onTerm = stop('SIGTERM');
    const onInt = stop('SIGINT');
    io.signals.on('SIGTERM', onTerm);
    io.signals.on('SIGINT', onInt);
  });
  logger.info({ signal }, 'shutting down');
  await running.close();
  logger.info('stopped');
  return ExitCode.OK;
}

/** "dig @127.0.0.1 -p 5300 www.example.com A" for the first address and zone (www when it exists, else SOA). */
function tryCommand(running: RunningServer): string | null {
  const address = running.listening[0];
  const zone = running.zones.list()[0];
  if (address === undefined || zone === undefined) return null;
  const colon = address.lastIndexOf(':');
  let host = address.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  if (host === '0.0.0.0') host = '127.0.0.1';
  if (host === '::') host = '::1';
  const port = address.slice(colon + 1);
  const www = nameLower(nameFromText('www', zone.origin));
  const [name, type] = zone.nodes.has(www) ? [www, 'A'] : [zone.origin, 'SOA'];
  return `dig @${host} -p ${port} ${nameToText(name as Name).replace(/\.$/, '')} ${type}`;
}
