/** Which side of a transfer a practice is on: the new practice asks, the old practice sends. */
export type TransferRole = 'requesting' | 'sending';

/**
 * Where a requesting transfer (at the new practice) stands.
 * - `requesting`: the EHR request is queued for Spine
 * - `awaiting-extract`: Spine took the request; the old practice has not sent the extract yet
 * - `awaiting-attachments`: the extract came with large-message parts; Continue sent, parts arriving
 * - `preparing`: every part is here; documents are being assembled and the record translated
 * - `ready-to-integrate`: waiting for the practice to integrate or reject it
 * - `integrated`, `suppressed` (an A-B-A return kept aside, reason 15), `rejected` (by the practice, with its
 *   reason), `failed` (technically: refused by the sender, undeliverable, broken or late parts)
 */
export type RequestingState =
  | 'requesting'
  | 'awaiting-extract'
  | 'awaiting-attachments'
  | 'preparing'
  | 'ready-to-integrate'
  | 'integrated'
  | 'suppressed'
  | 'rejected'
  | 'failed';

/**
 * Where a sending transfer (at the old practice) stands.
 * - `request-received`: checks and building the extract are under way
 * - `sending-extract`: request accepted; the extract is queued for Spine
 * - `awaiting-continue`: the extract was delivered with large-message parts to follow after Continue
 * - `sending-attachments`: Continue received; the parts are queued
 * - `awaiting-final-ack`: everything delivered; waiting for the new practice's final acknowledgement (8 days)
 * - `completed` (accepted, or suppressed as an A-B-A return), `refused` (the request was answered with a reason
 *   code), `failed` (negative final ack, undeliverable, or no final ack in 8 days: print tasks follow)
 */
export type SendingState =
  | 'request-received'
  | 'sending-extract'
  | 'awaiting-continue'
  | 'sending-attachments'
  | 'awaiting-final-ack'
  | 'completed'
  | 'refused'
  | 'failed';

/** Any transfer state. */
export type TransferState = RequestingState | SendingState;

const ENDED: ReadonlySet<TransferState> = new Set<TransferState>([
  'integrated',
  'suppressed',
  'rejected',
  'failed',
  'completed',
  'refused',
]);

/**
 * True once a transfer has ended: no message will move it on again.
 *
 * @example
 * hasEnded('integrated') // true
 * hasEnded('awaiting-extract') // false
 */
export function hasEnded(state: TransferState): boolean {
  return ENDED.has(state);
}

/** Every requesting state, in the order a transfer passes through them. */
export const REQUESTING_STATES: readonly RequestingState[] = [
  'requesting',
  'awaiting-extract',
  'awaiting-attachments',
  'preparing',
  'ready-to-integrate',
  'integrated',
  'suppressed',
  'rejected',
  'failed',
];

/** Every sending state, in the order a transfer passes through them. */
export const SENDING_STATES: readonly SendingState[] = [
  'request-received',
  'sending-extract',
  'awaiting-continue',
  'sending-attachments',
  'awaiting-final-ack',
  'completed',
  'refused',
  'failed',
];
