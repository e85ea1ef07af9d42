import { INTERACTION } from '../../hl7/index.ts';
import type { PlannedMessage } from '../large-message/index.ts';
import { peerAddress, peerReliability } from '../outbound/queue-hl7.ts';
import type { TransferRow } from '../transfer-row.ts';
import type { MessagePurpose, TransferTx } from '../transfer-tx.ts';

/** Queues a message of the large-message plan (the core extract or a COPC part), built from the plan at send time. */
export async function queuePlanned(
  t: TransferTx,
  row: TransferRow,
  message: PlannedMessage,
  purpose: Extract<MessagePurpose, 'extract' | 'copc'>,
  options: { readonly held?: boolean } = {},
): Promise<void> {
  if (!row.peerPartyKey) throw new Error(`transfer ${row.id} has no peer party key to send to`);
  const interactionId = message.kind === 'core' ? message.interactionId : INTERACTION.commonContent;
  await t.queue(row, {
    messageId: message.messageId,
    practiceOds: row.practiceOds,
    conversationId: row.conversationId,
    interactionId,
    toPartyKey: row.peerPartyKey,
    purpose,
    spec: { kind: 'planned', timestamp: t.now.toISOString(), message, to: peerAddress(row) },
    reliability: peerReliability(row, interactionId),
    ...(options.held ? { held: true } : {}),
  });
}
