import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { SeenMessageIds } from '../../common/seen-message-ids.ts';
import { spineAgent } from '../http/agents.ts';
import type { ServerLimits } from '../http/server-limits.ts';
import { InMemorySeenMessageIds } from '../mhs/in-memory-seen-message-ids.ts';
import { type InboundDelivery, MhsInboundEndpoint } from '../mhs/mhs-inbound.ts';
import { MhsOutboundClient } from '../mhs/mhs-outbound.ts';
import type { PracticeDirectoryEntry } from '../sds/sds-types.ts';
import type { TlsIdentity } from '../tls/tls-identity.ts';
import { SpineSimulator, type SpineSimulatorOptions } from './spine-simulator.ts';

/** One practice's MHS on the local network: its inbound endpoint and a client for sending. */
export interface LocalPractice {
  readonly entry: PracticeDirectoryEntry;
  readonly identity: TlsIdentity | undefined;
  readonly inbound: MhsInboundEndpoint;
  readonly outbound: MhsOutboundClient;
  /** The pool the practice uses towards Spine (PDS and SDS clients can share it). */
  readonly agent: HttpAgent | HttpsAgent;
  readonly seen: SeenMessageIds;
}

/** Options for {@link startLocalNetwork}. */
export interface LocalNetworkOptions extends SpineSimulatorOptions {
  /** Receives every message delivered to any practice (once per MessageId). */
  readonly onMessage?: (ods: string, delivery: InboundDelivery) => Promise<void>;
  /** Per-attempt timeout of the practices' senders, in ms of real time (default 30 s). */
  readonly attemptTimeoutMs?: number;
  /** Limits of the practices' inbound endpoints (`limits` are Spine's). */
  readonly endpointLimits?: ServerLimits;
}

/** A running simulator with practice MHS endpoints wired to it. */
export interface LocalNetwork {
  readonly spine: SpineSimulator;
  readonly practices: ReadonlyMap<string, LocalPractice>;
  /** Stops Spine (releasing held messages), then the practices. */
  stop(): Promise<void>;
}

/**
 * Starts Spine and an inbound endpoint plus an outbound client for every practice in `options.practices`
 * (England and live ones; others stay unreachable as in real life), registering their endpoints in SDS.
 * For tests, benchmarks and `gp2gp simulate`.
 *
 * @example
 * const net = await startLocalNetwork({ dataDir, practices: samplePractices(), onMessage: async (ods, d) => {} });
 * await net.practices.get('SIMA01')!.outbound.send({ … });
 * await net.stop();
 */
export async function startLocalNetwork(options: LocalNetworkOptions): Promise<LocalNetwork> {
  const spine = await SpineSimulator.start(options);
  const practices = new Map<string, LocalPractice>();
  try {
    for (const entry of spine.directory.entries()) {
      if (entry.country !== 'England' || !entry.gp2gpLive) continue;
      const identity = spine.identityFor(entry.ods);
      const seen = new InMemorySeenMessageIds({ clock: spine.clock });
      const inbound = await MhsInboundEndpoint.start({
        party: { ods: entry.ods, partyKey: entry.partyKey, asid: entry.asid },
        identity,
        seen,
        directory: spine.directory,
        clock: spine.clock,
        ...(options.endpointLimits ? { limits: options.endpointLimits } : {}),
        onMessage: (d) => options.onMessage?.(entry.ods, d) ?? Promise.resolve(),
        ...(options.host ? { host: options.host } : {}),
      });
      const agent = spineAgent(identity);
      const outbound = new MhsOutboundClient({
        spineUrl: spine.urls.mhs,
        agent,
        fromPartyKey: entry.partyKey,
        clock: spine.clock,
        ...(options.attemptTimeoutMs ? { attemptTimeoutMs: options.attemptTimeoutMs } : {}),
      });
      const practice = { entry, identity, inbound, outbound, agent, seen };
      practices.set(entry.ods, practice);
      const registered = await spine.registerEndpoint(entry.ods, inbound.url);
      if (registered.kind !== 'registered')
        throw new Error(`cannot register ${entry.ods}: ${registered.kind}`);
      practices.set(entry.ods, { ...practice, entry: registered.entry });
    }
  } catch (e) {
    await stopAll(practices, spine);
    throw e;
  }
  return { spine, practices, stop: () => stopAll(practices, spine) };
}

async function stopAll(practices: ReadonlyMap<string, LocalPractice>, spine: SpineSimulator): Promise<void> {
  // Spine first releases held messages; then practices close their endpoints and pools
  await spine.stop();
  for (const p of practices.values()) {
    await p.inbound.close();
    p.agent.destroy();
  }
}
