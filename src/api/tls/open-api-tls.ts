// Chooses the management listeners' certificate: the pair [api] names, or the
// self-signed one in <database dir>/tls/ (made on first start), and loads it.
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError, type ApiConfig } from '../../config/index.js';
import type { Logger } from '../../log/index.js';
import { ensureSelfSignedTls, RENEW_WITHIN_DAYS } from './ensure-self-signed-tls.js';
import { createTlsMaterial, type TlsMaterial } from './tls-material.js';
import { TlsError } from './tls-error.js';

/** The loaded material and, for a self-signed pair, the CA clients must trust. */
export interface ApiTls {
  readonly material: TlsMaterial;
  /** `<database dir>/tls/ca.pem` when mcns made the certificate, null when [api] names one. */
  readonly caPath: string | null;
  /** Stops watching the files and the renewal timer. Safe to call twice. */
  close(): void;
}

/** What openApiTls needs besides [api]. */
export interface OpenApiTlsOptions {
  /** The database file; the self-signed pair lives in `tls/` beside it. */
  readonly databasePath: string;
  /** The config file, for ConfigError (null for the embedded default). */
  readonly configSource: string | null;
  readonly log: Logger;
  readonly now: () => Date;
  /** Extra certificate names; defaults to the host name. */
  readonly extraNames?: readonly string[];
  /** Passed to createTlsMaterial (tests poll faster). */
  readonly watchIntervalMs?: number;
  /** How often a running server checks whether its self-signed certificate needs remaking; default 12 hours, 0 for never. */
  readonly renewCheckMs?: number;
}

/**
 * Loads [api] tls_cert and tls_key (a ConfigError names the key when only one is
 * set or the pair does not load), or makes or reuses the self-signed pair and logs
 * the CA path. A running server remakes a self-signed certificate that nears expiry;
 * the file watcher then swaps it in.
 */
export async function openApiTls(api: ApiConfig, options: OpenApiTlsOptions): Promise<ApiTls> {
  const { log, now } = options;
  if (api.tlsCert !== null || api.tlsKey !== null) {
    if (api.tlsCert === null || api.tlsKey === null) {
      const [set, unset] = api.tlsCert === null ? ['tls_key', 'tls_cert'] : ['tls_cert', 'tls_key'];
      throw new ConfigError(`[api] ${set} is set but ${unset} is not: set both, or neither for a self-signed certificate`, options.configSource);
    }
    let material: TlsMaterial;
    try {
      material = createTlsMaterial(materialOptions(api.tlsCert, api.tlsKey, options));
    } catch (err) {
      if (!(err instanceof TlsError)) throw err;
      throw new ConfigError(`[api] tls_cert and tls_key: ${err.message}`, options.configSource);
    }
    return { material, caPath: null, close: () => material.close() };
  }

  const extraNames = options.extraNames ?? [hostname()];
  const dir = join(dirname(options.databasePath), 'tls');
  const made = await ensureSelfSignedTls({ dir, now: now(), extraNames });
  if (made.made !== 'nothing') log.info({ dir, made: made.made, reason: made.reason }, 'tls: made a self-signed certificate');
  const material = createTlsMaterial(materialOptions(made.certPath, made.keyPath, options));
  log.info({ ca: made.caPath, notAfter: material.notAfter().toISOString() },
    `REST and gRPC use a self-signed certificate; trust it with --ca-cert ${made.caPath}`);

  // A server that runs for a year would otherwise serve an expired certificate.
  const renewCheckMs = options.renewCheckMs ?? 12 * 3_600_000;
  let checking: Promise<void> | null = null;
  const check = (): void => {
    if (checking !== null) return;
    const due = material.notAfter().getTime() - now().getTime() < RENEW_WITHIN_DAYS * 86_400_000;
    if (!due) return;
    checking = ensureSelfSignedTls({ dir, now: now(), extraNames })
      .then((r) => {
        if (r.made !== 'nothing') material.reload(`self-signed certificate remade: ${r.reason ?? 'due'}`);
      })
      .catch((err: unknown) => { log.error({ err }, 'tls: cannot remake the self-signed certificate; the old one stays until it expires'); })
      .finally(() => { checking = null; });
  };
  const timer = renewCheckMs > 0 ? setInterval(check, renewCheckMs).unref() : null;
  return {
    material,
    caPath: made.caPath,
    close: () => {
      if (timer !== null) clearInterval(timer);
      material.close();
    },
  };
}

function materialOptions(certPath: string, keyPath: string, options: OpenApiTlsOptions): Parameters<typeof createTlsMaterial>[0] {
  return {
    certPath,
    keyPath,
    log: options.log,
    now: options.now,
    ...(options.watchIntervalMs === undefined ? {} : { watchIntervalMs: options.watchIntervalMs }),
  };
}
