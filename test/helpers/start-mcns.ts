// Starts a real mcns process for end-to-end tests: a temporary directory with a
// config (loopback IPv4 and IPv6 on a free port) and a database, zones imported
// with the real CLI, then `mcns serve`, ready once it answers a SOA query.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { buildQuery, decodeReply, queryUdp } from './dns-client.js';
import { freePort, hasIpv6Loopback } from './free-port.js';

/** The repository root (this file runs from dist/test/helpers/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The mcns launcher. */
export const MCNS_BIN = join(REPO_ROOT, 'bin', 'mcns.js');

/** What startMcns needs. */
export interface StartMcnsOptions {
  /** Zone files by origin ("example.com."), imported before the server starts. */
  readonly zones?: Readonly<Record<string, string>>;
  /** Extra lines under [dns], e.g. `tcp_idle_timeout = "1s"`. */
  readonly dnsConfig?: readonly string[];
  /** TOML appended to the config file (other tables). */
  readonly configExtra?: string;
  /** `[log] level`; "info" by default. */
  readonly logLevel?: string;
  /** Extra lines under [log], e.g. `query_log = "queries.jsonl"`. */
  readonly logConfig?: readonly string[];
  /** Budget for the process to answer its first query. */
  readonly readyTimeoutMs?: number;
  /**
   * Also serve the management API: REST and gRPC on free ports of 127.0.0.1 with
   * the self-signed CA mcns makes in <dir>/tls/; startMcns then waits for
   * GET /v1/ready to answer 200. Extra lines go under [api] (e.g. tls_cert).
   */
  readonly api?: boolean | { readonly config?: readonly string[] };
}

/** Where a started mcns serves its management API. */
export interface McnsApi {
  /** "https://127.0.0.1:PORT". */
  readonly restUrl: string;
  readonly grpcUrl: string;
  /** <dir>/tls/ca.pem and its PEM text (empty when tls_cert was configured). */
  readonly caCertPath: string;
  readonly caCert: string;
}

/** A running mcns process. */
export interface McnsProcess {
  /** The DNS port, the same on every address. */
  readonly port: number;
  /** Addresses it serves (127.0.0.1, and ::1 when the host has IPv6 loopback). */
  readonly hosts: readonly string[];
  readonly pid: number;
  readonly dir: string;
  readonly configPath: string;
  /** How the process ended, or null while it runs. */
  exit(): { code: number | null; signal: NodeJS.Signals | null } | null;
  /** Everything it wrote to stdout and stderr so far. */
  logs(): string;
  /** The management API, when started with `api`. */
  readonly api: McnsApi | null;
  /** Runs `mcns ARGS --config CONFIG` (another verb against the same database) and resolves with its output. */
  cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** SIGTERM by PID, SIGKILL after 10 s; removes the directory; resolves with how it ended. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Once this process has ended (and only then): `mcns serve` again on the same config, directory and ports, ready as startMcns's. */
  restart(): Promise<McnsProcess>;
}

/** Runs the mcns CLI with `args`. */
export function runMcns(args: readonly string[], cwd: string, timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [MCNS_BIN, ...args], { cwd, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1;
      done({ code, stdout, stderr });
    });
  });
}

function configText(dir: string, hosts: readonly string[], port: number, opts: StartMcnsOptions, api: ApiPorts | null): string {
  const listen = hosts.map((h) => JSON.stringify(h.includes(':') ? `[${h}]:${port}` : `${h}:${port}`));
  // Without `api`, the API still starts (it always does) but on ports the system
  // picks, so parallel tests never contend for 8443/9443.
  const apiLines = api === null ? ['[api]', 'rest_addr = "127.0.0.1:0"', 'grpc_addr = "127.0.0.1:0"', ''] : [
    '[api]',
    `rest_addr = "127.0.0.1:${api.rest}"`,
    `grpc_addr = "127.0.0.1:${api.grpc}"`,
    ...(typeof opts.api === 'object' ? opts.api.config ?? [] : []),
    '',
  ];
  return [
    '[dns]',
    `listen_addr = [${listen.join(', ')}]`,
    ...(opts.dnsConfig ?? []),
    '',
    '[database]',
    `path = ${JSON.stringify(join(dir, 'mcns.db'))}`,
    '',
    '[log]',
    `level = ${JSON.stringify(opts.logLevel ?? 'info')}`,
    ...(opts.logConfig ?? []),
    '',
    ...apiLines,
    // The metrics listener on a free port unless the test configures [metrics] itself.
    ...((opts.configExtra ?? '').includes('[metrics]') ? [] : ['[metrics]', 'listen_addr = "127.0.0.1:0"', '']),
    opts.configExtra ?? '',
    '',
  ].join('\n');
}

