import { INTERACTION, isReasonCode, REASON_CODES, type ReadAck } from '../../hl7/index.ts';
import type { EngineContext } from '../engine-context.ts';
import type { InboundRow } from '../inbound/inbox.ts';
import { peerReliability } from '../outbound/queue-hl7.ts';
import type { TransferRow } from '../transfer-row.ts';
import type { TransferTx } from '../transfer-tx.ts';

/** Timer: the extract has not come within A × persistDuration(extract) of the request reaching Spine. */
export const EXTRACT_TIMEOUT = 'extract-timeout';

/** Spine has the request: now the old practice's extract is awaited, for as long as the timeout formula allows. */
export async function requestDelivered(ctx: EngineContext, t: TransferTx, row: TransferRow): Promise<void> {
  if (row.state !== 'requesting') return;
  const persistMs = peerReliability(row, INTERACTION.ehrExtract).persistDurationSeconds * 1000;
  const moved = await t.transition(row, 'awaiting-extract', {
    text: 'request delivered to Spine; waiting for the extract',
  });
  await t.setTimer(
    moved,
    EXTRACT_TIMEOUT,
    new Date(t.now.getTime() + ctx.settings.extractTimeoutWeight * persistMs),
  );
}

/** Spine refused the request or it could not be delivered in its persist duration. */
export async function requestUndeliverable(t: TransferTx, row: TransferRow, why: string): Promise<void> {
  if (row.state !== 'requesting') return;
  await t.transition(row, 'failed', {
    text: `the request could not be delivered (${why}): ask the previous practice for the paper record`,
    reasonCode: '20',
    reasonText: why,
  });
}

/**
 * The old practice's answer to the request: AA says the extract follows; a negative ack says why it will not
 * (06 not registered there, 19 not the patient's GP, 07 GP2GP off, 14 not large-message compliant…).
 */
export async function applyRequestAck(
  _ctx: EngineContext,
  t: TransferTx,
  row: TransferRow,
  ack: ReadAck,
  inbound: InboundRow,
): Promise<string | undefined> {
  const positive = ack.typeCode === 'AA' || ack.typeCode === 'CA';
  await t.event(row, {
    kind: 'received',
    text: positive
      ? 'the previous practice accepted the request'
      : `the previous practice refused the request`,
    interactionId: inbound.interactionId,
    messageId: inbound.messageId,
    reasonCode: ack.reasonCode,
  });
  if (positive || !['requesting', 'awaiting-extract'].includes(row.state)) return undefined;
  const code = ack.reasonCode ?? '99';
  await t.transition(row, 'failed', {
    text: `request refused by the previous practice: ${describeCode(code, ack.reasonText)}`,
    reasonCode: code,
    reasonText: ack.reasonText ?? describeCode(code),
  });
  return undefined;
}

/** Timer: no extract within the formula's time. Nothing can be acknowledged; the practice must chase it. */
export async function extractTimedOut(t: TransferTx, row: TransferRow): Promise<void> {
  if (row.state !== 'awaiting-extract') return;
  await t.transition(row, 'failed', {
    text: 'no extract arrived in time: ask the previous practice for the paper record',
    reasonText: 'no extract received within the timeout',
  });
}

/** A reason code with its catalogue text. */
export function describeCode(code: string, given?: string): string {
  const known = isReasonCode(code) ? REASON_CODES[code].displayName : undefined;
  return `${code} ${given ?? known ?? 'unknown reason'}`;
}
