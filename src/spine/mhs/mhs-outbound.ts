import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { type Clock, systemClock } from '../../common/clock.ts';
import {
  buildEbxmlMessage,
  type EbxmlFault,
  type ExternalAttachment,
  GP2GP_SERVICE,
  type MessageHeader,
  type OutboundAttachment,
} from '../../ebxml/index.ts';
import { describeFailure, httpExchange } from '../http/http-io.ts';
import { InFlight } from '../http/in-flight.ts';
import type { InteractionReliability } from '../sds/sds-types.ts';
import { backoffMs, retryBudget } from './retry-schedule.ts';
import { type AttemptOutcome, describeFaults, readTransportReply } from './transport-signals.ts';

/** One GP2GP message to send. */
export interface OutboundMessage {
  /** Recipient's MHS party key (from SDS). */
  readonly toPartyKey: string;
  /** GP2GP interaction ID, the ebXML Action (RCMR_IN030000UK06…). */
  readonly interactionId: string;
  readonly conversationId: string;
  /** ebXML MessageId; generated when absent. Every retry reuses it, which is what lets the receiver drop copies. */
  readonly messageId?: string;
  readonly refToMessageId?: string;
  /** The HL7 payload. */
  readonly payload: string;
  readonly attachments?: readonly OutboundAttachment[];
  readonly externalAttachments?: readonly ExternalAttachment[];
  /** Retries and persist duration, from SDS for this interaction. */
  readonly reliability: InteractionReliability;
  /** CPA ID; defaults to one derived from the interaction. */
  readonly cpaId?: string;
}

/** How a reliable send ended. */
export type SendOutcome =
  | { readonly kind: 'acknowledged'; readonly messageId: string; readonly attempts: number }
  | {
      readonly kind: 'rejected';
      readonly messageId: string;
      readonly attempts: number;
      readonly faults: readonly EbxmlFault[];
    }
  | {
      readonly kind: 'expired';
      readonly messageId: string;
      readonly attempts: number;
      readonly lastFailure: string;
    }
  | { readonly kind: 'cancelled'; readonly messageId: string; readonly attempts: number };

/** Options for {@link MhsOutboundClient}. */
export interface MhsOutboundOptions {
  /** The Spine MHS forward-reliable URL, e.g. `https://127.0.0.1:8443/reliablemessaging/forwardreliable`. */
  readonly spineUrl: string;
  /** Connection pool presenting this practice's certificate. */
  readonly agent: HttpAgent | HttpsAgent;
  /** This practice's MHS party key (ebXML From). */
  readonly fromPartyKey: string;
  /**
   * Longest one attempt may take before it counts as lost, in ms of real time (default 30 s): it bounds a
   * socket, so it is the one wait not on {@link clock}.
   */
  readonly attemptTimeoutMs?: number;
  /** Ceiling on one backoff wait, in ms (default 5 minutes). */
  readonly maxBackoffMs?: number;
  readonly random?: () => number;
  /** Retry waits, the persist-duration deadline and header timestamps (default the system clock). */
  readonly clock?: Clock;
  /** Called before each retry (for logs and metrics). */
  readonly onRetry?: (info: { messageId: string; attempt: number; reason: string; waitMs: number }) => void;
}

/** An ebXML message ready to post: the same bytes go out on every attempt. */
export interface BuiltMessage {
  readonly contentType: string;
  readonly body: Buffer;
}

/** Options for one {@link MhsOutboundClient.attempt}. */
export interface AttemptOptions {
  /** Longest the POST may take, in ms of real time (default the client's `attemptTimeoutMs`). */
  readonly timeoutMs?: number;
  /** Abandons the POST; the outcome is then `transient` (nothing is known about delivery). */
  readonly signal?: AbortSignal;
}

/** A message with its ebXML identity fixed, so building it again (after a crash) gives the same header. */
export type OutboundEnvelope = Omit<OutboundMessage, 'reliability' | 'messageId'> & {
  readonly messageId: string;
  readonly timestamp: Date;
};

/**
 * Builds the ebXML message for `message` as sent from `fromPartyKey`: forward-reliable (duplicate elimination,
 * ack requested), CPA ID derived from the interaction unless given. The header depends only on the arguments,
 * so a sender that kept its MessageId and timestamp can rebuild and re-send the same message after a restart
 * (the MIME boundary is fresh each time; receivers de-duplicate by MessageId).
 *
 * @example
 * const built = buildOutboundMessage('A12345-900001', { ...message, messageId: row.messageId, timestamp: row.createdAt });
 * const outcome = await mhs.attempt(row.messageId, built);
 */
export function buildOutboundMessage(fromPartyKey: string, message: OutboundEnvelope): BuiltMessage {
  const header: MessageHeader = {
    fromPartyId: fromPartyKey,
    toPartyId: message.toPartyKey,
    cpaId: message.cpaId ?? `S-${message.interactionId}`,
    conversationId: message.conversationId,
    service: GP2GP_SERVICE,
    action: message.interactionId,
    messageId: message.messageId,
    timestamp: message.timestamp.toISOString(),
    ...(message.refToMessageId ? { refToMessageId: message.refToMessageId } : {}),
    duplicateElimination: true,
    ackRequested: true,
  };
  return buildEbxmlMessage({
    header,
    payload: message.payload,
    ...(message.attachments ? { attachments: message.attachments } : {}),
    ...(message.externalAttachments ? { externalAttachments: message.externalAttachments } : {}),
  });
}

