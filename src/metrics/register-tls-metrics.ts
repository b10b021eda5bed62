// The certificate family: when each listener's certificate expires, read from the
// live TLS material at each scrape, so a reloaded certificate shows at once.
import type { Registry } from 'prom-client';
import type { TlsCertificateSource } from './metric-sources.js';
import { registerPulled } from './pulled-metric.js';

/** One certificate to report, by the listener that serves it. */
export interface TrackedCertificate {
  readonly listener: string;
  readonly source: TlsCertificateSource;
}

/** Registers mcns_tls_certificate_expiry_timestamp_seconds over `certificates` (a live list: later additions show). */
export function registerTlsMetrics(registry: Registry, certificates: readonly TrackedCertificate[]): void {
  registerPulled(registry, 'mcns_tls_certificate_expiry_timestamp_seconds',
    'When the certificate each listener serves expires (notAfter), in seconds since the epoch, by listener and file.', 'gauge', (out) => {
      for (const { listener, source } of certificates) {
        out.push({ labels: { listener, file: source.certPath }, value: source.notAfter().getTime() / 1000 });
      }
    });
}
