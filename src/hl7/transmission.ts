import {
  attr,
  child,
  path,
  serializeXml,
  type XmlChild,
  type XmlElement,
  type XmlSpec,
  x,
} from '../xml/index.ts';
import { hl7Timestamp, parseHl7Timestamp } from './hl7-time.ts';
import { OID } from './oids.ts';

/** An MHS endpoint and the practice behind it; either part may be unknown on a message read from outside. */
export interface PracticeAddress {
  /** Accredited System ID of the practice's MHS endpoint. */
  readonly asid: string;
  /** ODS code of the practice. */
  readonly ods: string;
}

/** The transmission wrapper every HL7v3 message carries: who sent it to whom, when, and which interaction. */
export interface TransmissionHeader {
  readonly messageId: string;
  readonly creationTime?: Date;
  readonly interactionId: string;
  readonly senderAsid?: string;
  readonly receiverAsid?: string;
}

/** HL7v3 namespace. */
export const HL7_NS = 'urn:hl7-org:v3';

/**
 * Reads the transmission wrapper. Missing parts are noted in `warnings`; the message id and interaction id
 * are required by the caller, which decides the reason code if they are absent.
 *
 * @example
 * readTransmission(root, []).interactionId // 'RCMR_IN010000UK05'
 */
export function readTransmission(root: XmlElement, warnings: string[]): TransmissionHeader {
  if (root.ns !== HL7_NS) warnings.push(`root element is not in the HL7v3 namespace (found "${root.ns}")`);
  const creationTime = parseHl7Timestamp(attr(root, 'value', 'creationTime'));
  const senderAsid = attr(root, 'extension', 'communicationFunctionSnd/device/id');
  const receiverAsid = attr(root, 'extension', 'communicationFunctionRcv/device/id');
  if (!creationTime) warnings.push('creationTime is missing or not an HL7 timestamp');
  return {
    messageId: attr(child(root, 'id'), 'root') ?? '',
    ...(creationTime ? { creationTime } : {}),
    interactionId: attr(root, 'extension', 'interactionId') ?? root.local,
    ...(senderAsid ? { senderAsid } : {}),
    ...(receiverAsid ? { receiverAsid } : {}),
  };
}

/** An `<id root=…/>` or `<id root=… extension=…/>`. */
export function id(root: string, extension?: string): XmlSpec {
  return x('id', { root, extension });
}

/** An ODS-coded organisation as GP2GP writes it (author, destination). */
export function agentOrgSds(ods: string): XmlSpec {
  return x(
    'AgentOrgSDS',
    { classCode: 'AGNT' },
    x(
      'agentOrganizationSDS',
      { classCode: 'ORG', determinerCode: 'INSTANCE' },
      // Left empty only in an extract preview (EhrExtractEnvelope.preview): written as unknown.
      ods ? id(OID.ods, ods) : x('id', { nullFlavor: 'NI' }),
    ),
  );
}

/** Reads the ODS code at the end of an author/destination path. */
export function readOds(el: XmlElement | undefined, at: string): string | undefined {
  return attr(path(el, at), 'extension', 'AgentOrgSDS/agentOrganizationSDS/id');
}

/** What the builder needs for the wrapper. */
export interface TransmissionSpec {
  readonly messageId: string;
  readonly creationTime: Date;
  readonly interactionId: string;
  readonly senderAsid: string;
  readonly receiverAsid: string;
}

/** The ControlActEvent subject that carries a message's payload act. */
export function subject(payload: XmlSpec): XmlSpec {
  return x('subject', { typeCode: 'SUBJ', contextConductionInd: 'false' }, payload);
}

/**
 * Writes a whole HL7v3 message as text: transmission wrapper, optional acknowledgement, and ControlActEvent
 * with the given content (a {@link subject}, or an ack's reason).
 *
 * @example
 * writeHl7Message(spec, { controlAct: [subject(request)] })
 */
export function writeHl7Message(
  spec: TransmissionSpec,
  content: { readonly acknowledgement?: XmlChild; readonly controlAct: readonly XmlChild[] },
): string {
  return serializeXml(hl7Message(spec, content), { declaration: true, indent: '  ' });
}

function hl7Message(
  spec: TransmissionSpec,
  content: { readonly acknowledgement?: XmlChild; readonly controlAct: readonly XmlChild[] },
): XmlSpec {
  // An ASID left empty (only an extract preview may: see EhrExtractEnvelope.preview) is written as unknown.
  const asidId = (asid: string): XmlSpec => (asid ? id(OID.asid, asid) : x('id', { nullFlavor: 'NI' }));
  const device = (asid: string): XmlSpec =>
    x('device', { classCode: 'DEV', determinerCode: 'INSTANCE' }, asidId(asid));
  return x(
    spec.interactionId,
    { xmlns: HL7_NS },
    id(spec.messageId),
    x('creationTime', { value: hl7Timestamp(spec.creationTime) }),
    x('versionCode', { code: 'V3NPfIT3.1.10' }),
    x('interactionId', { root: OID.interaction, extension: spec.interactionId }),
    x('processingCode', { code: 'P' }),
    x('processingModeCode', { code: 'T' }),
    x('acceptAckCode', { code: 'NE' }),
    content.acknowledgement,
    x('communicationFunctionRcv', { typeCode: 'RCV' }, device(spec.receiverAsid)),
    x('communicationFunctionSnd', { typeCode: 'SND' }, device(spec.senderAsid)),
    x(
      'ControlActEvent',
      { classCode: 'CACT', moodCode: 'EVN' },
      x(
        'author1',
        { typeCode: 'AUT' },
        x(
          'AgentSystemSDS',
          { classCode: 'AGNT' },
          x('agentSystemSDS', { classCode: 'DEV', determinerCode: 'INSTANCE' }, asidId(spec.senderAsid)),
        ),
      ),
      ...content.controlAct,
    ),
  );
}
