import { attr, child, childElements, path, textOf, type XmlElement, type XmlSpec, x } from '../xml/index.ts';
import { Hl7Error } from './hl7-error.ts';
import { hl7Timestamp } from './hl7-time.ts';
import { INTERACTION, OID } from './oids.ts';
import { id, type PracticeAddress, readTransmission, subject, writeHl7Message } from './transmission.ts';

const GP2GP_LM_NS = 'urn:nhs:names:services:gp2gp';
const NPFIT_LC_NS = 'NPFIT:HL7:Localisation';

/** What a COPC message carries: the requester's Continue, or large-message attachment information. */
export type CommonContentKind = 'continue' | 'attachment';

/** A COPC_IN000001UK01 message. */
export interface CommonContent {
  readonly messageId: string;
  readonly creationTime: Date;
  readonly kind: CommonContentKind;
  /** The practice sending this message. */
  readonly from: PracticeAddress;
  /** The practice it is for. */
  readonly to: PracticeAddress;
  /** Free-text subject (`Continue Acknowledgement`, `Attachment: <filename>`). */
  readonly subject: string;
  /** For a Continue: the EHR extract message id it lets proceed. */
  readonly acknowledgedMessageId?: string;
  /** For attachment information: the document or fragment names it carries or indexes. */
  readonly references: readonly string[];
}

/**
 * Writes a COPC message: a Continue (requester → sender) or attachment information for a fragment or
 * fragment index (sender → requester).
 *
 * @example
 * buildCommonContent({ kind: 'continue', acknowledgedMessageId: extractMessageId, ... })
 */
export function buildCommonContent(c: CommonContent): string {
  const isContinue = c.kind === 'continue';
  const header = x(
    'Gp2gpfragment',
    { xmlns: GP2GP_LM_NS },
    x('Version', {}, '01'),
    x('Recipients', {}, x('Recipient', {}, c.to.ods)),
    x('From', {}, c.from.ods),
    x('subject', {}, c.subject),
    x('message-id', {}, c.messageId),
  );
  const bodies: XmlSpec[] = isContinue
    ? [
        payloadBody(
          1,
          'GP2GP_PB',
          'GP2GP Payload Body',
          c.messageId,
          x(
            'Gp2gpfragment',
            { xmlns: GP2GP_LM_NS },
            continueAck(c),
            x('acknowledgedMessage', {}, x('id', { root: c.acknowledgedMessageId ?? '' })),
          ),
        ),
      ]
    : c.references.map((ref, i) =>
        payloadBody(
          i + 1,
          'GP2GPLMATTACHMENT',
          'GP2GP Large Message Attachment',
          crypto.randomUUID().toUpperCase(),
          x('reference', { value: ref }),
        ),
      );
  const info = x(
    'PayloadInformation',
    { classCode: 'OBS', moodCode: 'EVN', 'xmlns:npfitlc': NPFIT_LC_NS },
    x('code', {
      code: isContinue ? 'GP2GP_PI' : 'GP2GPLMATTACHMENTINFO',
      codeSystem: OID.largeMessageCodes,
      displayName: isContinue ? 'GP2GP Payload Information' : 'GP2GP Large Message Attachment Information',
    }),
    id(c.messageId),
    x('npfitlc:messageType', {
      root: OID.messageType,
      extension: isContinue ? 'RCMR_MT000002GB01' : 'RCMR_MT000001GB01',
    }),
    x('value', {}, header),
    bodies,
  );
  return writeHl7Message(
    {
      messageId: c.messageId,
      creationTime: c.creationTime,
      interactionId: INTERACTION.commonContent,
      senderAsid: c.from.asid,
      receiverAsid: c.to.asid,
    },
    { controlAct: [subject(info)] },
  );
}

