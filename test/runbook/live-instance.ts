// A real `mcns serve` for the runbook test, started from the production config
// (deploy/mcns.production.toml) moved into a temporary directory: /var/lib/mcns
// and /etc/mcns become <dir>/data and <dir>/etc, every listener becomes
// 127.0.0.1 on a free port. Unlike test/helpers/start-mcns.ts it can be stopped
// and started again on the same directory, as the runbook's procedures do.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse as parseToml, stringify as stringifyToml } from 'smol-toml';
import { loadConfig, listenAddressText, type Config } from '../../src/config/index.js';
import { freePort } from '../helpers/free-port.js';
import { MCNS_BIN, runMcns } from '../helpers/start-mcns.js';

/** The production paths and what they become. */
const PRODUCTION_DATA = '/var/lib/mcns';
const PRODUCTION_ETC = '/etc/mcns';

/** A mcns process that can be stopped and started again on the same files. */
export interface LiveInstance {
  /** The temporary directory holding etc/, data/, work/ and bin/. */
  readonly dir: string;
  /** The config the instance runs with. */
  readonly config: Config;
  readonly configPath: string;
  /** A directory with an `mcns` launcher, to put first on PATH. */
  readonly binDir: string;
  /** The runbook's variables for this instance (MCNS_PID changes on each start). */
  variables(): Record<string, string>;
  /** The process id, or null when stopped. */
  pid(): number | null;
  /** Starts it unless it runs; resolves once `GET /v1/ready` answers 200. */
  start(): Promise<void>;
  /** SIGTERM by pid unless stopped; resolves once it exited (SIGKILL after 15 s). */
  stop(): Promise<void>;
  /** Everything every run wrote on stdout and stderr. */
  logs(): string;
  /** Stops it and removes the directory. */
  close(): Promise<void>;
}

/** What the instance is made from. */
export interface LiveInstanceOptions {
  /** The production config file to rewrite. */
  readonly productionConfig: string;
  /** Zone origin and file imported before the first start. */
  readonly zone: string;
  readonly zoneFile: string;
  /** Keys set after the production config is moved, by table (e.g. a [forward] upstream of the test's own). */
  readonly overrides?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Budget for each start. */
  readonly readyTimeoutMs?: number;
}

/** Rewrites every production path and listener address of a parsed TOML document. */
async function relocate(value: unknown, dirs: { data: string; etc: string }, ports: Map<string, number>): Promise<unknown> {
  if (typeof value === 'string') {
    if (value === PRODUCTION_DATA || value.startsWith(`${PRODUCTION_DATA}/`)) return dirs.data + value.slice(PRODUCTION_DATA.length);
    if (value === PRODUCTION_ETC || value.startsWith(`${PRODUCTION_ETC}/`)) return dirs.etc + value.slice(PRODUCTION_ETC.length);
    const addr = /^(?:0\.0\.0\.0|\[::\]|127\.0\.0\.1|\[::1\]|localhost):(\d+)$/.exec(value);
    if (addr !== null) {
      const original = addr[1] ?? '';
      let port = ports.get(original);
      if (port === undefined) {
        port = await freePort();
        ports.set(original, port);
      }
      return `127.0.0.1:${port}`;
    }
    return value;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const v of value) out.push(await relocate(v, dirs, ports));
    return [...new Set(out)];
  }
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await relocate(v, dirs, ports);
    return out;
  }
  return value;
}

/** GET /v1/ready with the instance's CA; the status, or 0 without an answer. */
function ready(config: Config, caFile: string): Promise<number> {
  let ca: Buffer;
  try {
    ca = readFileSync(caFile);
  } catch {
    return Promise.resolve(0);
  }
  return new Promise((done) => {
    const req = httpsRequest({ host: '127.0.0.1', port: config.api.restAddr.port, path: '/v1/ready', ca, timeout: 1_000 }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => done(0));
    req.end();
  });
}

