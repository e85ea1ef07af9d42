import { buildAck, INTERACTION } from '../../hl7/index.ts';
import { type EngineContext, FALLBACK_RELIABILITY } from '../engine-context.ts';
import type { TransferTx } from '../transfer-tx.ts';
import type { ReceivedMessage } from './inbox.ts';

/**
 * A message that belongs to no transfer of this practice. An extract nobody asked for is refused with reason 09
 * (so the sender stops waiting); anything else is kept with a note, since there is no one to answer.
 */
export async function refuseStray(
  ctx: EngineContext,
  t: TransferTx,
  m: ReceivedMessage,
  why: string,
): Promise<string> {
  const practice = ctx.practice(m.row.practiceOds);
  const isExtract =
    m.row.interactionId === INTERACTION.ehrExtract || m.row.interactionId === INTERACTION.ehrExtractNopat;
  if (!practice || !isExtract) return `not applied: ${why}`;
  const senderAsid = m.hl7.kind === 'ehr-extract' ? m.hl7.envelope.sendingPractice.asid : '';
  const messageId = ctx.newId();
  await t.queue(undefined, {
    messageId,
    practiceOds: practice.ods,
    conversationId: m.row.conversationId,
    interactionId: INTERACTION.ack,
    toPartyKey: m.row.fromPartyKey,
    purpose: 'stray-nack',
    payload: buildAck({
      messageId,
      creationTime: t.now,
      senderAsid: practice.asid,
      receiverAsid: senderAsid,
      acknowledgedMessageId: m.row.messageId,
      typeCode: 'AE',
      reasonCode: '09',
    }),
    spec: { kind: 'hl7', timestamp: t.now.toISOString() },
    reliability: FALLBACK_RELIABILITY,
  });
  return `refused with reason 09: ${why}`;
}
