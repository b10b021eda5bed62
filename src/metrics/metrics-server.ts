// The plain-HTTP listener Prometheus scrapes: GET /metrics is the text exposition,
// GET / a pointer to it. No TLS and no authentication: it listens on loopback by
// default ([metrics] listen_addr); expose it further only on a trusted network.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from './create-metrics.js';
import { metricsListenError } from './metrics-error.js';

/** An address to listen on: an IP literal and a port (0 picks a free one). */
export interface MetricsAddress {
  readonly host: string;
  readonly port: number;
}

/** Where failed scrapes are reported (the server's logger fits). */
export interface MetricsLog {
  warn(fields: Record<string, unknown>, message: string): void;
}

/** What createMetricsServer needs. */
export interface MetricsServerOptions {
  readonly address: MetricsAddress;
  readonly metrics: Pick<Metrics, 'render' | 'contentType'>;
  readonly log?: MetricsLog;
}

/** The metrics listener, started once and closed once. */
export interface MetricsServer {
  /** Listens; rejects with a MetricsError naming the address when it cannot. Resolves with the bound address. */
  start(): Promise<MetricsAddress>;
  /** "http://127.0.0.1:9153/metrics" (the real port); only after start(). */
  url(): string;
  /** Stops listening and closes open connections (scrapes in flight are cut). Safe to call twice. */
  close(): Promise<void>;
}

/** The page at GET /. */
const INDEX_PAGE = '<!doctype html>\n<html><head><title>mcns metrics</title></head>\n' +
  '<body><h1>mcns metrics</h1><p>Prometheus metrics are at <a href="/metrics">/metrics</a>.</p></body></html>\n';

/** Makes the listener; nothing is bound until start(). */
export function createMetricsServer(options: MetricsServerOptions): MetricsServer {
  const { metrics, log } = options;
  const server: Server = createServer({ keepAliveTimeout: 65_000 }, (request, response) => {
    void answer(request, response, metrics, log);
  });
  let bound: MetricsAddress | null = null;
  let closing: Promise<void> | null = null;

  return {
    start() {
      const { host, port } = options.address;
      return new Promise<MetricsAddress>((resolve, reject) => {
        const onError = (err: Error): void => reject(metricsListenError(err, addressText(host, port), port));
        server.once('error', onError);
        server.listen({ host, port, exclusive: true }, () => {
          server.off('error', onError);
          const info = server.address() as AddressInfo;
          bound = { host: info.address, port: info.port };
          resolve(bound);
        });
      });
    },
    url() {
      if (bound === null) throw new Error('metrics server not started');
      const host = bound.host === '0.0.0.0' ? '127.0.0.1' : bound.host === '::' ? '::1' : bound.host;
      return `http://${addressText(host, bound.port)}/metrics`;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function answer(request: IncomingMessage, response: ServerResponse, metrics: MetricsServerOptions['metrics'], log: MetricsLog | undefined): Promise<void> {
  const path = (request.url ?? '/').split('?')[0];
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    send(response, 405, 'text/plain; charset=utf-8', 'only GET and HEAD are allowed\n', method, { allow: 'GET, HEAD' });
    return;
  }
  if (path === '/') {
    send(response, 200, 'text/html; charset=utf-8', INDEX_PAGE, method);
    return;
  }
  if (path !== '/metrics') {
    send(response, 404, 'text/plain; charset=utf-8', 'not found: metrics are at /metrics\n', method);
    return;
  }
  try {
    send(response, 200, metrics.contentType, await metrics.render(), method);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    log?.warn({ err: message }, 'metrics: scrape failed');
    send(response, 500, 'text/plain; charset=utf-8', `scrape failed: ${message}\n`, method);
  }
}

function send(response: ServerResponse, status: number, type: string, body: string, method: string, extra: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  response.end(method === 'HEAD' ? undefined : body);
}

/** "addr:port" with IPv6 in brackets. */
function addressText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
