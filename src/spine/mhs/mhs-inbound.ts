import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, systemClock } from '../../common/clock.ts';
import type { SeenMessageIds } from '../../common/seen-message-ids.ts';
import {
  type EbxmlFault,
  type EbxmlMessage,
  type MessageHeader,
  parseEbxmlMessage,
} from '../../ebxml/index.ts';
import { readBody } from '../http/http-io.ts';
import {
  createLimitedServer,
  type ResolvedServerLimits,
  resolveServerLimits,
  type ServerLimits,
} from '../http/server-limits.ts';
import type { SpineDirectory } from '../sds/sds-types.ts';
import { peerCommonName, SPINE_PEER_NAME, type TlsIdentity } from '../tls/tls-identity.ts';
import { type Hl7Addressing, readHl7Addressing } from './hl7-addressing.ts';
import { ackReply, bodyRefusal, errorReply, type SignalReply, sendSignal } from './transport-signals.ts';

/** The practice an inbound endpoint receives for. */
export interface InboundParty {
  readonly ods: string;
  readonly partyKey: string;
  readonly asid: string;
}

/** A message handed to the application, once per MessageId. */
export interface InboundDelivery {
  readonly message: EbxmlMessage;
  /** Common name on the certificate of whoever sent it over TLS (normally `spine`). */
  readonly peer: string | undefined;
  readonly receivedAt: Date;
}

/** Options for {@link MhsInboundEndpoint.start}. */
export interface MhsInboundOptions {
  readonly party: InboundParty;
  /** TLS identity; undefined serves plain HTTP (only for local experiments with TLS switched off). */
  readonly identity: TlsIdentity | undefined;
  /** Duplicate elimination: `InMemorySeenMessageIds` for one process, store's `DatabaseSeenMessageIds` when instances share a database. */
  readonly seen: SeenMessageIds;
  /** Takes the message; a rejection or throw makes the sender retry (a transient DeliveryFailure). */
  readonly onMessage: (delivery: InboundDelivery) => Promise<void>;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** URL path the endpoint answers on (default `/reliablemessaging/forwardreliable`). */
  readonly path?: string;
  /** Largest message accepted, in bytes (default 100 MiB). */
  readonly maxMessageBytes?: number;
  /** How long MessageIds are remembered for duplicate elimination, in ms (default 24 h; at least the persist duration). */
  readonly rememberMs?: number;
  /**
   * Certificate names allowed to post (default: only Spine's, {@link SPINE_PEER_NAME}: practices reach each other
   * through the hub, never directly). Not checked without TLS, where no peer is authenticated.
   */
  readonly allowedPeers?: readonly string[];
  /**
   * Where the From party's ASID is looked up (SDS): a message whose HL7 sender ASID is not the From party's is
   * refused, so a party cannot speak for another inside the payload.
   */
  readonly directory: Pick<SpineDirectory, 'byPartyKey'>;
  /** Time for `rememberUntil` and `receivedAt` (default the system clock). */
  readonly clock?: Clock;
  /** Connection cap, socket timeouts and the memory budget for bodies in flight (defaults in {@link ServerLimits}). */
  readonly limits?: ServerLimits;
}

/** Counts of what the endpoint did. */
export interface InboundStats {
  received: number;
  delivered: number;
  duplicates: number;
  refused: number;
  failed: number;
}

const DEFAULT_PATH = '/reliablemessaging/forwardreliable';

/**
 * A practice's MHS inbound endpoint: ebXML forward-reliable messaging over HTTPS with mutual TLS. Each message
 * is checked (To party and HL7 receiver ASID are ours), de-duplicated by MessageId, handed to the application
 * once, and answered with an Acknowledgment, or an ErrorList saying whether a retry could help.
 *
 * @example
 * const inbound = await MhsInboundEndpoint.start({ party, identity, seen: new InMemorySeenMessageIds(), onMessage });
 * sds.setEndpoint(party.ods, inbound.url);
 * await inbound.close();
 */
export class MhsInboundEndpoint {
  readonly url: string;
  readonly stats: InboundStats = { received: 0, delivered: 0, duplicates: 0, refused: 0, failed: 0 };
  private readonly server: Server;
  private readonly options: MhsInboundOptions;
  private readonly limits: ResolvedServerLimits;
  private readonly inFlight = new Map<string, Promise<SignalReply>>();

  private constructor(server: Server, url: string, options: MhsInboundOptions, limits: ResolvedServerLimits) {
    this.server = server;
    this.url = url;
    this.options = options;
    this.limits = limits;
  }

  /** Starts listening; resolves once the port is bound. */
  static async start(options: MhsInboundOptions): Promise<MhsInboundEndpoint> {
    const host = options.host ?? '127.0.0.1';
    let endpoint: MhsInboundEndpoint | undefined;
    const limits = resolveServerLimits(options.limits);
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      endpoint?.handle(req, res).catch((e: unknown) => {
        // whatever went wrong, the sender gets an ebXML answer it can act on: try again later
        sendSignal(res, errorReply(undefined, fault('DeliveryFailure', `endpoint failed: ${String(e)}`)));
      });
    };
    const server = createLimitedServer(options.identity, limits, handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const scheme = options.identity ? 'https' : 'http';
    endpoint = new MhsInboundEndpoint(
      server,
      `${scheme}://${host}:${port}${options.path ?? DEFAULT_PATH}`,
      options,
      limits,
    );
    return endpoint;
  }

