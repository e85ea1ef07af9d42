import type { EngineContext } from '../engine-context.ts';
import { queueAck } from '../outbound/queue-hl7.ts';
import { detailsOf, summarise, type TransferRow, type TransferSummary } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';
import { rejectExtract } from './negative-ack.ts';

/** Why a practice's decision could not be carried out. */
export type DecisionRefusal = 'not-found' | 'wrong-state' | 'not-aba-return';

/** The outcome of a practice's decision on a received record. */
export type DecisionOutcome =
  | { readonly kind: 'done'; readonly transfer: TransferSummary }
  | { readonly kind: 'refused'; readonly reason: DecisionRefusal; readonly message: string };

/** Who decides, for which practice: a practice can act only on its own transfers. */
export interface DecisionBy {
  readonly practiceOds: string;
  readonly transferId: string;
  readonly actor: string;
}

/** The reasons a practice can give for not integrating a record. */
export type RejectionReason = 'wrong-patient' | 'suppressed' | 'failed-to-integrate';

/**
 * Integrates a record ready for it: the record is filed in the practice's record store (so the patient can move
 * on from here) and the old practice is sent the accepting acknowledgement, which ends the transfer.
 *
 * @example
 * await integrateRecord(ctx, { practiceOds: 'A12345', transferId, actor: 'gp-1' })
 */
export async function integrateRecord(ctx: EngineContext, by: DecisionBy): Promise<DecisionOutcome> {
  return decide(ctx, by, async (t, row) => {
    const bundleDocumentId = detailsOf(row).bundleDocumentId;
    const practice = ctx.practice(row.practiceOds);
    if (!bundleDocumentId || !practice || !row.extractMessageId)
      throw new Error(`transfer ${row.id} is ready but has no translated record`);
    await ctx.practiceRecords.put(
      {
        practiceOds: row.practiceOds,
        nhsNumber: row.nhsNumber,
        bundleDocumentId,
        sourceTransferId: row.id,
        at: t.now,
      },
      t.db,
    );
    await queueAck(ctx, t, row, practice, {
      acknowledgedMessageId: row.extractMessageId,
      typeCode: 'AA',
      purpose: 'final-ack',
    });
    return t.transition(row, 'integrated', { text: 'record integrated', actor: by.actor });
  });
}

/**
 * Rejects a record ready for integration, sending the acknowledgement its reason calls for: wrong patient
 * (17 for a patient returning to this practice, 28 otherwise), suppressed (15, only for a returning patient;
 * counts as a success) or failed to integrate (11).
 *
 * @example
 * await rejectRecord(ctx, { practiceOds: 'A12345', transferId, actor: 'gp-1' }, 'wrong-patient')
 */
export async function rejectRecord(
  ctx: EngineContext,
  by: DecisionBy,
  reason: RejectionReason,
): Promise<DecisionOutcome> {
  return decide(ctx, by, async (t, row) => {
    const returning = await ctx.practiceRecords.heldBefore(row.practiceOds, row.nhsNumber, t.db);
    switch (reason) {
      case 'wrong-patient':
        return rejectExtract(ctx, t, row, {
          code: returning ? '17' : '28',
          text: 'rejected by the practice: wrong patient',
          state: 'rejected',
          actor: by.actor,
        });
      case 'suppressed':
        if (!returning)
          return refusal('not-aba-return', 'only a returning patient’s record can be suppressed');
        return rejectExtract(ctx, t, row, {
          code: '15',
          text: 'returning patient: record stored as suppressed',
          state: 'suppressed',
          actor: by.actor,
        });
      case 'failed-to-integrate':
        return rejectExtract(ctx, t, row, {
          code: '11',
          text: 'the practice could not integrate the record',
          state: 'rejected',
          actor: by.actor,
        });
    }
  });
}

function refusal(reason: DecisionRefusal, message: string): DecisionOutcome & { kind: 'refused' } {
  return { kind: 'refused', reason, message };
}

async function decide(
  ctx: EngineContext,
  by: DecisionBy,
  act: (t: TransferTx, row: TransferRow) => Promise<TransferRow | (DecisionOutcome & { kind: 'refused' })>,
): Promise<DecisionOutcome> {
  return ctx.transaction(async (t) => {
    const row = await t.lock(by.transferId);
    // Another practice's transfer is "not found": its existence is not this practice's business.
    if (!row || row.practiceOds !== by.practiceOds || row.role !== 'requesting')
      return refusal('not-found', `no record transfer ${by.transferId} at ${by.practiceOds}`);
    if (row.state !== 'ready-to-integrate')
      return refusal('wrong-state', `the transfer is ${row.state}, not ready to integrate`);
    await t.event(row, { kind: 'command', text: 'practice decision', actor: by.actor });
    const out = await act(t, row);
    return 'kind' in out ? out : { kind: 'done' as const, transfer: summarise(out) };
  });
}
