// The certificate and key both management listeners serve (ADR 0002 decision 7),
// swapped in place when the files change or on SIGHUP: every attached server gets
// setSecureContext(), so new connections use the new pair while open ones keep
// the one they were made with. A pair that does not load never replaces a good one.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import type { Logger } from '../../log/index.js';
import { TlsError } from './tls-error.js';

/** A certificate chain and its key, checked to belong together. */
export interface TlsPair {
  /** PEM certificate chain, leaf first. */
  readonly cert: Buffer;
  /** PEM private key. */
  readonly key: Buffer;
  readonly notAfter: Date;
  /** The leaf's serial number, hex uppercase as OpenSSL prints it. */
  readonly serial: string;
  readonly fingerprint256: string;
}

/** Anything whose TLS context can be swapped: an https.Server, an http2 secure server, a tls.Server. */
export interface SecureContextTarget {
  setSecureContext(options: SecureContextOptions): void;
}

/** The shared TLS material of the REST and gRPC listeners. */
export interface TlsMaterial {
  readonly certPath: string;
  readonly keyPath: string;
  /** The pair in use now. */
  current(): TlsPair;
  /** When the certificate in use expires (for metrics and status). */
  notAfter(): Date;
  /** Options for https.createServer / http2.createSecureServer: the pair in use now. */
  secureContextOptions(): SecureContextOptions;
  /**
   * Reads both files again; on a good new pair, swaps it into every attached server.
   * Returns what happened; never throws (a bad pair is logged and the old one stays).
   */
  reload(reason: string): TlsReloadResult;
  /** Calls server.setSecureContext() with each new pair until the returned function is called. */
  attach(server: SecureContextTarget): () => void;
  /** Stops watching the files. Safe to call twice. */
  close(): void;
}

/** What one reload did. */
export type TlsReloadResult =
  | { readonly outcome: 'swapped'; readonly pair: TlsPair }
  | { readonly outcome: 'unchanged' }
  | { readonly outcome: 'refused'; readonly error: TlsError };

/** Where the pair lives and how closely to watch it. */
export interface CreateTlsMaterialOptions {
  readonly certPath: string;
  readonly keyPath: string;
  readonly log: Logger;
  /** How often the files' stat is polled; 0 turns watching off. Default 2000 ms. */
  readonly watchIntervalMs?: number;
  /** Quiet time after the last change before reloading, so cert and key written together load together. Default 300 ms. */
  readonly debounceMs?: number;
  /** The clock used to warn about an expired certificate. */
  readonly now?: () => Date;
}

/** Loads the pair (throws TlsError TLS_INVALID when it does not load) and watches both files for changes. */
export function createTlsMaterial(options: CreateTlsMaterialOptions): TlsMaterial {
  const { certPath, keyPath, log } = options;
  const now = options.now ?? (() => new Date());
  const watchIntervalMs = options.watchIntervalMs ?? 2000;
  const debounceMs = options.debounceMs ?? 300;
  let pair = loadTlsPair(certPath, keyPath);
  warnIfExpired(pair, certPath, now(), log);
  const targets = new Set<SecureContextTarget>();
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const reload = (reason: string): TlsReloadResult => {
    let next: TlsPair;
    try {
      next = loadTlsPair(certPath, keyPath);
    } catch (err) {
      const error = err instanceof TlsError ? err : new TlsError('TLS_INVALID', (err as Error).message, { cause: err });
      log.error({ reason, cert: certPath, key: keyPath, err: error.message }, 'tls: new certificate refused; still serving the previous one');
      return { outcome: 'refused', error };
    }
    if (next.cert.equals(pair.cert) && next.key.equals(pair.key)) return { outcome: 'unchanged' };
    const options = contextOptions(next);
    for (const target of targets) target.setSecureContext(options);
    pair = next;
    log.info({ reason, serial: next.serial, notAfter: next.notAfter.toISOString() }, 'tls: certificate reloaded');
    warnIfExpired(next, certPath, now(), log);
    return { outcome: 'swapped', pair: next };
  };

  const onChange = (current: Stats, previous: Stats): void => {
    if (closed || current.mtimeMs === previous.mtimeMs && current.ino === previous.ino && current.size === previous.size) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (!closed) reload('file changed');
    }, debounceMs);
    timer.unref();
  };
  if (watchIntervalMs > 0) {
    watchFile(certPath, { interval: watchIntervalMs, persistent: false }, onChange);
    watchFile(keyPath, { interval: watchIntervalMs, persistent: false }, onChange);
  }

  return {
    certPath,
    keyPath,
    current: () => pair,
    notAfter: () => pair.notAfter,
    secureContextOptions: () => contextOptions(pair),
    reload,
    attach(server) {
      targets.add(server);
      return () => { targets.delete(server); };
    },
    close() {
      if (closed) return;
      closed = true;
      if (timer !== null) clearTimeout(timer);
      if (watchIntervalMs > 0) {
        unwatchFile(certPath, onChange);
        unwatchFile(keyPath, onChange);
      }
      targets.clear();
    },
  };
}

/** Reads and checks a certificate chain and key: both PEM, the key matching the leaf, acceptable to OpenSSL. */
export function loadTlsPair(certPath: string, keyPath: string): TlsPair {
  const cert = readPem(certPath, 'certificate');
  const key = readPem(keyPath, 'key');
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch (err) {
    throw new TlsError('TLS_INVALID', `certificate "${certPath}" is not a PEM certificate: ${(err as Error).message}`, { cause: err });
  }
  try {
    if (!leaf.checkPrivateKey(createPrivateKey(key))) {
      throw new TlsError('TLS_INVALID', `key "${keyPath}" does not belong to certificate "${certPath}"`);
    }
    createSecureContext({ cert, key });
  } catch (err) {
    if (err instanceof TlsError) throw err;
    throw new TlsError('TLS_INVALID', `key "${keyPath}" does not load with certificate "${certPath}": ${(err as Error).message}`, { cause: err });
  }
  return { cert, key, notAfter: new Date(leaf.validTo), serial: leaf.serialNumber, fingerprint256: leaf.fingerprint256 };
}

function readPem(path: string, what: 'certificate' | 'key'): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new TlsError('TLS_INVALID', `${what} "${path}" cannot be read: ${why}`, { cause: err });
  }
  if (!bytes.includes('-----BEGIN ')) throw new TlsError('TLS_INVALID', `${what} "${path}" is not PEM (no BEGIN line)`);
  return bytes;
}

function contextOptions(pair: TlsPair): SecureContextOptions {
  return { cert: pair.cert, key: pair.key };
}

function warnIfExpired(pair: TlsPair, certPath: string, now: Date, log: Logger): void {
  if (pair.notAfter.getTime() <= now.getTime()) {
    log.warn({ cert: certPath, notAfter: pair.notAfter.toISOString() }, 'tls: the certificate has expired; clients will refuse it; replace it (runbook: Certificate Expiry)');
  }
}
