import { createPrivateKey, generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TlsIdentity } from '../tls/tls-identity.ts';
import { issueCertificate, signerFor } from './x509-issuer.ts';

/** Options for {@link DevPki.open}. */
export interface DevPkiOptions {
  /** Folder the CA and certificates live in (created when absent). */
  readonly dir: string;
  /** Validity of new certificates, in days (default 825, the CA/Browser Forum ceiling). */
  readonly validityDays?: number;
  /** Clock, for tests. */
  readonly now?: () => Date;
}

const CA_NAME = 'GP2GP development CA';
const ORGANISATION = 'GP2GP development network';
const DEFAULT_ALT_NAMES = ['localhost', '127.0.0.1', '::1'];
/** Re-issue a certificate that would expire within this many days, so a long-lived data folder keeps working. */
const RENEW_WITHIN_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * A local certificate authority kept in a data folder: created on first use, then reused, so every practice
 * and the simulator trust one another without any manual openssl steps. Keys are ECDSA P-256 files with
 * mode 0600 beside their PEM certificates.
 *
 * @example
 * const pki = DevPki.open({ dir: '.data/certs' });
 * const spine = pki.identity('spine');
 * const practice = pki.identity('A12345');
 */
export class DevPki {
  /** The CA certificate (PEM) every peer trusts. */
  readonly caCertPem: string;
  readonly dir: string;
  private readonly caKey: KeyObject;
  private readonly caCert: X509Certificate;
  private readonly validityDays: number;
  private readonly now: () => Date;

  private constructor(dir: string, caKey: KeyObject, caCertPem: string, options: DevPkiOptions) {
    this.dir = dir;
    this.caKey = caKey;
    this.caCertPem = caCertPem;
    this.caCert = new X509Certificate(caCertPem);
    this.validityDays = options.validityDays ?? 825;
    this.now = options.now ?? (() => new Date());
  }

  /** Opens the CA in `dir`, creating it on first run (or when its certificate is about to expire). */
  static open(options: DevPkiOptions): DevPki {
    const dir = options.dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const keyFile = join(dir, 'ca.key.pem');
    const certFile = join(dir, 'ca.cert.pem');
    const now = options.now?.() ?? new Date();
    if (existsSync(keyFile) && existsSync(certFile)) {
      const certPem = readFileSync(certFile, 'utf8');
      if (!expiresSoon(new X509Certificate(certPem), now)) {
        return new DevPki(dir, createPrivateKey(readFileSync(keyFile, 'utf8')), certPem, options);
      }
    }
    const { privateKey, publicKey } = newKeyPair();
    const certPem = issueCertificate(
      {
        commonName: `${CA_NAME} ${now.toISOString().slice(0, 10)}`,
        organisation: ORGANISATION,
        publicKey,
        notBefore: backdated(now),
        notAfter: new Date(now.getTime() + 10 * 365 * DAY_MS),
        isCa: true,
      },
      signerFor(`${CA_NAME} ${now.toISOString().slice(0, 10)}`, privateKey, ORGANISATION),
    );
    writeAtomically(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
    writeAtomically(certFile, certPem, 0o644);
    return new DevPki(dir, privateKey, certPem, options);
  }

  /**
   * The key and certificate for `name` (an ODS code, or `spine`), issued by this CA on first request and
   * re-issued when missing, near expiry or signed by an older CA.
   */
  identity(name: string, altNames: readonly string[] = DEFAULT_ALT_NAMES): TlsIdentity {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name))
      throw new RangeError(`bad certificate name "${name}"`);
    const keyFile = join(this.dir, `${name}.key.pem`);
    const certFile = join(this.dir, `${name}.cert.pem`);
    if (existsSync(keyFile) && existsSync(certFile)) {
      const certPem = readFileSync(certFile, 'utf8');
      if (this.stillGood(new X509Certificate(certPem))) {
        return { name, keyPem: readFileSync(keyFile, 'utf8'), certPem, caPem: this.caCertPem };
      }
    }
    return this.issue(name, altNames, keyFile, certFile);
  }

  /** Issues a fresh identity without touching the data folder (tests; throwaway clients). */
  ephemeralIdentity(name: string, altNames: readonly string[] = DEFAULT_ALT_NAMES): TlsIdentity {
    return this.issue(name, altNames);
  }

  private issue(name: string, altNames: readonly string[], keyFile?: string, certFile?: string): TlsIdentity {
    const now = this.now();
    const { privateKey, publicKey } = newKeyPair();
    const certPem = issueCertificate(
      {
        commonName: name,
        organisation: ORGANISATION,
        publicKey,
        notBefore: backdated(now),
        notAfter: new Date(now.getTime() + this.validityDays * DAY_MS),
        isCa: false,
        altNames,
      },
      signerFor(this.caCert.subject.replace(/^.*CN=/s, '').trim(), this.caKey, ORGANISATION),
    );
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    if (keyFile && certFile) {
      writeAtomically(keyFile, keyPem, 0o600);
      writeAtomically(certFile, certPem, 0o644);
    }
    return { name, keyPem, certPem, caPem: this.caCertPem };
  }

  private stillGood(cert: X509Certificate): boolean {
    return (
      cert.checkIssued(this.caCert) && cert.verify(this.caCert.publicKey) && !expiresSoon(cert, this.now())
    );
  }
}

function newKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

/** An hour's grace for clocks that disagree a little. */
function backdated(now: Date): Date {
  return new Date(now.getTime() - 3_600_000);
}

function expiresSoon(cert: X509Certificate, now: Date): boolean {
  return new Date(cert.validTo).getTime() - now.getTime() < RENEW_WITHIN_DAYS * DAY_MS;
}

/** Write then rename, so a second process starting at the same moment never reads half a key. */
function writeAtomically(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}
