import { FATAL_SENDER_ERRORS, isReasonCode, REASON_CODES, type ReasonCode } from '../hl7/reason-codes.ts';

/**
 * The Spine log's `jdiEvent` is a number (`6`, or `06` from some writers); the catalogue is keyed by two digits.
 *
 * @example
 * reasonCodeOf(6) // '06'
 */
export function reasonCodeOf(code: number): ReasonCode | undefined {
  const key = String(code).padStart(2, '0');
  return isReasonCode(key) ? key : undefined;
}

/** Codes reporting counts as fatal sender errors, as numbers to compare with `jdiEvent`. */
const FATAL = new Set(FATAL_SENDER_ERRORS.map(Number));

/** 12 "Duplicate EHR Extract received": reporting passes over such an ack when choosing the effective one. */
const DUPLICATE_EHR: ReasonCode = '12';
const DUPLICATE_EHR_CODE = Number(DUPLICATE_EHR);

/**
 * An ack that ends the transfer well: no reason code (AA), or one the catalogue counts as success (15, A-B-A
 * suppressed).
 *
 * @example
 * integratedOrSuppressed(undefined) // true
 * integratedOrSuppressed(15) // true
 * integratedOrSuppressed(11) // false
 */
export function integratedOrSuppressed(code: number | undefined): boolean {
  if (code === undefined) return true;
  const known = reasonCodeOf(code);
  return known !== undefined && REASON_CODES[known].countsAsSuccess;
}

/**
 * A reason code on the request's ack that means the sender will never send the record.
 *
 * @example
 * isFatalSenderError(6) // true
 */
export function isFatalSenderError(code: number | undefined): boolean {
  return code !== undefined && FATAL.has(code);
}

/**
 * An ack saying the extract was a duplicate of one already received.
 *
 * @example
 * isDuplicateEhr(12) // true
 */
export function isDuplicateEhr(code: number | undefined): boolean {
  return code === DUPLICATE_EHR_CODE;
}
