/** The GP2GP reason-code system (DESIGN.md §2): carried in MCCI acks and in reporting. */
export const REASON_CODE_SYSTEM = '2.16.840.1.113883.2.1.3.2.4.17.101';

/** What one reason code means and how reporting treats it. */
export interface ReasonCodeInfo {
  /** The display name sent on the wire with the code. */
  readonly displayName: string;
  /** Counted by NHS England reporting as a fatal sender error (the transfer cannot go ahead). */
  readonly fatalSenderError: boolean;
  /** Ends the transfer as a success (A-B-A suppressed). */
  readonly countsAsSuccess: boolean;
}

function info(displayName: string, fatalSenderError = false, countsAsSuccess = false): ReasonCodeInfo {
  return { displayName, fatalSenderError, countsAsSuccess };
}

/**
 * Every GP2GP reason code, keyed by its two-digit code.
 *
 * @example
 * REASON_CODES['19'].displayName // 'Sender check indicates that Requester is not the patient's current healthcare provider'
 */
export const REASON_CODES = {
  '06': info('Patient not at surgery.', true),
  '07': info('GP2GP messaging is not enabled on this system.', true),
  '09': info('EHR Extract received without corresponding request'),
  '10': info('Failed to successfully generate EHR Extract.', true),
  '11': info('Failed to successfully integrate EHR Extract.'),
  '12': info('Duplicate EHR Extract received'),
  '14': info('Message not sent because requesting practice is not Large Message compliant', true),
  '15': info('A-B-A EHR Extract Received and Stored As Suppressed Record', false, true),
  '17': info('A-B-A EHR Extract Received and rejected due to wrong or inappropriate Patient'),
  '18': info('Request message not well-formed or not able to be processed'),
  '19': info("Sender check indicates that Requester is not the patient's current healthcare provider"),
  '20': info('Spine system responded with an error'),
  '21': info('EHR Extract message not well-formed or not able to be processed'),
  '23': info('Message not sent because sending practice is not Large Message compliant', true),
  '24': info('SDS lookup provided zero or more than one result to the query for each interaction.', true),
  '25': info('Large messages rejected due to timeout duration reached of overall transfer'),
  '26': info('Returning Patient EHR Extract Received and filed as an attachment'),
  '28': info('Non A-B-A EHR Extract Received and rejected due to wrong or inappropriate Patient'),
  '29': info('Large Message Re-assembly failure'),
  '30': info('Large Message general failure', true),
  '31': info(
    'The overall EHR Extract has been rejected because one or more attachments via Large Messages were not received.',
  ),
  '99': info('Unexpected condition.', true),
} as const satisfies Record<string, ReasonCodeInfo>;

/** A GP2GP reason code, e.g. '19'. */
export type ReasonCode = keyof typeof REASON_CODES;

/** Narrows a string read off the wire to a known reason code. */
export function isReasonCode(code: string | undefined): code is ReasonCode {
  return code !== undefined && Object.hasOwn(REASON_CODES, code);
}

/** The reason codes NHS England reporting treats as fatal sender errors (06 07 10 14 23 24 30 99). */
export const FATAL_SENDER_ERRORS: readonly ReasonCode[] = (Object.keys(REASON_CODES) as ReasonCode[]).filter(
  (c) => REASON_CODES[c].fatalSenderError,
);
