import type { ReadAck } from '../../hl7/index.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { InboundRow } from '../inbound/inbox.ts';
import { describeCode } from '../requesting/request-progress.ts';
import { detailsOf, type TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';

/** Timer: 8 days after the extract was delivered with no final acknowledgement, the transfer has failed. */
export const FINAL_ACK_TIMEOUT = 'final-ack-timeout';

const AWAITING_FINAL = ['sending-extract', 'awaiting-continue', 'sending-attachments', 'awaiting-final-ack'];

/**
 * The requester's final acknowledgement of the extract. AA (or 15, an A-B-A return kept suppressed) completes
 * the transfer: the patient has left, and any attachment sent as a placeholder must be printed for the Lloyd
 * George envelope. Any other code fails it, and the whole record must be printed.
 */
export async function applyFinalAck(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  ack: ReadAck,
  inbound: InboundRow,
): Promise<string | undefined> {
  const accepted = ack.typeCode === 'AA' || ack.typeCode === 'CA';
  const code = ack.reasonCode;
  await t.event(row, {
    kind: 'received',
    text: accepted
      ? 'final acknowledgement: accepted'
      : `final acknowledgement: ${describeCode(code ?? '99', ack.reasonText)}`,
    interactionId: inbound.interactionId,
    messageId: inbound.messageId,
    reasonCode: code,
  });
  if (!AWAITING_FINAL.includes(row.state)) return undefined;
  if (accepted || code === '15') {
    await ctx.practiceRecords.markLeft(row.practiceOds, row.nhsNumber, t.now, t.db);
    const absent = detailsOf(row).absentAttachments ?? [];
    if (absent.length > 0) {
      await addPrintTask(t, row, 'attachments', absent, 'sent as absent-attachment placeholders: print them');
    }
    await t.transition(row, 'completed', {
      text:
        code === '15'
          ? 'the new practice kept the record suppressed (A-B-A return)'
          : 'the new practice integrated the record',
      ...(code ? { reasonCode: code } : {}),
    });
    return undefined;
  }
  await failSending(ctx, t, row, {
    text: `the new practice did not integrate the record: ${describeCode(code ?? '99', ack.reasonText)}`,
    code: code ?? '99',
  });
  return undefined;
}

/** The requester refused one large-message part: recorded (its negative final ack follows); an AA changes nothing. */
export async function applyPartAck(
  _ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  ack: ReadAck,
  inbound: InboundRow,
): Promise<string | undefined> {
  await t.event(row, {
    kind: 'received',
    text: `large-message part acknowledged (${ack.typeCode}${ack.reasonCode ? ` ${ack.reasonCode}` : ''})`,
    interactionId: inbound.interactionId,
    messageId: inbound.messageId,
    reasonCode: ack.reasonCode,
  });
  return undefined;
}

/** Timer: no final acknowledgement in 8 days. */
export async function finalAckTimedOut(ctx: EngineContext, t: TransferTx, row: TransferRow): Promise<void> {
  if (!AWAITING_FINAL.includes(row.state)) return;
  await failSending(ctx, t, row, { text: 'no final acknowledgement within 8 days' });
}

/** Fails a sending transfer and tells the practice to print the whole record for the Lloyd George envelope. */
export async function failSending(
  _ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  failure: { text: string; code?: string },
): Promise<void> {
  await addPrintTask(t, row, 'whole-record', [], failure.text);
  await t.transition(row, 'failed', {
    text: `${failure.text}: print the record before posting the Lloyd George envelope`,
    ...(failure.code ? { reasonCode: failure.code } : {}),
    reasonText: failure.text,
  });
}

async function addPrintTask(
  t: TransferTx,
  row: TransferRow,
  kind: 'whole-record' | 'attachments',
  attachments: readonly string[],
  reason: string,
): Promise<void> {
  await t.db.insert(schema.printTasks).values({
    id: crypto.randomUUID(),
    transferId: row.id,
    practiceOds: row.practiceOds,
    kind,
    attachments: [...attachments],
    reason,
    createdAt: t.now,
  });
  await t.event(row, {
    kind: 'note',
    text: `print task: ${kind === 'whole-record' ? 'the whole record' : attachments.join(', ')}`,
  });
}
