// A DNS server process started by a test or benchmark: spawned without a shell,
// its output kept (the tail) for failure messages, readiness probed over UDP, and
// stopped by its own PID only.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import type { ServerAddress } from './dns-exchange.js';

const OUTPUT_TAIL = 64 * 1024;

/** Options for starting a server process. */
export interface SpawnOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** One running server process that we started. */
export class ServerProcess {
  /** A label for messages ("named", "knotd", "mcns"). */
  readonly label: string;
  readonly pid: number;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string>;
  #child: ChildProcess;
  #output = '';
  #exitStatus: number | string | null = null;

  private constructor(label: string, child: ChildProcess) {
    this.label = label;
    this.#child = child;
    if (child.pid === undefined) throw new Error(`${label} did not start`);
    this.pid = child.pid;
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitStatus = code ?? signal ?? 'unknown';
        resolve(this.#exitStatus);
      });
    });
  }

  /** Spawns `command args` (no shell) and returns once the process exists. */
  static async spawn(label: string, command: string, args: readonly string[], options: SpawnOptions = {}): Promise<ServerProcess> {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error) => reject(new Error(`cannot start ${label} (${command}): ${error.message}`)));
    });
    return new ServerProcess(label, child);
  }

  /** The last 64 KiB the process wrote to stdout and stderr. */
  output(): string {
    return this.#output;
  }

  /** True while the process has not exited. */
  get running(): boolean {
    return this.#exitStatus === null;
  }

  /**
   * Sends `probe` over UDP every 20 ms until a response that `accept` approves
   * arrives; returns the milliseconds waited. Fails when the process exits or
   * after `timeoutMs`, with the process's output in the message.
   */
  waitForAnswer(address: ServerAddress, probe: Buffer, timeoutMs: number, accept: (response: Buffer) => boolean = () => true): Promise<number> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const socket = createSocket(address.host.includes(':') ? 'udp6' : 'udp4');
      let done = false;
      const finish = (error: Error | null): void => {
        if (done) return;
        done = true;
        clearInterval(ticker);
        clearTimeout(deadline);
        socket.close();
        if (error === null) resolve(performance.now() - started);
        else reject(error);
      };
      socket.on('message', (message) => {
        if (accept(message)) finish(null);
      });
      socket.on('error', () => { /* nothing listens yet; the next tick retries */ });
      const send = (): void => {
        if (!this.running) {
          finish(new Error(`${this.label} exited (${String(this.#exitStatus)}) before answering:\n${this.#output}`));
          return;
        }
        socket.send(probe, address.port, address.host);
      };
      const ticker = setInterval(send, 20);
      const deadline = setTimeout(
        () => finish(new Error(`${this.label} did not answer on ${address.host}:${address.port} within ${timeoutMs} ms:\n${this.#output}`)),
        timeoutMs,
      );
      send();
    });
  }

  /** Stops the process by its PID: SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (!this.running) return;
    process.kill(this.pid, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout' && this.running) {
      process.kill(this.pid, 'SIGKILL');
      await this.exited;
    }
  }
}
