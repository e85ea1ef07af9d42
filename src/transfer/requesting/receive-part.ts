import { and, eq, sql } from 'drizzle-orm';
import { INTERACTION, isReasonCode, reasonForRefusal } from '../../hl7/index.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { ReceivedMessage } from '../inbound/inbox.ts';
import { assessAssembly, type ReceivedPartSummary } from '../large-message/index.ts';
import { queueAck } from '../outbound/queue-hl7.ts';
import { detailsOf, type TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';
import { rejectExtract } from './negative-ack.ts';
import { PREPARE_RECORD } from './prepare-record.ts';
import { ATTACHMENTS_TIMEOUT, attachmentsDeadline, awaited } from './receive-extract.ts';

const { inboundMessages } = schema;

/**
 * A large-message part (an attachment, a fragment index or a fragment) arrives at the requesting practice. Each
 * is acknowledged; once every part the extract announced is here, the record is prepared. A part that breaks
 * the message fails the transfer with 29, 30 or 31; one arriving after the timeout is refused with 25.
 * `requesting` is the practice's requesting transfer in the message's conversation, already locked, if any.
 */
export async function applyPart(
  ctx: EngineContext,
  t: TransferTx,
  m: ReceivedMessage,
  requesting: TransferRow | undefined,
): Promise<string | undefined> {
  const { row: inbound } = m;
  const row = requesting ?? (await awaitingPart(t, inbound.practiceOds, inbound.messageId));
  if (!row) return 'not applied: a large-message part for a conversation this practice is not in';
  if (row.conversationId !== inbound.conversationId) {
    // Some senders give a part a ConversationId of its own: it is filed under the transfer's.
    await t.db
      .update(inboundMessages)
      .set({ conversationId: row.conversationId })
      .where(eq(inboundMessages.messageId, inbound.messageId));
  }
  const practice = ctx.practice(row.practiceOds);
  if (!practice) throw new Error(`practice ${row.practiceOds} is not hosted here`);
  const ack = (typeCode: 'AA' | 'AE', reasonCode?: string) =>
    queueAck(ctx, t, row, practice, {
      acknowledgedMessageId: inbound.messageId,
      typeCode,
      ...(reasonCode && isReasonCode(reasonCode) ? { reasonCode } : {}),
      purpose: 'copc-ack',
    });

  if (row.state !== 'awaiting-attachments') {
    if (row.state === 'failed') await ack('AE', row.reasonCode ?? '99');
    else await ack('AA'); // a resent part of a record already complete
    return undefined;
  }
  if (m.hl7.kind !== 'common-content' || m.hl7.content.kind !== 'attachment') {
    const error = m.hl7.kind === 'unreadable' ? m.hl7.error : new Error('not a large-message part');
    const code = reasonForRefusal(error, INTERACTION.commonContent);
    await ack('AE', code);
    await rejectExtract(ctx, t, row, {
      code,
      text: `a large-message part could not be read: ${String(error)}`,
    });
    return undefined;
  }

  // Assessing reads every part so far: done when a part announces others (an index) and once as many parts are
  // here as are known to be expected, so a thousand fragments cost one assessment, not a thousand.
  const summary = inbound.parts as unknown as ReceivedPartSummary;
  const received = (detailsOf(row).receivedParts ?? 0) + 1;
  const announces = summary.references.some((r) => r.scheme === 'mid');
  if (!announces && received < (detailsOf(row).expectedParts ?? 0)) {
    await ack('AA');
    await t.update(row, { details: { receivedParts: received } });
    return undefined;
  }
  const status = assessAssembly(await coreSummary(t, row), [
    ...(await earlierParts(t, row, inbound.messageId)),
    summary,
  ]);
  if (status.kind === 'failed') {
    await ack('AE', status.reasonCode);
    await rejectExtract(ctx, t, row, { code: status.reasonCode, text: status.detail });
    return undefined;
  }
  await ack('AA');
  if (status.kind === 'waiting') {
    const updated = await t.update(row, {
      details: {
        expectedParts: status.expectedCopcCount,
        awaitedParts: awaited(status.missingMessageIds),
        receivedParts: received,
      },
    });
    if (status.expectedCopcCount !== detailsOf(row).expectedParts) {
      await t.setTimer(
        updated,
        ATTACHMENTS_TIMEOUT,
        attachmentsDeadline(ctx, updated, status.expectedCopcCount),
      );
    }
    return undefined;
  }
  await t.clearTimer(row, ATTACHMENTS_TIMEOUT);
  const moved = await t.transition(row, 'preparing', {
    text: 'every large-message part received; preparing',
  });
  await t.setTimer(moved, PREPARE_RECORD, t.now);
  return undefined;
}

/** Timer: parts are still missing past the formula's time: the extract is refused with 25. */
export async function attachmentsTimedOut(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
): Promise<void> {
  if (row.state !== 'awaiting-attachments') return;
  await rejectExtract(ctx, t, row, {
    code: '25',
    text: 'large-message parts did not all arrive in time',
  });
}

/** The practice's transfer awaiting a part with this MessageId, locked; for parts sent under another conversation. */
async function awaitingPart(
  t: TransferTx,
  practiceOds: string,
  messageId: string,
): Promise<TransferRow | undefined> {
  const [found] = await t.db
    .select({ id: schema.transfers.id })
    .from(schema.transfers)
    .where(
      and(
        eq(schema.transfers.practiceOds, practiceOds),
        eq(schema.transfers.state, 'awaiting-attachments'),
        sql`${schema.transfers.details} -> 'awaitedParts' @> ${JSON.stringify([messageId.toUpperCase()])}::jsonb`,
      ),
    )
    .limit(1);
  return found ? t.lock(found.id) : undefined;
}

/** The stored summary of the transfer's extract (the core message). */
export async function coreSummary(t: TransferTx, row: TransferRow): Promise<ReceivedPartSummary> {
  const [core] = await t.db
    .select({ parts: inboundMessages.parts })
    .from(inboundMessages)
    .where(eq(inboundMessages.messageId, row.extractMessageId ?? ''));
  if (!core) throw new Error(`transfer ${row.id}: its extract message is not stored`);
  return core.parts as unknown as ReceivedPartSummary;
}

/** Summaries of the large-message parts of the transfer applied before (not counting `except`). */
export async function earlierParts(
  t: TransferTx,
  row: TransferRow,
  except?: string,
): Promise<ReceivedPartSummary[]> {
  const rows = await t.db
    .select({ id: inboundMessages.messageId, parts: inboundMessages.parts })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.practiceOds, row.practiceOds),
        eq(inboundMessages.conversationId, row.conversationId),
        eq(inboundMessages.interactionId, INTERACTION.commonContent),
        eq(inboundMessages.state, 'applied'),
      ),
    );
  return rows.filter((r) => r.id !== except).map((r) => r.parts as unknown as ReceivedPartSummary);
}
