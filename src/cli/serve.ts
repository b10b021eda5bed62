// mcns serve: run the DNS server and the management API until SIGTERM or SIGINT;
// SIGHUP reloads zones, the API certificate and the [log] table.
//
//   starting --> serving --(SIGTERM | SIGINT)--> draining (up to [server] shutdown_timeout) --> exit 0
//                  |  ^                              |
//                SIGHUP: reload                  SIGTERM | SIGINT again --> exit 143 | 130 at once
import { loadConfig, type Config } from '../config/index.js';
import { createLogger, setLogLevel, type Logger } from '../log/index.js';
import { startServer, type RunningServer } from '../main.js';
import { nameFromText, nameLower, nameToText, type Name } from '../wire/index.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-code.js';

/** Options of `serve`. */
export interface ServeOptions {
  readonly config?: string;
}

/** Exit codes of a forced exit: 128 plus the signal's number, as a shell reports a process killed by it. */
const FORCED_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/**
 * Starts the server, prints each address, the API's URL (and the CA to trust when
 * the certificate is self-signed) and a dig command to try, and waits for a signal:
 * SIGTERM or SIGINT drain and close the API, the transports and the database and
 * exit 0 (a second one exits at once, 143 or 130); SIGHUP reloads the zones whose
 * serial changed in the database, the API's certificate and key, and the config
 * file's [log] table (level, query log).
 */
export async function serve(options: ServeOptions, io: CliIo): Promise<number> {
  const config = loadConfig({ path: options.config, cwd: io.cwd });
  const logger = createLogger({ level: config.log.level, sink: io.stderr });
  // Registered before the (possibly long) start: SIGHUP's default action would kill the process.
  let running: RunningServer | null = null;
  let stopping = false;
  // The query log reopens asynchronously; shutdown waits for the last reopen.
  let reopening: Promise<void> = Promise.resolve();
  let logSettings = config.log;
  const reload = (): void => {
    if (running === null) {
      logger.warn('SIGHUP while starting: ignored; zones are being loaded now');
      return;
    }
    if (stopping) {
      logger.warn('SIGHUP while shutting down: ignored');
      return;
    }
    try {
      logger.info({ ...running.reload() }, 'SIGHUP: zones reloaded from the database');
    } catch (err) {
      logger.error({ err }, 'SIGHUP: reload failed; still serving the zones loaded before');
    }
    // A swapped or refused pair is logged by the TLS material; a refused one leaves the old in use.
    if (running.reloadTls().outcome === 'unchanged') logger.info('SIGHUP: API certificate unchanged');
    const server = running;
    const log = reloadLogConfig(config, logSettings, io.cwd, logger);
    logSettings = log;
    reopening = reopening.then(() => server.reopenQueryLog(log)).catch((err: unknown) => {
      logger.error({ err }, 'SIGHUP: query log not reopened; it is off until the next SIGHUP');
    });
  };
  // The first SIGTERM or SIGINT starts the drain (once started, when it comes during the
  // start); the next one ends the process at once.
  let first: ((name: keyof typeof FORCED_EXIT) => void) | null = null;
  let forced = (code: number): void => io.exit?.(code);
  const firstSignal = new Promise<keyof typeof FORCED_EXIT>((resolve) => {
    first = resolve;
  });
  const onSignal = (name: keyof typeof FORCED_EXIT) => (): void => {
    if (!stopping) {
      stopping = true;
      first?.(name);
      return;
    }
    logger.warn({ signal: name }, 'second signal: exiting now; work in flight is cut, the database is left as after a crash');
    forced(FORCED_EXIT[name]);
  };
  const onTerm = onSignal('SIGTERM');
  const onInt = onSignal('SIGINT');
  io.signals.on('SIGHUP', reload);
  io.signals.on('SIGTERM', onTerm);
  io.signals.on('SIGINT', onInt);
  try {
    running = await startServer(config, { logger });
  } catch (err) {
    io.signals.off('SIGHUP', reload);
    io.signals.off('SIGTERM', onTerm);
    io.signals.off('SIGINT', onInt);
    throw err;
  }
  for (const address of running.listening) io.stdout.write(`mcns: serving DNS on ${address} (udp, tcp)\n`);
  io.stdout.write(`mcns: management API on ${running.api.restUrl} (REST) and ${running.api.grpcAddress} (gRPC)\n`);
  if (running.api.caPath !== null) {
    io.stdout.write(`mcns: REST and gRPC use a self-signed certificate; trust it with --ca-cert ${running.api.caPath}\n`);
  }
  const hint = tryCommand(running);
  io.stdout.write(hint === null ? 'mcns: no zones yet; add one with "mcns zone import NAME FILE" and send SIGHUP\n' : `try: ${hint}\n`);

  const signal = await firstSignal;
  logger.info({ signal, timeoutMs: config.server.shutdownTimeoutMs }, 'shutting down: draining');
  const server = running;
  const outcome = await new Promise<number | Awaited<ReturnType<RunningServer['close']>>>((resolve, reject) => {
    forced = (code) => {
      io.exit?.(code);
      resolve(code); // no exit in-process (tests): return the code
    };
    reopening.then(() => server.close()).then(resolve, reject);
  }).finally(() => {
    io.signals.off('SIGTERM', onTerm);
    io.signals.off('SIGINT', onInt);
    io.signals.off('SIGHUP', reload);
  });
  if (typeof outcome === 'number') return outcome;
  const { ms, ...cut } = outcome;
  const anyCut = cut.rest + cut.grpc + cut.dnsTcp + cut.dnsUdp > 0;
  if (anyCut) logger.warn({ ms, cut }, 'stopped: shutdown_timeout ran out; connections cut');
  else logger.info({ ms, cut }, 'stopped: drained');
  return ExitCode.OK;
}

/**
 * SIGHUP: reads the config file again and applies [log] level (the query log is
 * reopened by the caller); other tables need a restart, so a change to one is
 * named in a warning. Returns the [log] table to use from now on (`current` when
 * the file cannot be read or is invalid).
 */
function reloadLogConfig(started: Config, current: Config['log'], cwd: string, logger: Logger): Config['log'] {
  if (started.source === null) return current;
  let next: Config;
  try {
    next = loadConfig({ path: started.source, cwd });
  } catch (err) {
    logger.error({ err }, 'SIGHUP: config not reloaded; the log settings stay as they were');
    return current;
  }
  if (next.log.level !== logger.level) {
    logger.info({ from: logger.level, to: next.log.level }, 'SIGHUP: log level changed');
    setLogLevel(logger, next.log.level);
  }
  const changed = (Object.keys(next) as (keyof Config)[])
    .filter((table) => table !== 'source' && table !== 'log' && JSON.stringify(next[table]) !== JSON.stringify(started[table]));
  if (changed.length > 0) logger.warn({ tables: changed }, 'SIGHUP: these tables changed in the config file and need a restart');
  return next.log;
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
