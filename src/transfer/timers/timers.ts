import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { schema } from '../../store/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { PREPARE_RECORD, prepareGaveUp, prepareRecord } from '../requesting/prepare-record.ts';
import { ATTACHMENTS_TIMEOUT } from '../requesting/receive-extract.ts';
import { attachmentsTimedOut } from '../requesting/receive-part.ts';
import { EXTRACT_TIMEOUT, extractTimedOut } from '../requesting/request-progress.ts';
import { ANSWER_REQUEST, answerGaveUp, answerRequest } from '../sending/answer-request.ts';
import { FINAL_ACK_TIMEOUT, finalAckTimedOut } from '../sending/final-ack.ts';
import { WORKING_DAY_END, workingDayEnded } from '../sending/receive-request.ts';
import type { TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';

const { transferTimers } = schema;

/** A timer row as stored. */
export type TimerRow = typeof schema.transferTimers.$inferSelect;

/**
 * What a kind of timer does when due: a protocol timeout runs in one transaction on the locked transfer; a step
 * does its I/O first and opens its own transactions, and has a last resort for when its retries run out.
 */
type TimerHandler =
  | {
      readonly kind: 'timeout';
      readonly fire: (ctx: EngineContext, t: TransferTx, row: TransferRow) => Promise<void>;
    }
  | {
      readonly kind: 'step';
      readonly run: (ctx: EngineContext, transferId: string) => Promise<void>;
      readonly giveUp: (ctx: EngineContext, t: TransferTx, row: TransferRow, error: string) => Promise<void>;
    };

const HANDLERS: Readonly<Record<string, TimerHandler>> = {
  [ANSWER_REQUEST]: { kind: 'step', run: answerRequest, giveUp: answerGaveUp },
  [PREPARE_RECORD]: { kind: 'step', run: prepareRecord, giveUp: prepareGaveUp },
  [EXTRACT_TIMEOUT]: { kind: 'timeout', fire: (_ctx, t, row) => extractTimedOut(t, row) },
  [ATTACHMENTS_TIMEOUT]: { kind: 'timeout', fire: attachmentsTimedOut },
  [FINAL_ACK_TIMEOUT]: { kind: 'timeout', fire: finalAckTimedOut },
  [WORKING_DAY_END]: { kind: 'timeout', fire: (_ctx, t, row) => workingDayEnded(t, row) },
};

/** Claims up to `limit` due timers of the hosted practices, leasing them to this process. */
export async function claimTimers(
  ctx: EngineContext,
  hosted: readonly string[],
  limit: number,
): Promise<TimerRow[]> {
  if (hosted.length === 0) return [];
  const now = new Date(ctx.clock.now());
  const due = ctx.db
    .select({ transferId: transferTimers.transferId, kind: transferTimers.kind })
    .from(transferTimers)
    .where(
      and(
        inArray(transferTimers.practiceOds, [...hosted]),
        lte(transferTimers.dueAt, now),
        or(isNull(transferTimers.leaseUntil), lte(transferTimers.leaseUntil, now)),
      ),
    )
    .orderBy(asc(transferTimers.dueAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return ctx.db
    .update(transferTimers)
    .set({
      leaseUntil: new Date(now.getTime() + ctx.settings.stepLeaseMs),
      attempts: sql`${transferTimers.attempts} + 1`,
    })
    .where(sql`(${transferTimers.transferId}, ${transferTimers.kind}) in (${due})`)
    .returning();
}

/** Fires one claimed timer; a failure is retried later, and past the attempt limit the step's last resort runs. */
export async function fireTimer(ctx: EngineContext, timer: TimerRow): Promise<void> {
  const handler = HANDLERS[timer.kind];
  try {
    if (!handler) throw new Error(`no handler for timer ${timer.kind}`);
    if (handler.kind === 'step') {
      await handler.run(ctx, timer.transferId);
      await ctx.transaction((t) => removeIfUnchanged(t, timer));
    } else {
      await ctx.transaction(async (t) => {
        const row = await t.lock(timer.transferId);
        if (row) await handler.fire(ctx, t, row);
        await removeIfUnchanged(t, timer);
      });
    }
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    if (timer.attempts < ctx.settings.maxStepAttempts || handler?.kind !== 'step') {
      await ctx.db
        .update(transferTimers)
        .set({
          dueAt: new Date(ctx.clock.now() + ctx.settings.stepRetryMs),
          leaseUntil: null,
          lastError: error,
        })
        .where(and(eq(transferTimers.transferId, timer.transferId), eq(transferTimers.kind, timer.kind)));
      throw e;
    }
    await ctx.transaction(async (t) => {
      const row = await t.lock(timer.transferId);
      if (row) await handler.giveUp(ctx, t, row, error);
      await removeIfUnchanged(t, timer);
    });
  }
}

/** Deletes the timer unless the handler set it again (a new due time). */
async function removeIfUnchanged(t: TransferTx, timer: TimerRow): Promise<void> {
  await t.db
    .delete(transferTimers)
    .where(
      and(
        eq(transferTimers.transferId, timer.transferId),
        eq(transferTimers.kind, timer.kind),
        eq(transferTimers.dueAt, timer.dueAt),
      ),
    );
}
