// mcns status: is the server up and ready? Prints "ok" (exit 0) when /v1/health
// answers 200 and /v1/ready says ready; otherwise the reason (exit 5): not
// running, TLS trouble explained from the server's certificate, or not ready.
import { isoSeconds, openApiClient, type ApiClient, type RemoteOptions } from './api-client.js';
import { ApiError } from './api-error.js';
import type { CliIo } from './cli-io.js';
import { ExitCode, exitCodeFor } from './exit-code.js';
import type { PeerCertificate } from './peer-certificate.js';

/** Options of `status`. */
export interface StatusOptions extends RemoteOptions {
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** What --json prints. */
interface StatusReport {
  status: 'ok' | 'error';
  addr: string;
  ready: boolean;
  reason: string;
  code: string | null;
  certificate: { subject: string; issuer: string; notBefore: string; notAfter: string; daysLeft: number; trusted: boolean } | null;
}

const DAY_MS = 86_400_000;

/** Checks health and readiness; with --verbose or --json also shows the server certificate's expiry. */
export async function status(options: StatusOptions, io: CliIo): Promise<number> {
  const api = openApiClient(options, io, { timeoutMs: 10_000 });
  const report: StatusReport = { status: 'error', addr: api.baseUrl.origin, ready: false, reason: '', code: null, certificate: null };
  let failure: ApiError | null = null;
  try {
    await checkReady(api);
    report.status = 'ok';
    report.ready = true;
    report.reason = 'ok';
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    failure = err;
    report.reason = err.message;
    report.code = err.code;
  }
  try {
    if (options.json === true || options.verbose === true) report.certificate = describe(await api.peerCertificate());
  } finally {
    await api.close();
  }
  if (options.json === true) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return failure === null ? ExitCode.OK : exitCodeFor(failure);
  }
  if (failure !== null) throw failure;
  io.stdout.write('ok\n');
  if (options.verbose === true) {
    io.stdout.write(`address      ${report.addr}\n`);
    const c = report.certificate;
    if (c !== null) {
      io.stdout.write(`certificate  ${c.subject} (issuer ${c.issuer})\n`);
      io.stdout.write(`expires      ${c.notAfter} (in ${c.daysLeft} day${c.daysLeft === 1 ? '' : 's'})\n`);
    }
  }
  return ExitCode.OK;
}

/** Resolves when the server is healthy and ready; rejects with the ApiError that says why not. */
async function checkReady(api: ApiClient): Promise<void> {
  const health = await api.send('GET', '/v1/health', { anonymous: true });
  if (health.status !== 200) throw new ApiError('UNAVAILABLE', `unhealthy: /v1/health answered ${health.status}`, health.status);
  const ready = await api.send('GET', '/v1/ready', { anonymous: true });
  const body = ready.body as { ready?: unknown; reason?: unknown; error?: { message?: unknown } } | null;
  if (ready.status === 200 && body?.ready === true) return;
  const reason = typeof body?.reason === 'string' && body.reason !== ''
    ? body.reason
    : typeof body?.error?.message === 'string' ? body.error.message : `/v1/ready answered ${ready.status}`;
  // The REST adapter words a 503 as "not ready: <reason>" already.
  throw new ApiError('NOT_READY', `not ready: ${reason.replace(/^not ready: /, '')}`, ready.status);
}

function describe(cert: PeerCertificate | null): StatusReport['certificate'] {
  if (cert === null) return null;
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: isoSeconds(cert.validFrom),
    notAfter: isoSeconds(cert.validTo),
    daysLeft: Math.floor((cert.validTo.getTime() - Date.now()) / DAY_MS),
    trusted: cert.trusted,
  };
}
