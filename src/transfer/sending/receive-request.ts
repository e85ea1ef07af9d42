import { INTERACTION, reasonForRefusal } from '../../hl7/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { ReceivedMessage } from '../inbound/inbox.ts';
import type { TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';
import { workingDayEnd } from '../working-day.ts';
import { ANSWER_REQUEST } from './answer-request.ts';

/** Timer: the end of the working day on which a request arrived (a request still unanswered then is flagged). */
export const WORKING_DAY_END = 'working-day-end';

/**
 * An EHR request arrives at the old practice: a sending transfer is opened and the answer (checks, then the
 * extract) is left to a step, since it needs PDS, SDS and the record source. A request that cannot be read is
 * still opened, so the step refuses it with 18. A second request in the same conversation changes nothing.
 */
export async function applyRequest(
  ctx: EngineContext,
  t: TransferTx,
  m: ReceivedMessage,
): Promise<string | undefined> {
  const { row: inbound } = m;
  const existing = await t.lockConversation(inbound.practiceOds, 'sending', inbound.conversationId);
  if (existing) {
    await t.event(existing, {
      kind: 'received',
      text: 'the request was sent again under a new MessageId: already being answered',
      interactionId: inbound.interactionId,
      messageId: inbound.messageId,
    });
    return undefined;
  }
  const request = m.hl7.kind === 'ehr-request' ? m.hl7.request : undefined;
  const unreadable =
    m.hl7.kind === 'unreadable'
      ? m.hl7.error
      : request
        ? undefined
        : new Error(`a ${m.hl7.interactionId} where an EHR request was expected`);
  const refusal = unreadable
    ? {
        code: reasonForRefusal(unreadable, INTERACTION.ehrRequest),
        text: unreadable instanceof Error ? unreadable.message : String(unreadable),
      }
    : undefined;
  const row = await t.create({
    id: crypto.randomUUID(),
    practiceOds: inbound.practiceOds,
    role: 'sending',
    conversationId: inbound.conversationId,
    nhsNumber: request?.nhsNumber ?? '',
    peerOds: request?.requestingPractice.ods ?? '',
    peerAsid: request?.requestingPractice.asid || null,
    peerPartyKey: inbound.fromPartyKey,
    state: 'request-received',
    requestId: request?.requestId ?? null,
    requestMessageId: request?.messageId ?? inbound.messageId,
    details: refusal ? { refusal } : {},
    text: request
      ? `EHR request received from ${request.requestingPractice.ods} for ${request.nhsNumber}`
      : 'an unreadable EHR request received',
  });
  await t.event(row, {
    kind: 'received',
    text: 'EHR request',
    interactionId: inbound.interactionId,
    messageId: inbound.messageId,
  });
  await t.setTimer(row, ANSWER_REQUEST, t.now);
  await t.setTimer(row, WORKING_DAY_END, workingDayEnd(t.now.getTime(), ctx.settings.workingDayEnds));
  return undefined;
}

/** Timer: the working day ended with the request still unanswered: flag it for the practice. */
export async function workingDayEnded(t: TransferTx, row: TransferRow): Promise<void> {
  if (row.state !== 'request-received') return;
  await t.update(row, { details: { overdueSince: t.now.toISOString() } });
  await t.event(row, { kind: 'note', text: 'not answered by the end of its working day' });
}
