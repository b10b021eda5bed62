// The CLI's client of the REST management API (docs/adr/0002-management-plane.md):
// routes come from the operations table, the server's CA from --ca-cert, the
// bearer token from --token, and every failure becomes an ApiError whose code
// exit-code.ts maps to an exit code. TLS failures are explained from the server's
// certificate (expired, untrusted, wrong name) rather than OpenSSL's code alone.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Agent, request } from 'undici';
import { operationSpec, type OperationIO, type OperationName, type Page } from '../service/index.js';
import { ApiError, type ApiErrorCode } from './api-error.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { fetchPeerCertificate, type PeerCertificate } from './peer-certificate.js';

/** Where the API is when neither --addr nor MCNS_ADDR says (the [api] rest_addr default). */
export const DEFAULT_API_ADDR = 'https://127.0.0.1:8443';

/** The options every remote verb takes (flags win over MCNS_ADDR, MCNS_TOKEN, MCNS_CA_CERT). */
export interface RemoteOptions {
  readonly addr?: string;
  readonly token?: string;
  readonly caCert?: string;
}

/** How to reach the API. */
export interface ApiClientOptions {
  /** "https://127.0.0.1:8443"; a bare "host:port" means https. */
  readonly baseUrl: string;
  /** PEM CA certificate(s) the server's certificate must chain to; the system's CAs when absent. */
  readonly caCert?: string | undefined;
  /** Bearer token (`mcns_<id>_<secret>`). */
  readonly token?: string | undefined;
  /** Budget for the response headers and for the body, each. */
  readonly timeoutMs?: number;
  /** Budget for TCP connect plus the TLS handshake. */
  readonly connectTimeoutMs?: number;
  /** Kept-alive connections per origin (concurrent clients in benchmarks want more than one). */
  readonly connections?: number;
  /** The clock used to judge certificate expiry in messages. */
  readonly now?: () => Date;
}

/** A response as it came: status, parsed JSON body (or text), content type. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
  readonly contentType: string;
}

/** What a request carries besides method and path. */
export interface SendOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly json?: unknown;
  /** Send without the Authorization header (public routes). */
  readonly anonymous?: boolean;
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'CERT_REVOKED', 'CERT_REJECTED', 'EPROTO',
]);

/** HTTP status to the service code, for error bodies that do not carry one. */
const CODE_BY_STATUS: Readonly<Record<number, ApiErrorCode>> = {
  400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND',
  409: 'ABORTED', 412: 'FAILED_PRECONDITION', 502: 'UNAVAILABLE', 503: 'UNAVAILABLE',
};

const KNOWN_CODES = new Set<string>([
  'INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'ABORTED', 'FAILED_PRECONDITION',
  'UNAUTHENTICATED', 'PERMISSION_DENIED', 'UNAVAILABLE', 'INTERNAL',
]);

/** A REST client of one mcns server; `close()` ends its connections. */
export class ApiClient {
  /** The server's base URL. */
  readonly baseUrl: URL;
  readonly #agent: Agent;
  readonly #token: string | undefined;
  readonly #ca: string | undefined;
  readonly #connectTimeoutMs: number;
  readonly #now: () => Date;

