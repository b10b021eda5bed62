// The certificate mcns makes for itself when [api] names none (ADR 0002 decision 7):
// a private CA (ECDSA P-256, 10 years) and a server certificate it signs (1 year),
// kept in <database dir>/tls/ and reused on later starts. Operators trust ca.pem once;
// the server certificate is remade with the same CA when it nears expiry, so clients
// never need the new one.
import 'reflect-metadata';
import { createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { TlsError } from './tls-error.js';

const DAY_MS = 86_400_000;
/** The CA outlives many server certificates; clients trust it once. */
const CA_VALID_DAYS = 3650;
const CERT_VALID_DAYS = 365;
/** A certificate expiring within this many days is replaced at start (and by renewSelfSignedTls). */
export const RENEW_WITHIN_DAYS = 30;
/** Validity starts an hour early so that a client whose clock lags a little still accepts it. */
const BACKDATE_MS = 3_600_000;
const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
// @peculiar/x509 types its crypto parameter with the DOM's Crypto; Node's webcrypto is that object.
const crypto = webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1];

/** Where the self-signed material lives and what ensureSelfSignedTls did. */
export interface SelfSignedTls {
  readonly dir: string;
  /** The CA certificate clients trust (`--ca-cert`). */
  readonly caPath: string;
  readonly caKeyPath: string;
  /** The server certificate and its key, as createTlsMaterial loads them. */
  readonly certPath: string;
  readonly keyPath: string;
  /** What was (re)made: everything, the server certificate only, or nothing. */
  readonly made: 'ca-and-certificate' | 'certificate' | 'nothing';
  /** Why it was made ("no CA yet", "expires 2027-01-02T00:00:00.000Z"), or null. */
  readonly reason: string | null;
}

/** What ensureSelfSignedTls needs: the directory, the clock and the names the certificate must carry. */
export interface EnsureSelfSignedTlsOptions {
  /** Usually `<database dir>/tls`; created (mode 0700) if missing. */
  readonly dir: string;
  readonly now: Date;
  /** Names besides localhost, 127.0.0.1 and ::1 (the host name). */
  readonly extraNames?: readonly string[];
}

/**
 * Makes sure `dir` holds a usable CA and a server certificate it signed for
 * localhost, 127.0.0.1, ::1 and `extraNames`, valid for more than RENEW_WITHIN_DAYS:
 * reuses what is there, remakes the server certificate (same CA) when it is
 * missing, broken, not signed by the CA, short of a name or about to expire, and
 * remakes everything when the CA itself is unusable. Key files get mode 0600.
 */
export async function ensureSelfSignedTls(options: EnsureSelfSignedTlsOptions): Promise<SelfSignedTls> {
  const { dir, now } = options;
  const paths = {
    caPath: join(dir, 'ca.pem'),
    caKeyPath: join(dir, 'ca-key.pem'),
    certPath: join(dir, 'cert.pem'),
    keyPath: join(dir, 'key.pem'),
  };
  const names = serverNames(options.extraNames ?? []);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    let ca = readCa(paths.caPath, paths.caKeyPath, now);
    let made: SelfSignedTls['made'] = 'nothing';
    let reason: string | null = null;
    if (typeof ca === 'string') {
      reason = ca;
      ca = await makeCa(now);
      writeAtomically(paths.caKeyPath, ca.keyPem, 0o600);
      writeAtomically(paths.caPath, ca.certPem, 0o644);
      made = 'ca-and-certificate';
    }
    const serverProblem = made === 'nothing' ? checkServerCertificate(paths.certPath, paths.keyPath, ca.cert, names, now) : null;
    if (made !== 'nothing' || serverProblem !== null) {
      const server = await makeServerCertificate(ca, names, now);
      // Key first: a watcher that sees the new key with the old certificate refuses the
      // mismatched pair and keeps serving until the certificate lands a moment later.
      writeAtomically(paths.keyPath, server.keyPem, 0o600);
      writeAtomically(paths.certPath, server.certPem, 0o644);
      if (made === 'nothing') {
        made = 'certificate';
        reason = serverProblem;
      }
    }
    return { dir, ...paths, made, reason };
  } catch (err) {
    if (err instanceof TlsError) throw err;
    throw new TlsError('TLS_SETUP', `cannot make the self-signed certificate in "${dir}": ${(err as Error).message}`, { cause: err });
  }
}

