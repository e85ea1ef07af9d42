/**
 * NHS England's transfer statuses, in the wording its classifier writes (prm-gp2gp-transfer-classifier,
 * `TransferStatus` values; its older versions wrote the upper-case names instead).
 */
export const TRANSFER_STATUS = {
  INTEGRATED_ON_TIME: 'Integrated on time',
  TECHNICAL_FAILURE: 'Technical failure',
  PROCESS_FAILURE: 'Process failure',
  UNCLASSIFIED_FAILURE: 'Unclassified failure',
} as const;

/** A transfer status as written, e.g. 'Technical failure'. */
export type TransferStatus = (typeof TRANSFER_STATUS)[keyof typeof TRANSFER_STATUS];

/** NHS England's failure reasons, worded as its classifier writes them. */
export const FAILURE_REASON = {
  INTEGRATED_LATE: 'Integrated late',
  FINAL_ERROR: 'Final error',
  TRANSFERRED_NOT_INTEGRATED: 'Transferred, not integrated',
  REQUEST_NOT_ACKNOWLEDGED: 'Request not acknowledged',
  CORE_EHR_NOT_SENT: 'Core extract not sent',
  FATAL_SENDER_ERROR: 'Contains fatal sender error',
  COPC_NOT_SENT: 'COPC(s) not sent',
  COPC_NOT_ACKNOWLEDGED: 'COPC(s) not acknowledged',
  TRANSFERRED_NOT_INTEGRATED_WITH_ERROR: 'Transferred, not integrated, with error',
  AMBIGUOUS_COPCS: 'Ambiguous COPC messages',
} as const;

/** A failure reason as written, e.g. 'Final error'. */
export type FailureReason = (typeof FAILURE_REASON)[keyof typeof FAILURE_REASON];

/** A status and, for anything but an on-time integration, why. */
export interface TransferOutcome {
  readonly status: TransferStatus;
  readonly failureReason: FailureReason | null;
}

/** The national measure: integrated within 8 days of the extract being sent. */
export const SLA_SECONDS = 8 * 24 * 60 * 60;

/**
 * One classified transfer (one conversation that began with an EHR request).
 *
 * @example
 * const t: Transfer = { conversationId: 'C1', outcome: { status: 'Integrated on time', failureReason: null },
 *   slaSeconds: 120, dateRequested: new Date('2024-01-01T09:00:00Z'), … };
 */
export interface Transfer {
  readonly conversationId: string;
  readonly outcome: TransferOutcome;
  /** Whole seconds from the effective extract to its effective ack; null without an effective ack. */
  readonly slaSeconds: number | null;
  /** When the EHR request was logged; its UTC month is the month the transfer is reported in. */
  readonly dateRequested: Date;
  /** When the effective final ack was logged; null without one. */
  readonly dateCompleted: Date | null;
  /** The requesting (new) practice, to which the transfer is attributed. */
  readonly requestingPracticeAsid: string;
  readonly sendingPracticeAsid: string;
  readonly requestingSupplier: string;
  readonly sendingSupplier: string;
  /** Reason codes on the acks of the request (null for none). */
  readonly senderErrorCodes: readonly (number | null)[];
  /** Reason codes on the acks of every extract (null for none). */
  readonly finalErrorCodes: readonly (number | null)[];
  /** Reason codes on the acks of COPC fragments (codes only). */
  readonly intermediateErrorCodes: readonly number[];
}

/**
 * The UTC month a transfer is reported in, from its request date.
 *
 * @example
 * reportingMonth(new Date('2020-06-30T23:30:00Z')) // '2020-06'
 */
export function reportingMonth(dateRequested: Date): string {
  return dateRequested.toISOString().slice(0, 7);
}
