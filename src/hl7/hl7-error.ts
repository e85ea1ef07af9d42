import { InputError } from '../common/input-error.ts';
import type { ReasonCode } from './reason-codes.ts';

/**
 * An HL7 message we cannot act on, with the reason code to send back (18 for a request, 21 for an extract).
 *
 * @example
 * throw new Hl7Error('21', 'EHR Extract has no recordTarget NHS number');
 */
export class Hl7Error extends InputError {
  override readonly name: string = 'Hl7Error';
  readonly reasonCode: ReasonCode;

  constructor(reasonCode: ReasonCode, message: string) {
    super(message);
    this.reasonCode = reasonCode;
  }
}
