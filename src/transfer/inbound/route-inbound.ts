import { eq } from 'drizzle-orm';
import { INTERACTION } from '../../hl7/index.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { applyExtract } from '../requesting/receive-extract.ts';
import { applyPart } from '../requesting/receive-part.ts';
import { applyRequestAck } from '../requesting/request-progress.ts';
import { applyFinalAck, applyPartAck } from '../sending/final-ack.ts';
import { applyRequest } from '../sending/receive-request.ts';
import { applyContinue } from '../sending/send-progress.ts';
import type { TransferTx } from '../transfer-tx.ts';
import type { ReceivedMessage } from './inbox.ts';
import { refuseStray } from './stray.ts';

const { outboundMessages } = schema;

/**
 * Sends a received message to the handler of its interaction and of the practice's role in the conversation.
 * Acknowledgements find their transfer through the message they acknowledge. Returns a note where the message
 * belonged to no transfer (kept with the message).
 */
export async function routeInbound(
  ctx: EngineContext,
  t: TransferTx,
  m: ReceivedMessage,
): Promise<string | undefined> {
  const { row } = m;
  switch (row.interactionId) {
    case INTERACTION.ehrRequest:
      return applyRequest(ctx, t, m);
    case INTERACTION.ehrExtract:
    case INTERACTION.ehrExtractNopat:
      return applyExtract(ctx, t, m);
    case INTERACTION.commonContent: {
      const { sending, requesting } = await t.lockConversationRoles(row.practiceOds, row.conversationId);
      if (sending) return applyContinue(ctx, t, m, sending);
      return applyPart(ctx, t, m, requesting);
    }
    case INTERACTION.ack:
      return routeAck(ctx, t, m);
    default:
      return refuseStray(ctx, t, m, `interaction ${row.interactionId} is not part of GP2GP`);
  }
}

/**
 * Whether the message changes no transfer, so marking it applied is all there is to do: an AA of one of our
 * large-message parts (one per part, most of a large transfer's inbound messages). Looked up outside any
 * transaction: a message's purpose never changes once it is queued.
 */
export async function changesNoTransfer(ctx: EngineContext, m: ReceivedMessage): Promise<boolean> {
  if (m.row.interactionId !== INTERACTION.ack || m.hl7.kind !== 'ack' || m.hl7.ack.typeCode !== 'AA')
    return false;
  const ref = m.hl7.ack.acknowledgedMessageId?.toUpperCase();
  if (!ref) return false;
  const [ours] = await ctx.db
    .select({ purpose: outboundMessages.purpose })
    .from(outboundMessages)
    .where(eq(outboundMessages.messageId, ref));
  return ours?.purpose === 'copc';
}

/** An application acknowledgement moves on the transfer of the message it acknowledges. */
async function routeAck(ctx: EngineContext, t: TransferTx, m: ReceivedMessage): Promise<string | undefined> {
  if (m.hl7.kind !== 'ack') return refuseStray(ctx, t, m, 'acknowledgement could not be read');
  const ref = m.hl7.ack.acknowledgedMessageId?.toUpperCase();
  const [ours] = ref
    ? await t.db
        .select({ purpose: outboundMessages.purpose, transferId: outboundMessages.transferId })
        .from(outboundMessages)
        .where(eq(outboundMessages.messageId, ref))
    : [];
  if (ours?.purpose === 'copc' && m.hl7.ack.typeCode === 'AA') return undefined; // a part taken: nothing moves
  const transfer = ours?.transferId ? await t.lock(ours.transferId) : undefined;
  if (!ours || !transfer) {
    return refuseStray(ctx, t, m, `acknowledgement of ${ref ?? 'nothing'}, which this practice did not send`);
  }
  switch (ours.purpose) {
    case 'request':
      return applyRequestAck(ctx, t, transfer, m.hl7.ack, m.row);
    case 'extract':
      return applyFinalAck(ctx, t, transfer, m.hl7.ack, m.row);
    case 'copc':
      return applyPartAck(ctx, t, transfer, m.hl7.ack, m.row);
    default:
      await t.event(transfer, {
        kind: 'received',
        text: `acknowledgement ${m.hl7.ack.typeCode} of our ${ours.purpose}`,
        interactionId: m.row.interactionId,
        messageId: m.row.messageId,
        reasonCode: m.hl7.ack.reasonCode,
      });
  }
}
