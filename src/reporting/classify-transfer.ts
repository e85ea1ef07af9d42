import { integratedOrSuppressed, isDuplicateEhr, isFatalSenderError } from './ack-codes.ts';
import type { Gp2gpConversation } from './gp2gp-conversation.ts';
import {
  FAILURE_REASON,
  type FailureReason,
  SLA_SECONDS,
  TRANSFER_STATUS,
  type Transfer,
  type TransferOutcome,
} from './transfer.ts';

/**
 * Milliseconds from the effective extract to its effective ack, never below zero (clocks of different Spine
 * nodes can put an ack a moment before its extract); undefined without an effective ack.
 */
function slaMs(c: Gp2gpConversation): number | undefined {
  if (!c.effective) return undefined;
  return Math.max(0, c.effective.ack.time - c.effective.extract.time);
}

/**
 * Whole seconds, rounding a half to the even neighbour, as Python's `round` does in NHS England's classifier, so
 * published and recomputed durations agree to the second.
 *
 * @example
 * wholeSeconds(2500) // 2
 * wholeSeconds(3500) // 4
 */
export function wholeSeconds(millis: number): number {
  const s = Math.floor(millis / 1000);
  const rest = millis - s * 1000;
  if (rest !== 500) return rest > 500 ? s + 1 : s;
  return s % 2 === 0 ? s : s + 1;
}

const outcome = (
  status: TransferOutcome['status'],
  failureReason: FailureReason | null,
): TransferOutcome => ({
  status,
  failureReason,
});
const technical = (r: FailureReason) => outcome(TRANSFER_STATUS.TECHNICAL_FAILURE, r);
const process = (r: FailureReason) => outcome(TRANSFER_STATUS.PROCESS_FAILURE, r);
const unclassified = (r: FailureReason) => outcome(TRANSFER_STATUS.UNCLASSIFIED_FAILURE, r);

/**
 * NHS England's outcome for a transfer, first matching rule wins (docs/reporting.md#outcome-first-match-wins;
 * prm-gp2gp-transfer-classifier `transfer_outcome.py`).
 *
 * @example
 * classifyOutcome(conversation) // { status: 'Integrated on time', failureReason: null }
 */
export function classifyOutcome(c: Gp2gpConversation): TransferOutcome {
  const ack = c.effective?.ack;
  if (ack && integratedOrSuppressed(ack.reasonCode)) {
    const millis = slaMs(c);
    return millis !== undefined && millis <= SLA_SECONDS * 1000
      ? outcome(TRANSFER_STATUS.INTEGRATED_ON_TIME, null)
      : process(FAILURE_REASON.INTEGRATED_LATE);
  }
  if (ack) return technical(FAILURE_REASON.FINAL_ERROR);
  if (c.copcContinues.length > 0 || c.copcFragments.length > 0) return copcOutcome(c);
  const requestAcks = c.request.acks;
  if (requestAcks.some((a) => isFatalSenderError(a.reasonCode)))
    return technical(FAILURE_REASON.FATAL_SENDER_ERROR);
  if (requestAcks.length === 0) return technical(FAILURE_REASON.REQUEST_NOT_ACKNOWLEDGED);
  if (c.extracts.length === 0) return technical(FAILURE_REASON.CORE_EHR_NOT_SENT);
  if (requestAcks.some((a) => a.reasonCode !== undefined))
    return unclassified(FAILURE_REASON.TRANSFERRED_NOT_INTEGRATED_WITH_ERROR);
  return process(FAILURE_REASON.TRANSFERRED_NOT_INTEGRATED);
}

/** A large-message transfer with no effective final ack. */
function copcOutcome(c: Gp2gpConversation): TransferOutcome {
  const extractAcks = c.extracts.flatMap((e) => e.acks);
  const everyExtractAcked = c.extracts.every((e) => e.acks.length > 0);
  // a duplicate rejected while another copy is still unanswered: which copy the COPCs belong to is unknown
  if (extractAcks.some((a) => isDuplicateEhr(a.reasonCode)) && !everyExtractAcked)
    return unclassified(FAILURE_REASON.AMBIGUOUS_COPCS);
  const fragmentUnacked = c.copcFragments.some((f) => f.acks.length === 0);
  const fragmentError = c.copcFragments.some((f) => f.acks.some((a) => a.reasonCode !== undefined));
  if (fragmentError && !fragmentUnacked)
    return unclassified(FAILURE_REASON.TRANSFERRED_NOT_INTEGRATED_WITH_ERROR);
  if (c.copcContinues.length > 0 && c.copcFragments.length === 0)
    return technical(FAILURE_REASON.COPC_NOT_SENT);
  if (fragmentUnacked) return technical(FAILURE_REASON.COPC_NOT_ACKNOWLEDGED);
  return process(FAILURE_REASON.TRANSFERRED_NOT_INTEGRATED);
}

const codeOrNull = (code: number | undefined): number | null => code ?? null;

/**
 * The reported transfer for a conversation: outcome, SLA, dates, practices and the reason codes seen.
 *
 * @example
 * toTransfer(readGp2gpConversation(id, messagesWithinCutoff(c, cutoffMs))!).outcome.status
 */
export function toTransfer(c: Gp2gpConversation): Transfer {
  const millis = slaMs(c);
  const request = c.request.message;
  return {
    conversationId: c.conversationId,
    outcome: classifyOutcome(c),
    slaSeconds: millis === undefined ? null : wholeSeconds(millis),
    dateRequested: new Date(request.time),
    dateCompleted: c.effective ? new Date(c.effective.ack.time) : null,
    requestingPracticeAsid: c.requestingAsid,
    sendingPracticeAsid: c.sendingAsid,
    requestingSupplier: request.fromSystem,
    sendingSupplier: request.toSystem,
    senderErrorCodes: c.request.acks.map((a) => codeOrNull(a.reasonCode)),
    finalErrorCodes: c.extracts.flatMap((e) => e.acks.map((a) => codeOrNull(a.reasonCode))),
    intermediateErrorCodes: c.copcFragments.flatMap((f) =>
      f.acks.flatMap((a) => (a.reasonCode === undefined ? [] : [a.reasonCode])),
    ),
  };
}