interface LoadedCa {
  readonly cert: NodeX509Certificate;
  readonly certPem: string;
  readonly keyPem: string;
}

/** The CA on disk, or why it cannot be used. */
function readCa(certPath: string, keyPath: string, now: Date): LoadedCa | string {
  let certPem: string;
  let keyPem: string;
  try {
    certPem = readFileSync(certPath, 'utf8');
    keyPem = readFileSync(keyPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'no CA yet';
    throw err;
  }
  try {
    const cert = new NodeX509Certificate(certPem);
    if (!cert.ca) return 'ca.pem is not a CA certificate';
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return 'ca-key.pem does not match ca.pem';
    const notAfter = new Date(cert.validTo);
    if (notAfter.getTime() - now.getTime() < RENEW_WITHIN_DAYS * DAY_MS) return `the CA expires ${notAfter.toISOString()}`;
    return { cert, certPem, keyPem };
  } catch (err) {
    return `the CA does not load: ${(err as Error).message}`;
  }
}

/** Null when cert.pem and key.pem are a pair the CA signed, naming every name, valid long enough; else why not. */
function checkServerCertificate(
  certPath: string, keyPath: string, ca: NodeX509Certificate, names: ServerNames, now: Date,
): string | null {
  let cert: NodeX509Certificate;
  try {
    cert = new NodeX509Certificate(readFileSync(certPath));
    if (!cert.checkPrivateKey(createPrivateKey(readFileSync(keyPath)))) return 'key.pem does not match cert.pem';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'no server certificate yet';
    return `the server certificate does not load: ${(err as Error).message}`;
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return 'cert.pem is not signed by ca.pem';
  const notAfter = new Date(cert.validTo);
  if (notAfter.getTime() - now.getTime() < RENEW_WITHIN_DAYS * DAY_MS) return `the server certificate expires ${notAfter.toISOString()}`;
  for (const dns of names.dns) if (cert.checkHost(dns, { wildcards: false }) === undefined) return `the server certificate does not name ${dns}`;
  for (const ip of names.ip) if (cert.checkIP(ip) === undefined) return `the server certificate does not name ${ip}`;
  return null;
}

async function makeCa(now: Date): Promise<LoadedCa> {
  const keys = await crypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=mcns local CA',
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALID_DAYS * DAY_MS),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
    ],
  }, crypto);
  const certPem = cert.toString('pem');
  return { cert: new NodeX509Certificate(certPem), certPem, keyPem: await privateKeyPem(keys.privateKey) };
}

async function makeServerCertificate(ca: LoadedCa, names: ServerNames, now: Date): Promise<{ certPem: string; keyPem: string }> {
  const keys = await crypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
  const caDer = createPrivateKey(ca.keyPem).export({ type: 'pkcs8', format: 'der' });
  const caKey = await crypto.subtle.importKey('pkcs8', caDer, EC_KEY, false, ['sign']);
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: `CN=${names.dns[0] ?? 'localhost'}`,
    issuer: caCert.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CERT_VALID_DAYS * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ip.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey, false, crypto),
    ],
  }, crypto);
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

interface ServerNames {
  readonly dns: readonly string[];
  readonly ip: readonly string[];
}

/** localhost, 127.0.0.1, ::1 and the extra names, split into DNS names and addresses, lowercase, once each. */
function serverNames(extra: readonly string[]): ServerNames {
  const dns = new Set<string>(['localhost']);
  const ip = new Set<string>(['127.0.0.1', '::1']);
  for (const raw of extra) {
    const name = raw.trim().toLowerCase().replace(/\.$/, '');
    if (isIP(name) !== 0) ip.add(name);
    // A dNSName is an IA5String of LDH labels (RFC 5280 4.2.1.6); skip a host name that is not one.
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name)) dns.add(name);
  }
  return { dns: [...dns], ip: [...ip] };
}

/** 16 random bytes with the top bit clear: a positive serial (RFC 5280 4.1.2.2) no other certificate shares. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Writes via a temporary file and rename, so a watcher never reads half a file. */
function writeAtomically(path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, path);
}
