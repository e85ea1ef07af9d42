import { isValidNhsNumber } from '../common/nhs-number.ts';
import { attr, path, type XmlElement, x } from '../xml/index.ts';
import { Hl7Error } from './hl7-error.ts';
import { INTERACTION, OID } from './oids.ts';
import {
  agentOrgSds,
  id,
  type PracticeAddress,
  readOds,
  readTransmission,
  subject,
  writeHl7Message,
} from './transmission.ts';

/** An EHR request (RCMR_IN010000UK05): the new practice asks the old one for a patient's record. */
export interface EhrRequest {
  readonly messageId: string;
  readonly creationTime: Date;
  /** The EhrRequest act id, which the extract's inFulfillmentOf must quote. */
  readonly requestId: string;
  readonly nhsNumber: string;
  /** The new practice, asking for the record. */
  readonly requestingPractice: PracticeAddress;
  /** The old practice, asked to send it. */
  readonly sendingPractice: PracticeAddress;
}

/**
 * Writes an EHR request message.
 *
 * @example
 * buildEhrRequest({ messageId, creationTime: new Date(), requestId, nhsNumber: '9990000018', requestingPractice, sendingPractice })
 */
export function buildEhrRequest(r: EhrRequest): string {
  const request = x(
    'EhrRequest',
    { classCode: 'EXTRACT', moodCode: 'RQO' },
    id(r.requestId),
    x(
      'recordTarget',
      { typeCode: 'RCT' },
      x('patient', { classCode: 'PAT' }, id(OID.nhsNumber, r.nhsNumber)),
    ),
    x('author', { typeCode: 'AUT' }, agentOrgSds(r.requestingPractice.ods)),
    x('destination', { typeCode: 'DST' }, agentOrgSds(r.sendingPractice.ods)),
  );
  return writeHl7Message(
    {
      messageId: r.messageId,
      creationTime: r.creationTime,
      interactionId: INTERACTION.ehrRequest,
      senderAsid: r.requestingPractice.asid,
      receiverAsid: r.sendingPractice.asid,
    },
    { controlAct: [subject(request)] },
  );
}

/** A request as read, with what was off but tolerated. */
export interface ReadEhrRequest {
  readonly request: EhrRequest;
  readonly warnings: readonly string[];
}

/**
 * Reads an EHR request. A request we cannot act on (no NHS number, no request id, no ODS codes) is an
 * {@link Hl7Error} with reason 18, which is what the requester must be told.
 *
 * @example
 * readEhrRequest(parseXml(text).root).request.nhsNumber
 */
export function readEhrRequest(root: XmlElement): ReadEhrRequest {
  const warnings: string[] = [];
  const t = readTransmission(root, warnings);
  const req = path(root, 'ControlActEvent/subject/EhrRequest');
  if (!req) throw new Hl7Error('18', 'EHR request has no ControlActEvent/subject/EhrRequest');
  const need = (value: string | undefined, what: string): string => {
    if (!value) throw new Hl7Error('18', `EHR request has no ${what}`);
    return value;
  };
  const nhsNumber = need(attr(req, 'extension', 'recordTarget/patient/id'), 'patient NHS number');
  if (!isValidNhsNumber(nhsNumber)) warnings.push(`NHS number "${nhsNumber}" fails the modulus 11 check`);
  return {
    request: {
      messageId: need(t.messageId, 'message id'),
      creationTime: t.creationTime ?? new Date(0),
      requestId: need(attr(req, 'root', 'id'), 'request id'),
      nhsNumber,
      requestingPractice: {
        asid: t.senderAsid ?? '',
        ods: need(readOds(req, 'author'), 'requesting practice ODS code (author)'),
      },
      sendingPractice: {
        asid: t.receiverAsid ?? '',
        ods: need(readOds(req, 'destination'), 'sending practice ODS code (destination)'),
      },
    },
    warnings,
  };
}
