import {
  type AckTypeCode,
  buildAck,
  buildCommonContent,
  buildEhrRequest,
  INTERACTION,
  type PracticeAddress,
  type ReasonCode,
} from '../../hl7/index.ts';
import type { InteractionReliability } from '../../spine/index.ts';
import { type EngineContext, FALLBACK_RELIABILITY, type HostedPractice } from '../engine-context.ts';
import { detailsOf, type TransferRow } from '../transfer-row.ts';
import type { MessagePurpose, TransferTx } from '../transfer-tx.ts';

/** The peer's reliability for an interaction, as SDS gave it when the transfer began. */
export function peerReliability(row: TransferRow, interactionId: string): InteractionReliability {
  return detailsOf(row).peerReliability?.[interactionId] ?? FALLBACK_RELIABILITY;
}

/** The peer practice's HL7 address, from the transfer. */
export function peerAddress(row: TransferRow): PracticeAddress {
  return { asid: row.peerAsid ?? '', ods: row.peerOds };
}

/** Queues the EHR request of a requesting transfer. */
export async function queueEhrRequest(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  practice: HostedPractice,
): Promise<void> {
  const messageId = row.requestMessageId ?? ctx.newId();
  const payload = buildEhrRequest({
    messageId,
    creationTime: t.now,
    requestId: row.requestId ?? ctx.newId(),
    nhsNumber: row.nhsNumber,
    requestingPractice: practice.address,
    sendingPractice: peerAddress(row),
  });
  await queueHl7(t, row, {
    messageId,
    interactionId: INTERACTION.ehrRequest,
    purpose: 'request',
    payload,
    reliability: peerReliability(row, INTERACTION.ehrRequest),
  });
}

/** Queues an application acknowledgement (AA, or AE with a reason) of a message in a transfer's conversation. */
export async function queueAck(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  practice: HostedPractice,
  ack: {
    acknowledgedMessageId: string;
    typeCode: AckTypeCode;
    reasonCode?: ReasonCode;
    reasonText?: string;
    purpose: MessagePurpose;
  },
): Promise<string> {
  const messageId = ctx.newId();
  const payload = buildAck({
    messageId,
    creationTime: t.now,
    senderAsid: practice.asid,
    receiverAsid: row.peerAsid ?? '',
    acknowledgedMessageId: ack.acknowledgedMessageId,
    typeCode: ack.typeCode,
    ...(ack.reasonCode ? { reasonCode: ack.reasonCode } : {}),
    ...(ack.reasonText ? { reasonText: ack.reasonText } : {}),
  });
  await queueHl7(t, row, {
    messageId,
    interactionId: INTERACTION.ack,
    purpose: ack.purpose,
    payload,
    reliability: peerReliability(row, INTERACTION.ack),
  });
  return messageId;
}

/** Queues the requester's Continue for the extract it has received. */
export async function queueContinue(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  practice: HostedPractice,
  extractMessageId: string,
): Promise<void> {
  const messageId = ctx.newId();
  const payload = buildCommonContent({
    messageId,
    creationTime: t.now,
    kind: 'continue',
    from: practice.address,
    to: peerAddress(row),
    subject: 'Continue Acknowledgement',
    acknowledgedMessageId: extractMessageId,
    references: [],
  });
  await queueHl7(t, row, {
    messageId,
    interactionId: INTERACTION.commonContent,
    purpose: 'continue',
    payload,
    reliability: peerReliability(row, INTERACTION.commonContent),
  });
}

/** Queues a message whose whole content is an HL7 payload built now. */
async function queueHl7(
  t: TransferTx,
  row: TransferRow,
  m: {
    messageId: string;
    interactionId: string;
    purpose: MessagePurpose;
    payload: string;
    reliability: InteractionReliability;
  },
): Promise<void> {
  if (!row.peerPartyKey) throw new Error(`transfer ${row.id} has no peer party key to send to`);
  await t.queue(row, {
    messageId: m.messageId,
    practiceOds: row.practiceOds,
    conversationId: row.conversationId,
    interactionId: m.interactionId,
    toPartyKey: row.peerPartyKey,
    purpose: m.purpose,
    payload: m.payload,
    spec: { kind: 'hl7', timestamp: t.now.toISOString() },
    reliability: m.reliability,
  });
}