/** Makes the directory and config, imports the zone, and makes an admin token; does not start the server. */
export async function createLiveInstance(opts: LiveInstanceOptions): Promise<LiveInstance> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-runbook-'));
  try {
    return await prepare(dir, opts);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function prepare(dir: string, opts: LiveInstanceOptions): Promise<LiveInstance> {
  const dirs = { data: join(dir, 'data'), etc: join(dir, 'etc') };
  const work = join(dir, 'work');
  const binDir = join(dir, 'bin');
  for (const d of [dirs.data, dirs.etc, work, binDir]) mkdirSync(d, { recursive: true });
  writeFileSync(join(binDir, 'mcns'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(MCNS_BIN)} "$@"\n`);
  chmodSync(join(binDir, 'mcns'), 0o755);

  const doc = (await relocate(parseToml(readFileSync(opts.productionConfig, 'utf8')), dirs, new Map())) as Record<string, Record<string, unknown>>;
  for (const [table, keys] of Object.entries(opts.overrides ?? {})) doc[table] = { ...(doc[table] ?? {}), ...keys };
  const configPath = join(dirs.etc, 'mcns.toml');
  writeFileSync(configPath, stringifyToml(doc));
  const config = loadConfig({ path: configPath, cwd: work });
  const data = dirname(config.database.path);
  const dnsPort = config.dns.listen[0]?.port ?? 0;

  const imported = await runMcns(['zone', 'import', opts.zone, opts.zoneFile, '--config', configPath], work);
  if (imported.code !== 0) throw new Error(`mcns zone import failed (exit ${imported.code}): ${imported.stderr}`);
  const token = await runMcns(['token', 'create', '--config', configPath, '--name', 'runbook-test', '--role', 'admin'], work);
  if (token.code !== 0) throw new Error(`mcns token create failed (exit ${token.code}): ${token.stderr}`);

  const chunks: string[] = [];
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const stop = async (): Promise<void> => {
    const running = child;
    if (running === null) return;
    const pid = running.pid;
    if (pid !== undefined && running.exitCode === null && running.signalCode === null) {
      process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => {
        if (running.exitCode === null && running.signalCode === null) process.kill(pid, 'SIGKILL');
      }, 15_000);
      await exited;
      clearTimeout(killer);
    }
    child = null;
  };

  const start = async (): Promise<void> => {
    if (child !== null) return;
    const c = spawn(process.execPath, [MCNS_BIN, 'serve', '--config', configPath], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
    c.stdout?.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
    c.stderr?.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
    exited = new Promise((done) => c.once('exit', () => done()));
    child = c;
    const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
    for (;;) {
      if (c.exitCode !== null || c.signalCode !== null) {
        child = null;
        throw new Error(`mcns serve exited (${c.exitCode ?? c.signalCode}) before it was ready:\n${chunks.join('')}`);
      }
      if ((await ready(config, join(data, 'tls', 'ca.pem'))) === 200) return;
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`mcns serve was not ready within ${opts.readyTimeoutMs ?? 30_000} ms:\n${chunks.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  return {
    dir,
    config,
    configPath,
    binDir,
    variables: () => ({
      MCNS_CONFIG: configPath,
      MCNS_DATA: data,
      MCNS_ADDR: `https://${listenAddressText(config.api.restAddr)}`,
      MCNS_GRPC_ADDR: `https://${listenAddressText(config.api.grpcAddr)}`,
      MCNS_METRICS: config.metrics.listen === null ? '' : `http://${listenAddressText(config.metrics.listen)}`,
      MCNS_CA_CERT: join(data, 'tls', 'ca.pem'),
      MCNS_TOKEN: token.stdout.trim(),
      PORT: String(dnsPort),
      ZONE: opts.zone,
      MCNS_PID: String(child?.pid ?? ''),
    }),
    pid: () => child?.pid ?? null,
    start,
    stop,
    logs: () => chunks.join(''),
    close: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