  constructor(options: ApiClientOptions) {
    this.baseUrl = parseBaseUrl(options.baseUrl);
    this.#token = options.token;
    this.#ca = options.caCert;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.#now = options.now ?? (() => new Date());
    const timeoutMs = options.timeoutMs ?? 60_000;
    this.#agent = new Agent({
      connect: {
        timeout: this.#connectTimeoutMs,
        ...(options.caCert === undefined ? {} : { ca: options.caCert }),
      },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connections: options.connections ?? 4,
      keepAliveTimeout: 10_000,
    });
  }

  /** Sends one request; resolves with any HTTP status, rejects with an ApiError only when no response came. */
  async send(method: string, path: string, options: SendOptions = {}): Promise<ApiResponse> {
    const url = new URL(path.replace(/^\//, ''), this.baseUrl.href.endsWith('/') ? this.baseUrl : `${this.baseUrl.href}/`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#token !== undefined && options.anonymous !== true) headers['authorization'] = `Bearer ${this.#token}`;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    try {
      const r = await request(url, {
        method: method as 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
        dispatcher: this.#agent,
      });
      const contentType = String(r.headers['content-type'] ?? '');
      const text = await r.body.text();
      return { status: r.statusCode, body: parseBody(text, contentType), contentType };
    } catch (err) {
      throw await this.#transportError(err);
    }
  }

  /** Calls one operation of the table (route, path parameters, query or JSON body); a non-2xx answer rejects with its ApiError. */
  async call<N extends OperationName>(name: N, input: OperationIO[N]['input']): Promise<OperationIO[N]['output']> {
    const spec = operationSpec(name);
    const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    const path = spec.rest.path.replace(/\{(\w+)\}/g, (_, key: string) => {
      const value = rest[key];
      delete rest[key];
      return encodeURIComponent(String(value));
    });
    const inQuery = spec.rest.method === 'GET' || spec.rest.method === 'DELETE';
    const r = await this.send(spec.rest.method, path, inQuery
      ? { query: rest as Record<string, string | number | undefined> }
      : { json: rest });
    if (r.status < 200 || r.status > 299) {
      const err = errorFromResponse(r);
      if (err.code === 'UNAUTHENTICATED' && this.#token === undefined) {
        throw new ApiError(err.code, `${err.message}: pass --token or set MCNS_TOKEN (an admin makes one with "mcns token create")`, err.status, err.field);
      }
      throw err;
    }
    return (r.body ?? {}) as OperationIO[N]['output'];
  }

  /** Every item of a paged list operation, following nextPageToken; stops after `limit` items when given. */
  async collect<N extends 'listZones' | 'listRRsets' | 'listAudit' | 'listTokens'>(
    name: N, input: OperationIO[N]['input'], limit?: number,
  ): Promise<OperationIO[N]['output']['items'][number][]> {
    const items: OperationIO[N]['output']['items'][number][] = [];
    let pageToken = '';
    for (;;) {
      const want = limit === undefined ? undefined : Math.min(limit - items.length, 1000);
      const page = (await this.call(name, {
        ...input,
        ...(want === undefined ? {} : { pageSize: want }),
        ...(pageToken === '' ? {} : { pageToken }),
      })) as Page<OperationIO[N]['output']['items'][number]>;
      items.push(...page.items);
      if (limit !== undefined && items.length >= limit) return items.slice(0, limit);
      if (page.nextPageToken === '' || page.nextPageToken === undefined || page.items.length === 0) return items;
      pageToken = page.nextPageToken;
    }
  }

  /** The server's certificate, read without verifying it (null for http:// or when no handshake completes). */
  async peerCertificate(): Promise<PeerCertificate | null> {
    if (this.baseUrl.protocol !== 'https:') return null;
    return fetchPeerCertificate({
      host: this.baseUrl.hostname,
      port: Number(this.baseUrl.port || 443),
      ca: this.#ca,
      timeoutMs: this.#connectTimeoutMs,
    });
  }

  /** Closes the kept-alive connections. */
  async close(): Promise<void> {
    await this.#agent.close();
  }

  /** Why no response came, in the operator's terms. */
  async #transportError(err: unknown): Promise<ApiError> {
    const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown; message?: unknown }; message?: unknown };
    if (err instanceof ApiError) return err;
    const code = String(e.code ?? e.cause?.code ?? '');
    const message = String(e.message ?? err);
    const at = this.baseUrl.origin;
    if (code === 'ECONNREFUSED') return new ApiError('CONNECTION_REFUSED', `connection refused at ${at}: is mcns running?`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new ApiError('NETWORK', `cannot resolve "${this.baseUrl.hostname}" (${code})`);
    if (code === 'UND_ERR_CONNECT_TIMEOUT') return new ApiError('TIMEOUT', `no connection to ${at} within ${this.#connectTimeoutMs} ms`);
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return new ApiError('TIMEOUT', `${at} accepted the request but did not answer in time`);
    if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) {
      return new ApiError('TLS', await this.#explainTls(code, message));
    }
    return new ApiError('NETWORK', `request to ${at} failed: ${message}${code === '' ? '' : ` (${code})`}`);
  }

  /** A TLS failure explained from the certificate the server presents. */
  async #explainTls(code: string, message: string): Promise<string> {
    const cert = await this.peerCertificate();
    const now = this.#now();
    if (cert === null) {
      return code === 'EPROTO' || code.startsWith('ERR_SSL_')
        ? `TLS handshake with ${this.baseUrl.origin} failed (${message}): is it an https address of mcns?`
        : `TLS error at ${this.baseUrl.origin}: ${message} (${code})`;
    }
    if (cert.validTo.getTime() < now.getTime()) {
      return `certificate expired on ${isoSeconds(cert.validTo)}: renew it, see RUNBOOK Certificate Expiry`;
    }
    if (cert.validFrom.getTime() > now.getTime()) {
      return `certificate not valid before ${isoSeconds(cert.validFrom)}: check the clocks of this machine and the server`;
    }
    if (code === 'CERT_HAS_EXPIRED') {
      return 'a CA certificate in the chain has expired: renew it, see RUNBOOK Certificate Expiry';
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
      return `certificate does not name "${this.baseUrl.hostname}" (it names ${cert.altNames || cert.subject}): use an address it names in --addr`;
    }
    return `certificate not trusted (${cert.trustError ?? code}): pass --ca-cert <data dir>/tls/ca.pem`;
  }
}