/**
 * The sending half of a practice MHS: ebXML forward-reliable messaging to Spine. {@link attempt} posts once;
 * {@link send} and {@link transmit} post until the message is acknowledged, refused, or its retries or persist
 * duration run out, with the same MessageId each time.
 *
 * @example
 * const mhs = new MhsOutboundClient({ spineUrl, agent, fromPartyKey: 'A12345-900001' });
 * const r = await mhs.send({ toPartyKey, interactionId: 'RCMR_IN010000UK05', conversationId, payload, reliability });
 */
export class MhsOutboundClient {
  /** Attempts posting right now (tests wait on it; a shutdown can too). */
  readonly inFlight = new InFlight();
  private readonly options: MhsOutboundOptions;
  private readonly url: URL;
  private readonly clock: Clock;

  constructor(options: MhsOutboundOptions) {
    this.options = options;
    this.url = new URL(options.spineUrl);
    this.clock = options.clock ?? systemClock;
  }

  /** Builds the ebXML message and sends it reliably. `signal` stops retrying (the outcome is `cancelled`). */
  async send(message: OutboundMessage, signal?: AbortSignal): Promise<SendOutcome> {
    const messageId = message.messageId ?? crypto.randomUUID().toUpperCase();
    const built = buildOutboundMessage(this.options.fromPartyKey, {
      ...message,
      messageId,
      timestamp: new Date(this.clock.now()),
    });
    return this.transmit(messageId, built, message.reliability, signal);
  }

  /**
   * Posts a built message once, without retrying: for a caller that keeps its own outbox and retry timers.
   * Never throws for network trouble: no reply, a cut connection or a 5xx is `transient`.
   *
   * @example
   * const o = await mhs.attempt(messageId, built, { timeoutMs: 30_000 });
   * if (o.kind === 'transient') scheduleRetry(o.reason);
   */
  async attempt(
    messageId: string,
    built: BuiltMessage,
    options: AttemptOptions = {},
  ): Promise<AttemptOutcome> {
    const end = this.inFlight.begin();
    const out = await httpExchange({
      url: this.url,
      method: 'POST',
      headers: { 'content-type': built.contentType, soapaction: 'urn:nhs:names:services:gp2gp' },
      body: built.body,
      agent: this.options.agent,
      timeoutMs: options.timeoutMs ?? this.options.attemptTimeoutMs ?? 30_000,
      ...(options.signal ? { signal: options.signal } : {}),
    }).finally(end);
    return out.ok
      ? readTransportReply(out.response.status, out.response.body, messageId)
      : { kind: 'transient', reason: describeFailure(out.failure) };
  }

  /** Sends an already-built ebXML body reliably (the same bytes on every attempt), waiting on the clock. */
  async transmit(
    messageId: string,
    built: BuiltMessage,
    reliability: InteractionReliability,
    signal?: AbortSignal,
  ): Promise<SendOutcome> {
    const budget = retryBudget(reliability, this.clock.now());
    const random = this.options.random ?? Math.random;
    let lastFailure = 'not sent';
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return { kind: 'cancelled', messageId, attempts: attempt - 1 };
      const remaining = budget.deadline - this.clock.now();
      if (remaining <= 0) return { kind: 'expired', messageId, attempts: attempt - 1, lastFailure };
      const timeoutMs = Math.min(this.options.attemptTimeoutMs ?? 30_000, remaining);
      const reply = await this.attempt(messageId, built, { timeoutMs, ...(signal ? { signal } : {}) });
      if (reply.kind === 'acknowledged') return { kind: 'acknowledged', messageId, attempts: attempt };
      if (reply.kind === 'rejected')
        return { kind: 'rejected', messageId, attempts: attempt, faults: reply.faults };
      if (signal?.aborted) return { kind: 'cancelled', messageId, attempts: attempt };
      lastFailure = reply.reason;
      const wait = backoffMs(attempt, budget.intervalMs, this.options.maxBackoffMs ?? 300_000, random);
      // no retry left, or none could start before the persist duration ends
      if (attempt === budget.maxAttempts || this.clock.now() + wait >= budget.deadline)
        return { kind: 'expired', messageId, attempts: attempt, lastFailure };
      this.options.onRetry?.({ messageId, attempt, reason: lastFailure, waitMs: wait });
      try {
        await this.clock.sleep(wait, signal);
      } catch {
        return { kind: 'cancelled', messageId, attempts: attempt };
      }
    }
  }
}

/** One line for a send outcome, for logs. */
export function describeOutcome(o: SendOutcome): string {
  switch (o.kind) {
    case 'acknowledged':
      return `acknowledged after ${o.attempts} attempt(s)`;
    case 'rejected':
      return `refused: ${describeFaults(o.faults)}`;
    case 'expired':
      return `gave up after ${o.attempts} attempt(s): ${o.lastFailure}`;
    case 'cancelled':
      return `cancelled after ${o.attempts} attempt(s)`;
  }
}
