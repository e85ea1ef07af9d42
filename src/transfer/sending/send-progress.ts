import { and, eq, ne } from 'drizzle-orm';
import { schema } from '../../store/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { ReceivedMessage } from '../inbound/inbox.ts';
import { detailsOf, type TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';
import { FINAL_ACK_TIMEOUT, failSending } from './final-ack.ts';

/**
 * Spine has the extract. With large-message parts to follow, the requester's Continue is awaited; otherwise the
 * final acknowledgement is. The 8-day limit for the final acknowledgement starts now either way.
 */
export async function extractDelivered(ctx: EngineContext, t: TransferTx, row: TransferRow): Promise<void> {
  if (row.state !== 'sending-extract') return;
  const parts = detailsOf(row).largeMessage?.parts ?? 0;
  const moved = await t.transition(row, parts > 0 ? 'awaiting-continue' : 'awaiting-final-ack', {
    text:
      parts > 0
        ? `extract delivered; waiting for the requester's Continue before ${parts} large-message part(s)`
        : 'extract delivered; waiting for the final acknowledgement',
  });
  await t.setTimer(moved, FINAL_ACK_TIMEOUT, new Date(t.now.getTime() + ctx.settings.finalAckTimeoutMs));
}

/** The requester's Continue: the large-message parts are queued. A second Continue changes nothing. */
export async function applyContinue(
  _ctx: EngineContext,
  t: TransferTx,
  m: ReceivedMessage,
  row: TransferRow,
): Promise<string | undefined> {
  await t.event(row, {
    kind: 'received',
    text: m.hl7.kind === 'common-content' ? `COPC ${m.hl7.content.kind}` : 'an unreadable COPC message',
    interactionId: m.row.interactionId,
    messageId: m.row.messageId,
  });
  if (m.hl7.kind !== 'common-content' || m.hl7.content.kind !== 'continue') return undefined;
  if (row.state !== 'sending-extract' && row.state !== 'awaiting-continue') return undefined;
  const released = await t.release(row, 'copc');
  await t.transition(row, 'sending-attachments', {
    text: `Continue received; ${released} large-message part(s) released`,
  });
  return undefined;
}

/** A large-message part reached Spine; when the last one has, the final acknowledgement is awaited. */
export async function partDelivered(t: TransferTx, row: TransferRow): Promise<void> {
  if (row.state !== 'sending-attachments') return;
  const { outboundMessages } = schema;
  const [unsent] = await t.db
    .select({ id: outboundMessages.messageId })
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.transferId, row.id),
        eq(outboundMessages.purpose, 'copc'),
        ne(outboundMessages.state, 'acknowledged'),
      ),
    )
    .limit(1);
  if (unsent) return;
  await t.transition(row, 'awaiting-final-ack', {
    text: 'every large-message part delivered; waiting for the final acknowledgement',
  });
}

/** The extract or one of its parts could not be delivered: the transfer has failed and the record must be printed. */
export async function sendingUndeliverable(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  why: string,
): Promise<void> {
  if (!['sending-extract', 'awaiting-continue', 'sending-attachments'].includes(row.state)) return;
  await failSending(ctx, t, row, { text: `the extract could not be delivered: ${why}`, code: '20' });
}
