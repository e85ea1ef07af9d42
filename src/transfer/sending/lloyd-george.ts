import { and, eq, isNull } from 'drizzle-orm';
import { schema } from '../../store/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { summarise, type TransferSummary } from '../transfer-row.ts';

/** The outcome of a sending-side staff action. */
export type SendingActionOutcome =
  | { readonly kind: 'done'; readonly transfer: TransferSummary }
  | {
      readonly kind: 'refused';
      readonly reason: 'not-found' | 'not-ended' | 'already-done';
      readonly message: string;
    };

/**
 * Records that the practice posted the patient's Lloyd George envelope to the new practice; allowed once the
 * sending transfer has ended (its print tasks say what had to go in it).
 *
 * @example
 * await markLloydGeorgePosted(ctx, { practiceOds: 'B12345', transferId, actor: 'admin-2' })
 */
export async function markLloydGeorgePosted(
  ctx: EngineContext,
  by: { practiceOds: string; transferId: string; actor: string },
): Promise<SendingActionOutcome> {
  return ctx.transaction(async (t) => {
    const row = await t.lock(by.transferId);
    if (!row || row.practiceOds !== by.practiceOds || row.role !== 'sending')
      return {
        kind: 'refused',
        reason: 'not-found',
        message: `no sending transfer ${by.transferId} at ${by.practiceOds}`,
      };
    if (row.open)
      return { kind: 'refused', reason: 'not-ended', message: `the transfer is still ${row.state}` };
    if (row.lloydGeorgePostedAt)
      return {
        kind: 'refused',
        reason: 'already-done',
        message: 'the envelope is already recorded as posted',
      };
    const updated = await t.update(row, { set: { lloydGeorgePostedAt: t.now } });
    await t.db
      .update(schema.printTasks)
      .set({ doneAt: t.now })
      .where(and(eq(schema.printTasks.transferId, row.id), isNull(schema.printTasks.doneAt)));
    await t.event(row, { kind: 'command', text: 'Lloyd George envelope posted', actor: by.actor });
    return { kind: 'done', transfer: summarise(updated) };
  });
}

/** Marks one print task done (the pages are printed and in the envelope). */
export async function completePrintTask(
  ctx: EngineContext,
  by: { practiceOds: string; taskId: string; actor: string },
): Promise<boolean> {
  return ctx.transaction(async (t) => {
    const [task] = await t.db
      .update(schema.printTasks)
      .set({ doneAt: t.now })
      .where(
        and(
          eq(schema.printTasks.id, by.taskId),
          eq(schema.printTasks.practiceOds, by.practiceOds),
          isNull(schema.printTasks.doneAt),
        ),
      )
      .returning();
    if (!task) return false;
    await t.event(
      { id: task.transferId, practiceOds: task.practiceOds },
      { kind: 'command', text: 'print task done', actor: by.actor },
    );
    return true;
  });
}
