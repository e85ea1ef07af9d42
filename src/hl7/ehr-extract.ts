import { isValidNhsNumber } from '../common/nhs-number.ts';
import { attr, path, type XmlElement, type XmlSpec, x } from '../xml/index.ts';
import { Hl7Error } from './hl7-error.ts';
import { hl7Timestamp, parseHl7Timestamp } from './hl7-time.ts';
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

/** The envelope of an EHR extract: everything but the record (the ehrFolder) itself. */
export interface EhrExtractEnvelope {
  readonly messageId: string;
  readonly creationTime: Date;
  /** The EhrExtract act id. */
  readonly extractId: string;
  readonly availabilityTime: Date;
  readonly nhsNumber: string;
  /** The old practice, sending the record. */
  readonly sendingPractice: PracticeAddress;
  /** The new practice, which asked for it. */
  readonly requestingPractice: PracticeAddress;
  /** The EhrRequest id this extract answers (inFulfillmentOf/priorEhrRequest). */
  readonly requestId: string;
  /** True when any entry is marked NOPAT: the message is then RCMR_IN030000UK07. */
  readonly nopat: boolean;
}

/** SNOMED concept for "entire record available to originator", the limitation GP2GP extracts declare. */
const ENTIRE_RECORD = {
  code: '37241000000102',
  displayName: 'Entire record available to originator (administrative concept)',
};

/**
 * Writes an EHR extract message around an `ehrFolder` element built by the record translator.
 * UK07 is chosen when the envelope is marked NOPAT.
 *
 * @example
 * buildEhrExtractMessage(envelope, x('ehrFolder', { classCode: 'FOLDER', moodCode: 'EVN' }, ...))
 */
export function buildEhrExtractMessage(env: EhrExtractEnvelope, ehrFolder: XmlSpec): string {
  const interactionId = env.nopat ? INTERACTION.ehrExtractNopat : INTERACTION.ehrExtract;
  const extract = x(
    'EhrExtract',
    { classCode: 'EXTRACT', moodCode: 'EVN' },
    id(env.extractId),
    x('statusCode', { code: 'COMPLETE' }),
    x('availabilityTime', { value: hl7Timestamp(env.availabilityTime) }),
    x(
      'recordTarget',
      { typeCode: 'RCT' },
      x('patient', { classCode: 'PAT' }, id(OID.nhsNumber, env.nhsNumber)),
    ),
    x(
      'author',
      { typeCode: 'AUT' },
      x('time', { value: hl7Timestamp(env.availabilityTime) }),
      agentOrgSds(env.sendingPractice.ods),
    ),
    x('destination', { typeCode: 'DST' }, agentOrgSds(env.requestingPractice.ods)),
    x('component', { typeCode: 'COMP' }, ehrFolder),
    x(
      'inFulfillmentOf',
      { typeCode: 'FLFS' },
      x('priorEhrRequest', { classCode: 'EXTRACT', moodCode: 'RQO' }, id(env.requestId)),
    ),
    x(
      'limitation',
      { typeCode: 'LIMIT', inversionInd: 'true' },
      x(
        'limitingEhrExtractSpecification',
        { classCode: 'OBS', moodCode: 'DEF' },
        id(crypto.randomUUID().toUpperCase()),
        x('code', {
          code: ENTIRE_RECORD.code,
          codeSystem: OID.snomed,
          displayName: ENTIRE_RECORD.displayName,
        }),
      ),
    ),
  );
  return writeHl7Message(
    {
      messageId: env.messageId,
      creationTime: env.creationTime,
      interactionId,
      senderAsid: env.sendingPractice.asid,
      receiverAsid: env.requestingPractice.asid,
    },
    { controlAct: [subject(extract)] },
  );
}

/** An extract as read: its envelope, the EhrExtract element for the translator, and tolerated oddities. */
export interface ReadEhrExtract {
  readonly envelope: EhrExtractEnvelope;
  readonly extract: XmlElement;
  readonly warnings: readonly string[];
}

/**
 * Reads the envelope of an EHR extract (UK06 or UK07). Without a patient NHS number or an extract element
 * the extract cannot be integrated: that is an {@link Hl7Error} with reason 21.
 *
 * @example
 * const { envelope, extract } = readEhrExtract(parseXml(text).root);
 */
export function readEhrExtract(root: XmlElement): ReadEhrExtract {
  const warnings: string[] = [];
  const t = readTransmission(root, warnings);
  const extract = path(root, 'ControlActEvent/subject/EhrExtract');
  if (!extract) throw new Hl7Error('21', 'EHR extract has no ControlActEvent/subject/EhrExtract');
  const nhsNumber = attr(extract, 'extension', 'recordTarget/patient/id');
  if (!nhsNumber) throw new Hl7Error('21', 'EHR extract has no patient NHS number');
  if (!isValidNhsNumber(nhsNumber)) warnings.push(`NHS number "${nhsNumber}" fails the modulus 11 check`);
  const requestId = attr(extract, 'root', 'inFulfillmentOf/priorEhrRequest/id');
  if (!requestId) warnings.push('EHR extract does not say which request it fulfils (inFulfillmentOf)');
  const sendingOds = readOds(extract, 'author');
  const requestingOds = readOds(extract, 'destination');
  if (!sendingOds) warnings.push('EHR extract has no author ODS code');
  if (!requestingOds) warnings.push('EHR extract has no destination ODS code');
  const availabilityTime = parseHl7Timestamp(attr(extract, 'value', 'availabilityTime'));
  return {
    envelope: {
      messageId: t.messageId,
      creationTime: t.creationTime ?? new Date(0),
      extractId: attr(extract, 'root', 'id') ?? '',
      availabilityTime: availabilityTime ?? t.creationTime ?? new Date(0),
      nhsNumber,
      sendingPractice: { asid: t.senderAsid ?? '', ods: sendingOds ?? '' },
      requestingPractice: { asid: t.receiverAsid ?? '', ods: requestingOds ?? '' },
      requestId: requestId ?? '',
      nopat: t.interactionId === INTERACTION.ehrExtractNopat,
    },
    extract,
    warnings,
  };
}
