import type { TLSSocket } from 'node:tls';

/** A TLS peer's credentials: its key and certificate, and the CA it trusts (all PEM). */
export interface TlsIdentity {
  /** The certificate's common name: an ODS code for a practice, `spine` for the simulator. */
  readonly name: string;
  readonly keyPem: string;
  readonly certPem: string;
  readonly caPem: string;
}

/** The common name on Spine's own certificate: the only peer a practice's inbound endpoint takes messages from. */
export const SPINE_PEER_NAME = 'spine';

/** Whether peers must present a certificate from the shared CA (`mutual`, the default) or TLS is off. */
export type TlsMode = 'mutual' | 'off';

/** Options for an HTTPS server that asks every client for a certificate and refuses those the CA did not sign. */
export function mutualTlsServerOptions(identity: TlsIdentity): {
  key: string;
  cert: string;
  ca: string;
  requestCert: true;
  rejectUnauthorized: true;
  minVersion: 'TLSv1.2';
} {
  return {
    key: identity.keyPem,
    cert: identity.certPem,
    ca: identity.caPem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: 'TLSv1.2',
  };
}

/** Options for an HTTPS client that presents its certificate and checks the server's against the CA. */
export function mutualTlsClientOptions(identity: TlsIdentity): {
  key: string;
  cert: string;
  ca: string;
  minVersion: 'TLSv1.2';
} {
  return { key: identity.keyPem, cert: identity.certPem, ca: identity.caPem, minVersion: 'TLSv1.2' };
}

/** Common names already read, per TLS 1.3 socket: reading the certificate on every request costs a lot. */
const namesBySocket = new WeakMap<object, string | undefined>();

/**
 * The common name on the certificate the client presented, or undefined on a plain socket or one that
 * was not authorised (the server refuses those during the handshake, so this is belt and braces). Kept per
 * socket on TLS 1.3, which has no renegotiation, so a connection's peer cannot change under the cache.
 */
export function peerCommonName(socket: unknown): string | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function' || tls.authorized !== true) return undefined;
  if (namesBySocket.has(tls)) return namesBySocket.get(tls);
  const cn = tls.getPeerCertificate().subject?.CN;
  const name = Array.isArray(cn) ? cn[0] : cn;
  if (tls.getProtocol?.() === 'TLSv1.3') namesBySocket.set(tls, name);
  return name;
}