  /** Stops accepting and closes every connection. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'POST' || path !== new URL(this.url).pathname) {
      req.resume();
      res.writeHead(path === new URL(this.url).pathname ? 405 : 404).end();
      return;
    }
    const peer = peerCommonName(req.socket);
    const allowed = this.options.allowedPeers ?? [SPINE_PEER_NAME];
    if (this.options.identity && (!peer || !allowed.includes(peer))) {
      req.resume();
      this.stats.refused++;
      sendSignal(
        res,
        errorReply(undefined, fault('SecurityFailure', `certificate ${peer ?? '(none)'} may not post here`)),
      );
      return;
    }
    const lease = this.limits.bodyBudget.lease();
    res.once('close', lease.release);
    const read = await readBody(req, this.options.maxMessageBytes ?? 100 * 1024 * 1024, {
      lease,
      idleTimeoutMs: this.limits.bodyIdleTimeoutMs,
    });
    if (!read.ok) {
      this.stats.refused++;
      const refusal = bodyRefusal(read.reason);
      if (refusal) sendSignal(res, errorReply(undefined, refusal));
      return;
    }
    this.stats.received++;
    let message: EbxmlMessage;
    try {
      message = parseEbxmlMessage(read.body, String(req.headers['content-type'] ?? ''));
    } catch (e) {
      this.stats.refused++;
      sendSignal(
        res,
        errorReply(undefined, fault('MimeProblem', e instanceof Error ? e.message : 'unreadable message')),
      );
      return;
    }
    const addressing = message.payload === undefined ? undefined : readHl7Addressing(message.payload);
    const refusal = this.check(message, addressing) ?? (await this.checkSender(message.header, addressing));
    if (refusal) {
      this.stats.refused++;
      sendSignal(res, errorReply(message.header, refusal));
      return;
    }
    sendSignal(res, await this.deliverOnce(message, peer));
  }

  /** A reason to refuse the message outright, or undefined when it is ours and well formed. */
  private check(message: EbxmlMessage, addressing: Hl7Addressing | undefined): EbxmlFault | undefined {
    const { header } = message;
    const party = this.options.party;
    if (header.toPartyId !== party.partyKey) {
      return fault(
        'ValueNotRecognized',
        `To party ${header.toPartyId} is not ${party.partyKey}`,
        'Error',
        'MessageHeader/To/PartyId',
      );
    }
    if (message.payload === undefined) return fault('Inconsistent', 'message has no HL7 payload');
    // An HL7 payload that cannot be read is still delivered: the application answers it with the GP2GP reason
    // code the sender needs (18, 21, 29), which a transport refusal cannot carry. Only Spine posts here, and the
    // hub has checked who sent it.
    if (!addressing) return undefined;
    if (addressing.receiverAsid !== party.asid) {
      return fault(
        'ValueNotRecognized',
        `HL7 receiver ASID ${addressing.receiverAsid ?? '(none)'} is not ${party.asid}`,
      );
    }
    return undefined;
  }

  /** A reason to refuse a message whose HL7 sender ASID is not the ebXML From party's (as SDS knows it). */
  private async checkSender(
    header: MessageHeader,
    addressing: Hl7Addressing | undefined,
  ): Promise<EbxmlFault | undefined> {
    const { fromPartyId } = header;
    const sender = addressing?.senderAsid;
    const from = await this.options.directory.byPartyKey(fromPartyId);
    switch (from.kind) {
      case 'unavailable':
        return fault('DeliveryFailure', `cannot check the From party now: ${from.message}`);
      case 'not-found':
        return fault(
          'ValueNotRecognized',
          `unknown From party ${fromPartyId}`,
          'Error',
          'MessageHeader/From/PartyId',
        );
      case 'found':
        return sender === from.entry.asid || addressing === undefined
          ? undefined
          : fault(
              'SecurityFailure',
              `HL7 sender ASID ${sender ?? '(none)'} is not ${fromPartyId}'s ASID ${from.entry.asid}`,
            );
    }
  }

  /** Duplicate elimination: concurrent copies share one delivery; later copies are acknowledged unseen. */
  private deliverOnce(message: EbxmlMessage, peer: string | undefined): Promise<SignalReply> {
    const key = message.header.messageId.toUpperCase();
    const running = this.inFlight.get(key);
    if (running) {
      this.stats.duplicates++;
      return running;
    }
    const p = this.deliver(message, peer).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async deliver(message: EbxmlMessage, peer: string | undefined): Promise<SignalReply> {
    const { header } = message;
    const clock = this.options.clock ?? systemClock;
    const until = new Date(clock.now() + (this.options.rememberMs ?? 86_400_000));
    const claim = header.duplicateElimination
      ? await this.options.seen.claim(header.messageId, until)
      : 'new';
    if (claim === 'delivered') {
      this.stats.duplicates++;
      return ackReply(header);
    }
    if (claim === 'in-progress') {
      // another adaptor instance holds it: the sender's retry will find it delivered (or free again)
      return errorReply(
        header,
        fault('DeliveryFailure', 'message is being delivered by another instance', 'Warning'),
      );
    }
    try {
      await this.options.onMessage({ message, peer, receivedAt: new Date(clock.now()) });
    } catch (e) {
      if (header.duplicateElimination) await this.options.seen.release(header.messageId);
      this.stats.failed++;
      return errorReply(
        header,
        fault(
          'DeliveryFailure',
          `application did not take the message: ${e instanceof Error ? e.message : String(e)}`,
        ),
      );
    }
    if (header.duplicateElimination) await this.options.seen.markDelivered(header.messageId);
    this.stats.delivered++;
    return ackReply(header);
  }
}

function fault(
  errorCode: string,
  description: string,
  severity: EbxmlFault['severity'] = 'Error',
  location?: string,
): EbxmlFault {
  return { errorCode, severity, description, ...(location ? { location } : {}) };
}
