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
  /**
   * A local preview that is never sent (`gp2gp translate --to hl7` without a transfer): the ASIDs and request id
   * may then be left empty and are written as unknown (`nullFlavor="NI"`), never made up. Spine refuses such a
   * message. The NHS number is required all the same.
   */
  readonly preview?: boolean;
}

/**
 * An extract cannot be written: the patient's NHS number, an ASID, an ODS code or the request it answers is
 * missing or not well formed. Carries reason 10 (failed to generate the extract): nothing is ever made up.
 */
export class ExtractIdentityError extends Hl7Error {
  override readonly name = 'ExtractIdentityError';
  /** What is missing or malformed, one phrase each. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super('10', `cannot write the EHR extract: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

const ASID = /^\d{12}$/;
const ODS = /^[A-Z0-9]{3,10}$/i;

/** What is wrong with an envelope's identity, one phrase a problem (none where it can be written). */
export function extractIdentityProblems(env: EhrExtractEnvelope): string[] {
  const problems: string[] = [];
  if (!env.nhsNumber) problems.push('no patient NHS number');
  // Ten digits, not a zero placeholder. A number failing the modulus 11 check is the sending record's own (real
  // GP Connect test records carry one): the caller warns about it, but it is not made up.
  else if (!/^\d{10}$/.test(env.nhsNumber) || /^0+$/.test(env.nhsNumber))
    problems.push(`NHS number "${env.nhsNumber}" is not an NHS number`);
  const parts = [
    ['sending', env.sendingPractice],
    ['requesting', env.requestingPractice],
  ] as const;
  // A preview may leave an ASID or ODS code empty (written as unknown); a value given must still be well formed.
  const missing = (value: string) => env.preview === true && value === '';
  for (const [role, practice] of parts) {
    if (!ODS.test(practice.ods) && !missing(practice.ods))
      problems.push(`no valid ODS code for the ${role} practice ("${practice.ods}")`);
    if ((!ASID.test(practice.asid) || /^0+$/.test(practice.asid)) && !missing(practice.asid))
      problems.push(`no valid ASID for the ${role} practice ("${practice.asid}")`);
  }
  if (!env.requestId.trim() && !missing(env.requestId)) problems.push('no EHR request id to answer');
  return problems;
}

/** SNOMED concept for "entire record available to originator", the limitation GP2GP extracts declare. */
const ENTIRE_RECORD = {
  code: '37241000000102',
  displayName: 'Entire record available to originator (administrative concept)',
};

/**
 * Writes an EHR extract message around an `ehrFolder` element built by the record translator.
 * UK07 is chosen when the envelope is marked NOPAT. Throws {@link ExtractIdentityError} (reason 10) where the
 * NHS number, an ASID, an ODS code or the request id is missing: an extract is never sent with made-up identity.
 *
 * @example
 * buildEhrExtractMessage(envelope, x('ehrFolder', { classCode: 'FOLDER', moodCode: 'EVN' }, ...))
 */
export function buildEhrExtractMessage(env: EhrExtractEnvelope, ehrFolder: XmlSpec): string {
  const problems = extractIdentityProblems(env);
  if (problems.length > 0) throw new ExtractIdentityError(problems);
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
      x(
        'priorEhrRequest',
        { classCode: 'EXTRACT', moodCode: 'RQO' },
        env.requestId ? id(env.requestId) : x('id', { nullFlavor: 'NI' }),
      ),
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
