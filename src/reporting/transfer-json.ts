import { reportingMonth, type Transfer } from './transfer.ts';

/**
 * A transfer as the JSON object `gp2gp classify` prints: NHS England's column names and wording first (the
 * contract in docs/protocol.md#commands-that-outside-checks-call), then the month and practices it is reported
 * under and the reason codes seen.
 *
 * @example
 * transferObject(t) // { conversation_id: 'C1', status: 'Integrated on time', failure_reason: null, … }
 */
export function transferObject(t: Transfer): Record<string, unknown> {
  return {
    conversation_id: t.conversationId,
    status: t.outcome.status,
    failure_reason: t.outcome.failureReason,
    sla_duration: t.slaSeconds,
    date_requested: t.dateRequested.toISOString(),
    date_completed: t.dateCompleted?.toISOString() ?? null,
    reporting_month: reportingMonth(t.dateRequested),
    requesting_practice_asid: t.requestingPracticeAsid,
    sending_practice_asid: t.sendingPracticeAsid,
    requesting_supplier: t.requestingSupplier,
    sending_supplier: t.sendingSupplier,
    sender_error_codes: t.senderErrorCodes,
    final_error_codes: t.finalErrorCodes,
    intermediate_error_codes: t.intermediateErrorCodes,
  };
}

/**
 * The JSON array of transfers, one object per line, in pieces of about `chunkChars` characters: a month of
 * transfers (~200,000) is written without ever being one string.
 *
 * @example
 * for (const piece of transfersJson(transfers)) process.stdout.write(piece);
 */
export function* transfersJson(transfers: Iterable<Transfer>, chunkChars = 1 << 16): Generator<string> {
  let out = '[';
  let first = true;
  for (const t of transfers) {
    out += `${first ? '\n' : ',\n'}  ${JSON.stringify(transferObject(t))}`;
    first = false;
    if (out.length >= chunkChars) {
      yield out;
      out = '';
    }
  }
  yield `${out}${first ? ']' : '\n]'}\n`;
}
