import { createHash, createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isIP } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der.ts';

/** What a new certificate says about its subject and how it may be used. */
export interface CertificateRequest {
  /** Subject common name: the ODS code for a practice, `spine` for the simulator, a label for the CA. */
  readonly commonName: string;
  readonly organisation?: string;
  /** The subject's public key. */
  readonly publicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A CA certificate (may sign others) rather than an end-entity one. */
  readonly isCa: boolean;
  /** DNS names and IP addresses the certificate is valid for (end entities). */
  readonly altNames?: readonly string[];
}

/** Who signs: the issuer's name, private key and public key (self-signed when it is the subject's own). */
export interface CertificateSigner {
  readonly commonName: string;
  readonly organisation?: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const OID = {
  commonName: '2.5.4.3',
  organisation: '2.5.4.10',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

/**
 * Issues an X.509 v3 certificate signed with ECDSA P-256/SHA-256 and returns it as PEM.
 *
 * @example
 * const pem = issueCertificate({ commonName: 'A12345', publicKey, notBefore, notAfter, isCa: false,
 *   altNames: ['localhost', '127.0.0.1'] }, caSigner);
 */
export function issueCertificate(request: CertificateRequest, signer: CertificateSigner): string {
  const algorithm = sequence(oid(OID.ecdsaWithSha256));
  const spki = request.publicKey.export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    explicit(0, smallInteger(2)), // v3
    unsignedInteger(serialNumber()),
    algorithm,
    distinguishedName(signer.commonName, signer.organisation),
    sequence(time(request.notBefore), time(request.notAfter)),
    distinguishedName(request.commonName, request.organisation),
    spki,
    explicit(3, sequence(...extensions(request, spki, signer))),
  );
  const signature = sign('sha256', tbs, signer.privateKey); // DER ECDSA-Sig-Value by default
  const der = sequence(tbs, algorithm, bitString(signature));
  return toPem(der);
}

/** A signer made from a private key, for self-signing or for a CA read back from disk. */
export function signerFor(
  commonName: string,
  privateKey: KeyObject,
  organisation?: string,
): CertificateSigner {
  return { commonName, organisation, privateKey, publicKey: createPublicKey(privateKey) };
}

function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // RFC 5280: positive, at most 20 octets
  if (bytes[0] === 0) bytes[0] = 1;
  return bytes;
}

function distinguishedName(commonName: string, organisation: string | undefined): Buffer {
  const rdns: Buffer[] = [];
  if (organisation) rdns.push(set(sequence(oid(OID.organisation), utf8String(organisation))));
  rdns.push(set(sequence(oid(OID.commonName), utf8String(commonName))));
  return sequence(...rdns);
}

function keyIdentifier(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

function extensions(request: CertificateRequest, spki: Buffer, signer: CertificateSigner): Buffer[] {
  const signerSpki = signer.publicKey.export({ type: 'spki', format: 'der' });
  const out = [
    extension(OID.basicConstraints, true, request.isCa ? sequence(boolean(true)) : sequence()),
    // keyUsage bits: digitalSignature (0) for TLS peers; keyCertSign (5) + cRLSign (6) for the CA
    extension(OID.keyUsage, true, request.isCa ? bitStringBits([5, 6]) : bitStringBits([0])),
    extension(OID.subjectKeyIdentifier, false, octetString(keyIdentifier(spki))),
    extension(OID.authorityKeyIdentifier, false, sequence(implicitPrimitive(0, keyIdentifier(signerSpki)))),
  ];
  if (!request.isCa) {
    out.push(extension(OID.extKeyUsage, false, sequence(oid(OID.serverAuth), oid(OID.clientAuth))));
    const names = (request.altNames ?? []).map((n) =>
      isIP(n) ? implicitPrimitive(7, ipBytes(n)) : implicitPrimitive(2, Buffer.from(n, 'ascii')),
    );
    if (names.length) out.push(extension(OID.subjectAltName, false, sequence(...names)));
  }
  return out;
}

/** A BIT STRING with the named bits set (bit 0 is the most significant bit of the first byte). */
function bitStringBits(bits: readonly number[]): Buffer {
  const max = Math.max(...bits);
  const length = Math.floor(max / 8) + 1;
  const bytes = Buffer.alloc(length);
  for (const b of bits) bytes[Math.floor(b / 8)] = (bytes[Math.floor(b / 8)] ?? 0) | (0x80 >> (b % 8));
  const unused = length * 8 - (max + 1);
  return Buffer.concat([Buffer.from([0x03, length + 1, unused]), bytes]);
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand `::` and write eight 16-bit groups
  const [head = '', tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  return out;
}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}