function payloadBody(
  seq: number,
  code: string,
  displayName: string,
  bodyId: string,
  value: XmlSpec,
): XmlSpec {
  return x(
    'pertinentInformation',
    { typeCode: 'PERT' },
    x('sequenceNumber', { value: seq }),
    x(
      'pertinentPayloadBody',
      { classCode: 'OBS', moodCode: 'EVN' },
      x('code', { code, codeSystem: OID.largeMessageCodes, displayName }),
      id(bodyId),
      x('value', {}, value),
    ),
  );
}

/** The embedded acknowledgement a Continue carries, in the shape suppliers send it. */
function continueAck(c: CommonContent): XmlSpec {
  const code = { code: '0', codeSystem: '2.16.840.1.113883.2.1.3.2.4.17.101', displayName: 'Continue' };
  return x(
    'Message',
    { xmlns: 'urn:hl7-org:v3', type: 'Message' },
    id(c.messageId),
    x('code', code),
    x('creationTime', { value: hl7Timestamp(c.creationTime) }),
    x('versionCode', { code: 'V3NPfIT3.1.10' }),
    x('interactionId', { root: OID.interaction, extension: INTERACTION.ack }),
    x('processingCode', { code: 'P' }),
    x('processingModeCode', { code: 'T' }),
    x('acceptAckCode', { code: 'NE' }),
    x(
      'acknowledgement',
      { typeCode: 'AA' },
      x('acknowledgementDetail', { typeCode: 'IF' }, x('code', code)),
      x('messageRef', {}, id(c.acknowledgedMessageId ?? '')),
    ),
    x('communicationFunctionRcv', {}, x('device', {}, id(OID.asid, c.to.asid))),
    x('communicationFunctionSnd', {}, x('device', {}, id(OID.asid, c.from.asid))),
  );
}

/** A COPC message as read, with tolerated oddities. */
export interface ReadCommonContent {
  readonly content: CommonContent;
  readonly warnings: readonly string[];
}

/**
 * Reads a COPC message of either kind. The kind comes from the PayloadInformation code, falling back to
 * the subject text, because suppliers use both GP2GP_PI and GP2GPLMATTACHMENTINFO inconsistently.
 *
 * @example
 * readCommonContent(parseXml(text).root).content.kind // 'continue'
 */
export function readCommonContent(root: XmlElement): ReadCommonContent {
  const warnings: string[] = [];
  const t = readTransmission(root, warnings);
  const info = path(root, 'ControlActEvent/subject/PayloadInformation');
  if (!info) throw new Hl7Error('29', 'COPC message has no ControlActEvent/subject/PayloadInformation');
  const fragment = path(info, 'value/Gp2gpfragment');
  if (!fragment) warnings.push('COPC message has no Gp2gpfragment header');
  const subject = textOf(child(fragment, 'subject')).trim();
  const code = attr(info, 'code', 'code') ?? '';
  const kind: CommonContentKind =
    code === 'GP2GP_PI' || /^continue/i.test(subject) ? 'continue' : 'attachment';
  const bodies = childElements(info, 'pertinentInformation').map((p) => child(p, 'pertinentPayloadBody'));
  const references: string[] = [];
  let acknowledgedMessageId: string | undefined;
  for (const body of bodies) {
    const value = child(body, 'value');
    const ref = attr(value, 'value', 'reference');
    if (ref) references.push(ref);
    const acked =
      attr(value, 'root', 'Gp2gpfragment/acknowledgedMessage/id') ??
      attr(value, 'root', 'Gp2gpfragment/Message/acknowledgement/messageRef/id');
    if (acked) acknowledgedMessageId = acked;
  }
  if (kind === 'continue' && !acknowledgedMessageId)
    warnings.push('Continue does not name the extract it continues');
  return {
    content: {
      messageId: t.messageId,
      creationTime: t.creationTime ?? new Date(0),
      kind,
      from: { asid: t.senderAsid ?? '', ods: textOf(child(fragment, 'From')).trim() },
      to: { asid: t.receiverAsid ?? '', ods: textOf(path(fragment, 'Recipients/Recipient')).trim() },
      subject,
      ...(acknowledgedMessageId ? { acknowledgedMessageId } : {}),
      references,
    },
    warnings,
  };
}