/** "2026-03-01T12:00:00Z": a date as the CLI prints it. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The ApiError for a non-2xx response: the server's `{"error":{code,message,field}}`, or one made from the status. */
export function errorFromResponse(r: ApiResponse): ApiError {
  const e = (r.body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  const fallback = CODE_BY_STATUS[r.status] ?? 'INTERNAL';
  const code = typeof e?.code === 'string' && KNOWN_CODES.has(e.code) ? (e.code as ApiErrorCode) : fallback;
  const message = typeof e?.message === 'string' && e.message !== ''
    ? e.message
    : `the server answered ${r.status}${typeof r.body === 'string' && r.body !== '' ? `: ${r.body.slice(0, 200)}` : ''}`;
  const field = typeof e?.field === 'string' && e.field !== '' ? e.field : undefined;
  return new ApiError(code, message, r.status, field);
}

/** An ApiClient from the verb's flags and the environment (MCNS_ADDR, MCNS_TOKEN, MCNS_CA_CERT). */
export function openApiClient(options: RemoteOptions, io: CliIo, extra: Partial<ApiClientOptions> = {}): ApiClient {
  const baseUrl = options.addr ?? nonEmpty(io.env['MCNS_ADDR']) ?? DEFAULT_API_ADDR;
  const token = options.token ?? nonEmpty(io.env['MCNS_TOKEN']);
  const caPath = options.caCert ?? nonEmpty(io.env['MCNS_CA_CERT']);
  let caCert: string | undefined;
  if (caPath !== undefined) {
    try {
      caCert = readFileSync(resolve(io.cwd, caPath), 'utf8');
    } catch (err) {
      const missing = (err as { code?: unknown }).code === 'ENOENT';
      throw new CliError(missing ? 'NOT_FOUND' : 'USAGE', `CA certificate "${caPath}" ${missing ? 'not found' : `cannot be read: ${(err as Error).message}`}`);
    }
    if (!caCert.includes('-----BEGIN CERTIFICATE-----')) throw new CliError('USAGE', `CA certificate "${caPath}" is not PEM (no BEGIN CERTIFICATE line)`);
  }
  return new ApiClient({ baseUrl, caCert, token, ...extra });
}

/** "host:port" or a URL to a URL; a malformed address is a usage error. */
function parseBaseUrl(text: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new CliError('USAGE', `address "${text}" is not a URL like https://127.0.0.1:8443`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CliError('USAGE', `address "${text}" must be https:// (or http://)`);
  return url;
}

function parseBody(text: string, contentType: string): unknown {
  if (text === '') return null;
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
