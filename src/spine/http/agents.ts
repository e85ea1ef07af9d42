import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { TlsIdentity } from '../tls/tls-identity.ts';
import { mutualTlsClientOptions } from '../tls/tls-identity.ts';

/** Options for {@link spineAgent}. */
export interface SpineAgentOptions {
  /** Connections kept per host (default 64). */
  readonly maxSockets?: number;
}

/**
 * A keep-alive connection pool for talking to Spine or a practice: HTTPS presenting `identity` when one is
 * given (mutual TLS), plain HTTP otherwise (only when TLS is switched off for a local experiment).
 */
export function spineAgent(
  identity: TlsIdentity | undefined,
  options: SpineAgentOptions = {},
): HttpAgent | HttpsAgent {
  const pool = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const };
  return identity ? new HttpsAgent({ ...pool, ...mutualTlsClientOptions(identity) }) : new HttpAgent(pool);
}