/** Starts mcns with the given zones on a free port of 127.0.0.1 and ::1; rejects with its logs if it fails. */
export async function startMcns(opts: StartMcnsOptions = {}): Promise<McnsProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'mcns-e2e-'));
  try {
    const hosts = (await hasIpv6Loopback()) ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
    const port = await freePort();
    const apiPorts = opts.api === undefined || opts.api === false ? null : { rest: await freePort(), grpc: await freePort() };
    const configPath = join(dir, 'mcns.toml');
    writeFileSync(configPath, configText(dir, hosts, port, opts, apiPorts));
    const zones = Object.entries(opts.zones ?? {});
    for (const [origin, text] of zones) {
      const file = join(dir, `${origin.replace(/\.$/, '') || 'root'}.zone`);
      writeFileSync(file, text);
      const r = await runMcns(['zone', 'import', origin, file, '--config', configPath], dir);
      if (r.code !== 0) throw new Error(`mcns zone import ${origin} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    }
    return await watch(spawnServe(dir, configPath), { dir, configPath, port, hosts, probe: zones[0]?.[0] ?? '.', timeoutMs: opts.readyTimeoutMs ?? 20_000, api: apiPorts });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function spawnServe(dir: string, configPath: string): ChildProcess {
  return spawn(process.execPath, [MCNS_BIN, 'serve', '--config', configPath], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

interface WatchArgs {
  readonly dir: string;
  readonly configPath: string;
  readonly port: number;
  readonly hosts: readonly string[];
  readonly probe: string;
  readonly timeoutMs: number;
  readonly api: ApiPorts | null;
}

interface ApiPorts {
  readonly rest: number;
  readonly grpc: number;
}

/** GET https://127.0.0.1:port/v1/ready trusting `ca`; resolves with the status, or 0 when no answer came. */
function getReady(port: number, ca: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path: '/v1/ready', method: 'GET', timeout: 1_000, ...(ca === undefined ? { rejectUnauthorized: false } : { ca }) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function watch(child: ChildProcess, a: WatchArgs): Promise<McnsProcess> {
  const chunks: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => chunks.push(s));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      res(exit);
    });
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('mcns serve did not start');
  const logs = (): string => chunks.join('');

  const stop = async (): Promise<{ code: number | null; signal: NodeJS.Signals | null }> => {
    if (exit === null) {
      process.kill(pid, 'SIGTERM');
      const killer = setTimeout(() => {
        if (exit === null) process.kill(pid, 'SIGKILL');
      }, 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(a.dir, { recursive: true, force: true });
    return exit ?? (await exited);
  };

  const deadline = Date.now() + a.timeoutMs;
  const host = a.hosts[0] ?? '127.0.0.1';
  for (;;) {
    if (exit !== null) {
      rmSync(a.dir, { recursive: true, force: true });
      throw new Error(`mcns serve exited (${JSON.stringify(exit)}) before answering:\n${logs()}`);
    }
    const reply = decodeReply(await queryUdp(host, a.port, buildQuery(a.probe, 'SOA' as dnsPacket.RecordType), 300));
    if (reply !== null && (a.probe === '.' || reply.answers?.some((r) => r.type === 'SOA'))) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mcns serve did not answer a SOA query for ${a.probe} on ${host}:${a.port} within ${a.timeoutMs} ms:\n${logs()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  // DNS answers as soon as the zones are loaded, while the management plane and
  // metrics still start: the banner is printed once startServer has finished.
  while (!logs().includes('mcns: serving DNS')) {
    if (exit !== null) {
      rmSync(a.dir, { recursive: true, force: true });
      throw new Error(`mcns serve exited (${JSON.stringify(exit)}) before it finished starting:\n${logs()}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`mcns serve did not finish starting within ${a.timeoutMs} ms:\n${logs()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  let api: McnsApi | null = null;
  if (a.api !== null) {
    const caCertPath = join(a.dir, 'tls', 'ca.pem');
    for (;;) {
      if (exit !== null) {
        rmSync(a.dir, { recursive: true, force: true });
        throw new Error(`mcns serve exited (${JSON.stringify(exit)}) before its API was ready:\n${logs()}`);
      }
      const ca = existsSync(caCertPath) ? readFileSync(caCertPath, 'utf8') : undefined;
      if ((await getReady(a.api.rest, ca)) === 200) {
        api = { restUrl: `https://127.0.0.1:${a.api.rest}`, grpcUrl: `https://127.0.0.1:${a.api.grpc}`, caCertPath, caCert: ca ?? '' };
        break;
      }
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`mcns serve's API did not answer GET /v1/ready with 200 on 127.0.0.1:${a.api.rest} within ${a.timeoutMs} ms:\n${logs()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    api,
    port: a.port,
    hosts: a.hosts,
    pid,
    dir: a.dir,
    configPath: a.configPath,
    exit: () => exit,
    logs,
    cli: (args) => runMcns([...args, '--config', a.configPath], a.dir),
    stop,
    restart: () => {
      if (exit === null) return Promise.reject(new Error('restart: the process is still running'));
      return watch(spawnServe(a.dir, a.configPath), a);
    },
  };
}
