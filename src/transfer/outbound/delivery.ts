import type { EngineContext } from '../engine-context.ts';
import { requestDelivered, requestUndeliverable } from '../requesting/request-progress.ts';
import { extractDelivered, partDelivered, sendingUndeliverable } from '../sending/send-progress.ts';
import type { TransferTx } from '../transfer-tx.ts';
import type { OutboundRow } from './outbox.ts';

/** The messages whose delivery is a line of the transfer's history; the rest are in the message tables. */
const MILESTONES: ReadonlySet<string> = new Set(['request', 'extract', 'final-ack', 'request-refusal']);

/** Whether a message's delivery can move its transfer on (a milestone, or possibly the last large-message part). */
export function deliveryMovesTransfer(purpose: string): boolean {
  return MILESTONES.has(purpose) || purpose === 'copc';
}

/** Spine acknowledged one of our messages: the transfer it belongs to moves on by what the message was for. */
export async function onDelivered(ctx: EngineContext, t: TransferTx, message: OutboundRow): Promise<void> {
  // A part's or an acknowledgement's delivery moves nothing on but the last part's; no lock for the others.
  if (!deliveryMovesTransfer(message.purpose)) return;
  const row = message.transferId ? await t.lock(message.transferId) : undefined;
  if (!row) return;
  if (MILESTONES.has(message.purpose))
    await t.event(row, {
      kind: 'sent',
      text: `${message.interactionId} (${message.purpose}) delivered after ${message.attempts} attempt(s)`,
      interactionId: message.interactionId,
      messageId: message.messageId,
    });
  switch (message.purpose) {
    case 'request':
      return requestDelivered(ctx, t, row);
    case 'extract':
      return extractDelivered(ctx, t, row);
    case 'copc':
      return partDelivered(t, row);
  }
}

/** Spine refused one of our messages, or it could not be delivered within its persist duration. */
export async function onUndeliverable(
  ctx: EngineContext,
  t: TransferTx,
  message: OutboundRow,
  why: string,
): Promise<void> {
  const row = message.transferId ? await t.lock(message.transferId) : undefined;
  if (!row) return;
  await t.event(row, {
    kind: 'note',
    text: `${message.interactionId} (${message.purpose}) not delivered: ${why}`,
    interactionId: message.interactionId,
    messageId: message.messageId,
  });
  switch (message.purpose) {
    case 'request':
      return requestUndeliverable(t, row, why);
    case 'extract':
    case 'copc':
      return sendingUndeliverable(ctx, t, row, why);
  }
}
