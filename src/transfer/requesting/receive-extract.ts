import { INTERACTION, reasonForRefusal } from '../../hl7/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { ReceivedMessage } from '../inbound/inbox.ts';
import { refuseStray } from '../inbound/stray.ts';
import { assessAssembly, type ReceivedPartSummary } from '../large-message/index.ts';
import { peerReliability, queueAck, queueContinue } from '../outbound/queue-hl7.ts';
import { detailsOf, type TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';
import { rejectExtract } from './negative-ack.ts';
import { PREPARE_RECORD } from './prepare-record.ts';

/** Timer: the large-message parts have not all come within the timeout formula's time (NACK 25). */
export const ATTACHMENTS_TIMEOUT = 'attachments-timeout';

/**
 * An EHR extract arrives. The first for a waiting request is taken: checked against the request, then either
 * prepared at once or, where it announces large-message parts, continued. Any other extract in the conversation
 * is a duplicate (12) and is never integrated; one for no request of ours is refused (09).
 */
export async function applyExtract(
  ctx: EngineContext,
  t: TransferTx,
  m: ReceivedMessage,
): Promise<string | undefined> {
  const { row: inbound } = m;
  const row = await t.lockConversation(inbound.practiceOds, 'requesting', inbound.conversationId);
  if (!row) return refuseStray(ctx, t, m, 'an extract for a conversation this practice never started');
  await t.event(row, {
    kind: 'received',
    text: 'extract received',
    interactionId: inbound.interactionId,
    messageId: inbound.messageId,
  });
  const practice = ctx.practice(row.practiceOds);
  if (!practice) throw new Error(`practice ${row.practiceOds} is not hosted here`);

  if (row.extractMessageId && row.extractMessageId !== inbound.messageId) {
    await queueAck(ctx, t, row, practice, {
      acknowledgedMessageId: inbound.messageId,
      typeCode: 'AE',
      reasonCode: '12',
      purpose: 'final-ack',
    });
    await t.event(row, {
      kind: 'note',
      text: 'a second extract was refused as a duplicate (12)',
      reasonCode: '12',
    });
    return undefined;
  }
  if (row.state !== 'requesting' && row.state !== 'awaiting-extract') {
    // Ended before any extract came (refused, timed out): this one is no longer wanted.
    await queueAck(ctx, t, { ...row, peerPartyKey: row.peerPartyKey ?? inbound.fromPartyKey }, practice, {
      acknowledgedMessageId: inbound.messageId,
      typeCode: 'AE',
      reasonCode: '09',
      purpose: 'final-ack',
    });
    return 'refused with reason 09: the request had already ended';
  }

  const taken = await t.update(row, { set: { extractMessageId: inbound.messageId } });
  if (m.hl7.kind !== 'ehr-extract') {
    const error = m.hl7.kind === 'unreadable' ? m.hl7.error : new Error(`not an extract (${m.hl7.kind})`);
    await rejectExtract(ctx, t, taken, {
      code: reasonForRefusal(error, INTERACTION.ehrExtract),
      text: `the extract could not be read: ${error instanceof Error ? error.message : String(error)}`,
    });
    return undefined;
  }
  const envelope = m.hl7.envelope;
  if (envelope.nhsNumber !== row.nhsNumber) {
    const aba = await ctx.practiceRecords.heldBefore(row.practiceOds, envelope.nhsNumber, t.db);
    await rejectExtract(ctx, t, taken, {
      code: aba ? '17' : '28',
      text: `the extract is for NHS number ${envelope.nhsNumber}, not ${row.nhsNumber}: wrong patient`,
    });
    return undefined;
  }
  const withAsid = taken.peerAsid
    ? taken
    : await t.update(taken, { set: { peerAsid: envelope.sendingPractice.asid || null } });
  const status = assessAssembly(inbound.parts as unknown as ReceivedPartSummary, []);
  if (status.kind === 'failed') {
    await rejectExtract(ctx, t, withAsid, { code: status.reasonCode, text: status.detail });
    return undefined;
  }
  if (status.kind === 'waiting') {
    await queueContinue(ctx, t, withAsid, practice, inbound.messageId);
    const moved = await t.transition(withAsid, 'awaiting-attachments', {
      text: `extract announces ${status.expectedCopcCount} large-message part(s); Continue sent`,
      details: {
        expectedParts: status.expectedCopcCount,
        awaitedParts: awaited(status.missingMessageIds),
        extractArrivedAt: t.now.toISOString(),
      },
    });
    await t.setTimer(moved, ATTACHMENTS_TIMEOUT, attachmentsDeadline(ctx, moved, status.expectedCopcCount));
    return undefined;
  }
  const moved = await t.transition(withAsid, 'preparing', { text: 'extract complete; preparing the record' });
  await t.setTimer(moved, PREPARE_RECORD, t.now);
  return undefined;
}

/** The MessageIds still awaited, as the engine keeps them (upper-case, a bounded list). */
export function awaited(ids: readonly string[]): string[] {
  return ids.slice(0, 5_000).map((id) => id.toUpperCase());
}

/**
 * When the requester stops waiting for parts: A × persistDuration(extract) + B × parts × persistDuration(COPC)
 * from the extract's arrival (`docs/protocol.md#timers`).
 */
export function attachmentsDeadline(ctx: EngineContext, row: TransferRow, parts: number): Date {
  const extractMs = peerReliability(row, INTERACTION.ehrExtract).persistDurationSeconds * 1000;
  const copcMs = peerReliability(row, INTERACTION.commonContent).persistDurationSeconds * 1000;
  const s = ctx.settings;
  const arrived = detailsOf(row).extractArrivedAt;
  const from = arrived ? Date.parse(arrived) : row.stateChangedAt.getTime();
  return new Date(from + s.extractTimeoutWeight * extractMs + s.copcTimeoutWeight * parts * copcMs);
}
