import type { InboundDelivery } from '../../spine/index.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext, HostedPractice } from '../engine-context.ts';
import { storeReceivedParts, summariseReceivedMessage } from '../large-message/index.ts';
import type { InboundRow } from './inbox.ts';

/** Payloads larger than this go to the document store instead of the inbound row. */
const INLINE_PAYLOAD_BYTES = 64 * 1024;

/**
 * Takes a message from a practice's MHS endpoint: its attachment parts go to the document store (as sent, only
 * transfer-decoded), then the message is written to the inbound table keyed by MessageId. Only then does the
 * endpoint acknowledge it to Spine, so an acknowledged message is never lost; a copy is stored once.
 *
 * @example
 * onMessage: (delivery) => receiveMessage(ctx, practice, delivery)
 */
export async function receiveMessage(
  ctx: EngineContext,
  practice: HostedPractice,
  delivery: InboundDelivery,
): Promise<InboundRow | undefined> {
  const { message } = delivery;
  const stored = await storeReceivedParts(message, ctx.documents);
  const payload = message.payload ?? '';
  let payloadDocumentId: string | null = null;
  if (Buffer.byteLength(payload) > INLINE_PAYLOAD_BYTES) {
    const put = await ctx.documents.put([Buffer.from(payload, 'utf8')]);
    if (!put.ok) throw new Error('HL7 payload is larger than the document store takes');
    payloadDocumentId = put.document.id;
  }
  const now = new Date(ctx.clock.now());
  // Leased to this process, its first attempt counted, so it is applied here without a claim; a copy already
  // stored is not stored again (undefined).
  const [row] = await ctx.db
    .insert(schema.inboundMessages)
    .values({
      messageId: message.header.messageId.toUpperCase(),
      practiceOds: practice.ods,
      conversationId: message.header.conversationId.toUpperCase(),
      interactionId: message.header.action,
      fromPartyKey: message.header.fromPartyId,
      receivedAt: now,
      payload: payloadDocumentId ? null : payload,
      payloadDocumentId,
      parts: summariseReceivedMessage(message, stored) as unknown as Record<string, unknown>,
      state: 'pending',
      attempts: 1,
      leaseUntil: new Date(now.getTime() + ctx.settings.leaseMs),
      nextAttemptAt: now,
    })
    .onConflictDoNothing()
    .returning();
  return row;
}
