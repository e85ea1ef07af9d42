import { attr, child, path, type XmlElement, x } from '../xml/index.ts';
import { Hl7Error } from './hl7-error.ts';
import { INTERACTION, OID } from './oids.ts';
import { REASON_CODE_SYSTEM, REASON_CODES, type ReasonCode } from './reason-codes.ts';
import { id, readTransmission, writeHl7Message } from './transmission.ts';

/** AA accepts; AE (application error) and AR (rejected) carry a reason code. */
export type AckTypeCode = 'AA' | 'AE' | 'AR';

/** An application acknowledgement (MCCI_IN010000UK13). */
export interface ApplicationAck {
  readonly messageId: string;
  readonly creationTime: Date;
  readonly senderAsid: string;
  readonly receiverAsid: string;
  /** The message this acknowledges (the extract, the request, or a COPC). */
  readonly acknowledgedMessageId: string;
  readonly typeCode: AckTypeCode;
  /** Required for AE and AR. */
  readonly reasonCode?: ReasonCode;
  /** Free text sent as the code's display name; defaults to the catalogue text. */
  readonly reasonText?: string;
}

/**
 * Writes an application acknowledgement; a negative ack names its reason in both places receivers look
 * (acknowledgementDetail and ControlActEvent/reason).
 *
 * @example
 * buildAck({ ...ids, typeCode: 'AE', reasonCode: '19', acknowledgedMessageId: requestMessageId })
 */
export function buildAck(a: ApplicationAck): string {
  if (a.typeCode !== 'AA' && !a.reasonCode)
    throw new Error(`a ${a.typeCode} acknowledgement needs a reason code`);
  const reason = a.reasonCode
    ? {
        code: a.reasonCode,
        codeSystem: REASON_CODE_SYSTEM,
        displayName: a.reasonText ?? REASON_CODES[a.reasonCode].displayName,
      }
    : undefined;
  const acknowledgement = x(
    'acknowledgement',
    { typeCode: a.typeCode },
    reason && x('acknowledgementDetail', { typeCode: 'ER' }, x('code', reason)),
    x('messageRef', {}, id(a.acknowledgedMessageId)),
  );
  const controlAct = reason
    ? [
        x(
          'reason',
          { typeCode: 'RSON' },
          x(
            'justifyingDetectedIssueEvent',
            { classCode: 'ALRT', moodCode: 'EVN' },
            x(
              'code',
              reason,
              x(
                'qualifier',
                { inverted: 'false' },
                x('value', { code: 'ER', codeSystem: OID.ackDetailType }),
              ),
            ),
          ),
        ),
      ]
    : [];
  return writeHl7Message(
    {
      messageId: a.messageId,
      creationTime: a.creationTime,
      interactionId: INTERACTION.ack,
      senderAsid: a.senderAsid,
      receiverAsid: a.receiverAsid,
    },
    { acknowledgement, controlAct },
  );
}

/** An acknowledgement as read; type and reason are kept as written, since suppliers send odd values. */
export interface ReadAck {
  readonly messageId: string;
  readonly creationTime?: Date;
  readonly senderAsid?: string;
  readonly receiverAsid?: string;
  readonly acknowledgedMessageId?: string;
  /** As written: usually AA, AE or AR (older systems send CA, CE, CR). */
  readonly typeCode: string;
  readonly reasonCode?: string;
  readonly reasonText?: string;
  readonly warnings: readonly string[];
}

/**
 * Reads an application acknowledgement, taking the reason from acknowledgementDetail or, failing that,
 * from ControlActEvent/reason (suppliers put it in either).
 *
 * @example
 * readAck(parseXml(text).root).reasonCode // '18'
 */
export function readAck(root: XmlElement): ReadAck {
  const warnings: string[] = [];
  const t = readTransmission(root, warnings);
  const ack = child(root, 'acknowledgement');
  if (!ack) throw new Hl7Error('99', 'acknowledgement message has no acknowledgement element');
  const typeCode = attr(ack, 'typeCode') ?? '';
  const detail = path(ack, 'acknowledgementDetail/code');
  const issue = path(root, 'ControlActEvent/reason/justifyingDetectedIssueEvent/code');
  const code = detail ?? issue;
  const reasonCode = attr(code, 'code');
  const reasonText = attr(code, 'displayName');
  const acknowledgedMessageId = attr(ack, 'root', 'messageRef/id');
  if (!acknowledgedMessageId) warnings.push('acknowledgement does not say which message it acknowledges');
  if (typeCode !== 'AA' && !reasonCode)
    warnings.push(`${typeCode || 'negative'} acknowledgement carries no reason code`);
  return {
    messageId: t.messageId,
    ...(t.creationTime ? { creationTime: t.creationTime } : {}),
    ...(t.senderAsid ? { senderAsid: t.senderAsid } : {}),
    ...(t.receiverAsid ? { receiverAsid: t.receiverAsid } : {}),
    ...(acknowledgedMessageId ? { acknowledgedMessageId } : {}),
    typeCode,
    ...(reasonCode ? { reasonCode } : {}),
    ...(reasonText ? { reasonText } : {}),
    warnings,
  };
}
