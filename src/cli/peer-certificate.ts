// The certificate a TLS server presents, read even when it would not verify, so
// the CLI can say why a connection failed (expired, untrusted, wrong name) and
// when the certificate expires.
import { connect, type PeerCertificate as TlsPeerCertificate } from 'node:tls';
import { isIP } from 'node:net';

/** What the CLI shows of a server certificate. */
export interface PeerCertificate {
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: Date;
  readonly validTo: Date;
  /** subjectAltName as the server sent it ("DNS:localhost, IP Address:127.0.0.1"). */
  readonly altNames: string;
  readonly fingerprint256: string;
  /** True when the chain verifies against the CAs given (the host name is not checked here). */
  readonly trusted: boolean;
  /** OpenSSL's reason when it does not ("DEPTH_ZERO_SELF_SIGNED_CERT"). */
  readonly trustError: string | null;
}

/** Where to connect and what to trust. */
export interface PeerCertificateTarget {
  readonly host: string;
  readonly port: number;
  /** PEM CA certificates to verify against; the system's when absent. */
  readonly ca?: string | undefined;
  readonly timeoutMs: number;
}

/** Opens a TLS connection without verifying, reads the server's certificate, and closes; null when no handshake completes. */
export function fetchPeerCertificate(target: PeerCertificateTarget): Promise<PeerCertificate | null> {
  return new Promise((resolve) => {
    const host = target.host.replace(/^\[(.*)\]$/, '$1');
    const socket = connect({
      host,
      port: target.port,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(target.ca === undefined ? {} : { ca: target.ca }),
      // Read the certificate whatever it is: this connection carries no request.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const done = (cert: PeerCertificate | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(cert);
    };
    const timer = setTimeout(() => done(null), target.timeoutMs);
    socket.once('error', () => done(null));
    socket.once('secureConnect', () => {
      const c: TlsPeerCertificate = socket.getPeerCertificate();
      if (c === null || c.valid_to === undefined) {
        done(null);
        return;
      }
      const error = socket.authorizationError as unknown;
      done({
        subject: distinguishedName(c.subject),
        issuer: distinguishedName(c.issuer),
        validFrom: new Date(c.valid_from),
        validTo: new Date(c.valid_to),
        altNames: c.subjectaltname ?? '',
        fingerprint256: c.fingerprint256,
        trusted: socket.authorized,
        trustError: error === null || error === undefined ? null : String((error as { code?: unknown }).code ?? error),
      });
    });
  });
}

/** "CN=mcns, O=example" from node's object form (empty when the field is missing). */
function distinguishedName(dn: Readonly<Record<string, string | string[] | undefined>> | undefined): string {
  if (dn === undefined || dn === null) return '';
  return Object.entries(dn)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}
