import { InputError } from '../common/input-error.ts';
import { Hl7Error } from './hl7-error.ts';
import { INTERACTION } from './oids.ts';
import type { ReasonCode } from './reason-codes.ts';

/**
 * The reason code to send back when a received message is refused. An {@link Hl7Error} already knows its
 * reason; any other unreadable input (bad XML, broken MIME) is "request malformed" (18) for an EHR request,
 * "extract malformed" (21) for an extract, "reassembly failure" (29) for a large-message part, and
 * "unexpected" (99) otherwise.
 *
 * @example
 * reasonForRefusal(new XmlError('malformed', '...'), 'RCMR_IN030000UK06') // '21'
 */
export function reasonForRefusal(error: unknown, interactionId: string | undefined): ReasonCode {
  if (error instanceof Hl7Error) return error.reasonCode;
  if (!(error instanceof InputError)) return '99';
  switch (interactionId) {
    case INTERACTION.ehrRequest:
      return '18';
    case INTERACTION.ehrExtract:
    case INTERACTION.ehrExtractNopat:
      return '21';
    case INTERACTION.commonContent:
      return '29';
    default:
      return '99';
  }
}
