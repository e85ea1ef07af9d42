import { serializeXml, type XmlChild, type XmlSpec, x } from '../xml/index.ts';
import { type AttachmentDescription, formatAttachmentDescription } from './attachment-description.ts';
import type { EbxmlFault, MessageHeader } from './envelope.ts';
import {
  ACK_ACTION,
  EBXML_SERVICE,
  ERROR_ACTION,
  NAMESPACES,
  NEXT_MSH_ACTOR,
  PARTY_ID_TYPE,
  TO_PARTY_MSH_ACTOR,
} from './namespaces.ts';

/** A manifest entry to write: the HL7 payload, or an attachment described the GP2GP way. */
export interface ManifestEntrySpec {
  readonly href: string;
  readonly id?: string;
  readonly payload?: boolean;
  readonly attachment?: AttachmentDescription;
}

const ENVELOPE_ATTRS = {
  'xmlns:SOAP': NAMESPACES.soap,
  'xmlns:eb': NAMESPACES.eb,
  'xmlns:hl7ebxml': NAMESPACES.hl7ebxml,
  'xmlns:xlink': NAMESPACES.xlink,
};

function partyId(id: string): XmlSpec {
  return x('eb:PartyId', { 'eb:type': PARTY_ID_TYPE }, id);
}

function messageHeaderXml(h: MessageHeader): XmlSpec {
  return x(
    'eb:MessageHeader',
    { 'SOAP:mustUnderstand': '1', 'eb:version': '2.0' },
    x('eb:From', {}, partyId(h.fromPartyId)),
    x('eb:To', {}, partyId(h.toPartyId)),
    x('eb:CPAId', {}, h.cpaId),
    x('eb:ConversationId', {}, h.conversationId),
    x('eb:Service', {}, h.service),
    x('eb:Action', {}, h.action),
    x(
      'eb:MessageData',
      {},
      x('eb:MessageId', {}, h.messageId),
      x('eb:Timestamp', {}, h.timestamp),
      h.refToMessageId && x('eb:RefToMessageId', {}, h.refToMessageId),
      h.timeToLive && x('eb:TimeToLive', {}, h.timeToLive),
    ),
    h.duplicateElimination && x('eb:DuplicateElimination'),
  );
}

function envelope(header: XmlChild[], body: XmlChild[]): string {
  return serializeXml(
    x('SOAP:Envelope', ENVELOPE_ATTRS, x('SOAP:Header', {}, header), x('SOAP:Body', {}, body)),
    {
      declaration: true,
      indent: '  ',
    },
  );
}

/**
 * Writes the SOAP envelope of a GP2GP message: header, AckRequested when asked, and the manifest.
 *
 * @example
 * buildMessageEnvelope(header, [{ href: 'cid:payload@gp2gp', payload: true }])
 */
export function buildMessageEnvelope(header: MessageHeader, manifest: readonly ManifestEntrySpec[]): string {
  const references = manifest.map((m) =>
    x(
      'eb:Reference',
      { 'eb:id': m.id, 'xlink:href': m.href },
      m.payload &&
        x('eb:Schema', {
          'eb:location': 'http://www.nhsia.nhs.uk/schemas/HL7-Message.xsd',
          'eb:version': '1.0',
        }),
      x(
        'eb:Description',
        { 'xml:lang': 'en' },
        m.attachment ? formatAttachmentDescription(m.attachment) : m.payload ? 'HL7 payload' : undefined,
      ),
      m.payload && x('hl7ebxml:Payload', { style: 'HL7', encoding: 'XML', version: '3.0' }),
    ),
  );
  return envelope(
    [
      messageHeaderXml(header),
      header.ackRequested &&
        x('eb:AckRequested', {
          'SOAP:mustUnderstand': '1',
          'eb:version': '2.0',
          'eb:signed': 'false',
          'SOAP:actor': NEXT_MSH_ACTOR,
        }),
    ],
    [x('eb:Manifest', { 'SOAP:mustUnderstand': '1', 'eb:version': '2.0' }, references)],
  );
}

/** Identity and clock for a signal message (ack or error) we send back. */
export interface SignalOptions {
  readonly messageId?: string;
  readonly timestamp?: string;
}

function signalHeader(of: MessageHeader, action: string, opts: SignalOptions): MessageHeader {
  return {
    fromPartyId: of.toPartyId,
    toPartyId: of.fromPartyId,
    cpaId: of.cpaId,
    conversationId: of.conversationId,
    service: EBXML_SERVICE,
    action,
    messageId: opts.messageId ?? crypto.randomUUID().toUpperCase(),
    timestamp: opts.timestamp ?? new Date().toISOString(),
    refToMessageId: of.messageId,
    duplicateElimination: false,
    ackRequested: false,
  };
}

/**
 * Writes the ebXML Acknowledgment that tells a forward-reliable sender its message arrived.
 *
 * @example
 * buildAcknowledgment(received.header) // SOAP envelope text, From/To swapped
 */
export function buildAcknowledgment(of: MessageHeader, opts: SignalOptions = {}): string {
  const h = signalHeader(of, ACK_ACTION, opts);
  return envelope(
    [
      messageHeaderXml(h),
      x(
        'eb:Acknowledgment',
        { 'SOAP:mustUnderstand': '1', 'eb:version': '2.0', 'SOAP:actor': TO_PARTY_MSH_ACTOR },
        x('eb:Timestamp', {}, h.timestamp),
        x('eb:RefToMessageId', {}, of.messageId),
        x('eb:From', {}, partyId(of.toPartyId)),
      ),
    ],
    [],
  );
}

/**
 * Writes an ebXML MessageError envelope with an ErrorList, for a message we refuse at transport level.
 *
 * @example
 * buildErrorList(received.header, [{ errorCode: 'ValueNotRecognized', severity: 'Error', description: 'unknown party' }])
 */
export function buildErrorList(
  of: MessageHeader | undefined,
  faults: readonly EbxmlFault[],
  opts: SignalOptions = {},
): string {
  const highest = faults.some((f) => f.severity === 'Error') ? 'Error' : 'Warning';
  const list = x(
    'eb:ErrorList',
    { 'SOAP:mustUnderstand': '1', 'eb:version': '2.0', 'eb:highestSeverity': highest },
    faults.map((f) =>
      x(
        'eb:Error',
        {
          'eb:codeContext': f.codeContext ?? 'urn:oasis:names:tc:ebxml-msg:service:errors',
          'eb:errorCode': f.errorCode,
          'eb:severity': f.severity,
          'eb:location': f.location,
        },
        f.description && x('eb:Description', { 'xml:lang': 'en-GB' }, f.description),
      ),
    ),
  );
  return envelope([of && messageHeaderXml(signalHeader(of, ERROR_ACTION, opts)), list], []);
}
