import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  buildEbxmlMessage,
  type EbxmlFault,
  type ExternalAttachment,
  GP2GP_SERVICE,
  type MessageHeader,
  type OutboundAttachment,
} from '../../ebxml/index.ts';
import { httpExchange } from '../http/http-io.ts';
import type { InteractionReliability } from '../sds/sds-types.ts';
import { backoffMs, retryBudget } from './retry-schedule.ts';
import { describe, readTransportReply } from './transport-signals.ts';

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
  /** Longest one attempt may take before it counts as lost, in ms (default 30 s). */
  readonly attemptTimeoutMs?: number;
  /** Ceiling on one backoff wait, in ms (default 5 minutes). */
  readonly maxBackoffMs?: number;
  readonly random?: () => number;
  /** Called before each retry (for logs and metrics). */
  readonly onRetry?: (info: { messageId: string; attempt: number; reason: string; waitMs: number }) => void;
}

/**
 * The sending half of a practice MHS: ebXML forward-reliable messaging to Spine. A message is posted until it
 * is acknowledged, refused, or its retries or persist duration run out; the same MessageId is sent each time.
 *
 * @example
 * const mhs = new MhsOutboundClient({ spineUrl, agent, fromPartyKey: 'A12345-900001' });
 * const r = await mhs.send({ toPartyKey, interactionId: 'RCMR_IN010000UK05', conversationId, payload, reliability });
 */
export class MhsOutboundClient {
  private readonly options: MhsOutboundOptions;
  private readonly url: URL;

  constructor(options: MhsOutboundOptions) {
    this.options = options;
    this.url = new URL(options.spineUrl);
  }

  /** Builds the ebXML message and sends it reliably. `signal` stops retrying (the outcome is `cancelled`). */
  async send(message: OutboundMessage, signal?: AbortSignal): Promise<SendOutcome> {
    const header = this.header(message);
    const built = buildEbxmlMessage({
      header,
      payload: message.payload,
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(message.externalAttachments ? { externalAttachments: message.externalAttachments } : {}),
    });
    return this.transmit(header.messageId, built, message.reliability, signal);
  }

  /** Sends an already-built ebXML body reliably (the same bytes on every attempt). */
  async transmit(
    messageId: string,
    built: { contentType: string; body: Buffer },
    reliability: InteractionReliability,
    signal?: AbortSignal,
  ): Promise<SendOutcome> {
    const started = Date.now();
    const budget = retryBudget(reliability, started);
    const random = this.options.random ?? Math.random;
    let lastFailure = 'not sent';
    for (let attempt = 1; attempt <= budget.maxAttempts; attempt++) {
      if (signal?.aborted) return { kind: 'cancelled', messageId, attempts: attempt - 1 };
      const remaining = budget.deadline - Date.now();
      if (remaining <= 0) break;
      const out = await httpExchange({
        url: this.url,
        method: 'POST',
        headers: { 'content-type': built.contentType, soapaction: 'urn:nhs:names:services:gp2gp' },
        body: built.body,
        agent: this.options.agent,
        timeoutMs: Math.min(this.options.attemptTimeoutMs ?? 30_000, remaining),
      });
      if (out.ok) {
        const reply = readTransportReply(out.response.status, out.response.body, messageId);
        if (reply.kind === 'acknowledged') return { kind: 'acknowledged', messageId, attempts: attempt };
        if (reply.kind === 'rejected')
          return { kind: 'rejected', messageId, attempts: attempt, faults: reply.faults };
        lastFailure = reply.reason;
      } else {
        lastFailure = out.failure.kind === 'timeout' ? 'no reply in time' : out.failure.message;
      }
      if (attempt === budget.maxAttempts)
        return { kind: 'expired', messageId, attempts: attempt, lastFailure };
      const wait = Math.min(
        backoffMs(attempt, budget.intervalMs, this.options.maxBackoffMs ?? 300_000, random),
        budget.deadline - Date.now(),
      );
      if (wait < 0) return { kind: 'expired', messageId, attempts: attempt, lastFailure };
      this.options.onRetry?.({ messageId, attempt, reason: lastFailure, waitMs: wait });
      try {
        await sleep(wait, undefined, signal ? { signal } : {});
      } catch {
        return { kind: 'cancelled', messageId, attempts: attempt };
      }
    }
    return { kind: 'expired', messageId, attempts: budget.maxAttempts, lastFailure };
  }

  private header(m: OutboundMessage): MessageHeader {
    return {
      fromPartyId: this.options.fromPartyKey,
      toPartyId: m.toPartyKey,
      cpaId: m.cpaId ?? `S-${m.interactionId}`,
      conversationId: m.conversationId,
      service: GP2GP_SERVICE,
      action: m.interactionId,
      messageId: m.messageId ?? crypto.randomUUID().toUpperCase(),
      timestamp: new Date().toISOString(),
      ...(m.refToMessageId ? { refToMessageId: m.refToMessageId } : {}),
      duplicateElimination: true,
      ackRequested: true,
    };
  }
}

/** One line for a send outcome, for logs. */
export function describeOutcome(o: SendOutcome): string {
  switch (o.kind) {
    case 'acknowledged':
      return `acknowledged after ${o.attempts} attempt(s)`;
    case 'rejected':
      return `refused: ${describe(o.faults)}`;
    case 'expired':
      return `gave up after ${o.attempts} attempt(s): ${o.lastFailure}`;
    case 'cancelled':
      return `cancelled after ${o.attempts} attempt(s)`;
  }
}
