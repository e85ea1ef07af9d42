import type { ReasonCode } from '../../hl7/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { queueAck } from '../outbound/queue-hl7.ts';
import type { TransferRow } from '../transfer-row.ts';
import type { RequestingState } from '../transfer-state.ts';
import type { TransferTx } from '../transfer-tx.ts';
import { describeCode } from './request-progress.ts';

/**
 * Ends a requesting transfer with a negative acknowledgement of its extract (the final ack the old practice
 * waits for), so nobody waits for a record that will not be integrated.
 */
export async function rejectExtract(
  ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  nack: {
    readonly code: ReasonCode;
    readonly text: string;
    readonly state?: Extract<RequestingState, 'failed' | 'rejected' | 'suppressed'>;
    readonly actor?: string;
    /** The extract acknowledged; defaults to the transfer's. */
    readonly extractMessageId?: string;
  },
): Promise<TransferRow> {
  const practice = ctx.practice(row.practiceOds);
  const extractMessageId = nack.extractMessageId ?? row.extractMessageId;
  if (practice && extractMessageId) {
    await queueAck(ctx, t, row, practice, {
      acknowledgedMessageId: extractMessageId,
      typeCode: 'AE',
      reasonCode: nack.code,
      purpose: 'final-ack',
    });
  }
  return t.transition(row, nack.state ?? 'failed', {
    text: `${nack.text} (negative acknowledgement ${describeCode(nack.code)})`,
    reasonCode: nack.code,
    reasonText: nack.text,
    ...(nack.actor ? { actor: nack.actor } : {}),
  });
}
