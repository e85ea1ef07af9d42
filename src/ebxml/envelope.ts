import { attr, child, childElements, path, textOf, type XmlElement } from '../xml/index.ts';
import {
  type AttachmentDescription,
  isAttachmentDescription,
  parseAttachmentDescription,
} from './attachment-description.ts';
import { EbxmlError } from './ebxml-error.ts';

/** The routing and reliability facts of an ebXML message. */
export interface MessageHeader {
  readonly fromPartyId: string;
  readonly toPartyId: string;
  readonly cpaId: string;
  readonly conversationId: string;
  readonly service: string;
  readonly action: string;
  readonly messageId: string;
  readonly timestamp: string;
  readonly refToMessageId?: string;
  readonly timeToLive?: string;
  /** Receiver must discard copies with a MessageId it has seen (forward-reliable messaging). */
  readonly duplicateElimination: boolean;
  /** Receiver must answer with an ebXML Acknowledgment. */
  readonly ackRequested: boolean;
}

/** One manifest entry: the HL7 payload or an attachment (inline `cid:` or separate message `mid:`). */
export interface ManifestReference {
  readonly href: string;
  /** The `eb:id` attribute, which GP2GP uses to tie attachments to extract entries. */
  readonly id?: string;
  /** The description text as written (whitespace folded). */
  readonly description?: string;
  /** The GP2GP attachment description, when the description carries one. */
  readonly attachment?: AttachmentDescription;
  /** True for the reference marked as the HL7 payload. */
  readonly isPayload: boolean;
}

/** One entry of an ebXML ErrorList. */
export interface EbxmlFault {
  readonly errorCode: string;
  readonly severity: 'Error' | 'Warning';
  readonly codeContext?: string;
  readonly location?: string;
  readonly description?: string;
}

/** What a SOAP envelope on the Spine carries: a message header, a manifest, an acknowledgment or errors. */
export interface SoapEnvelope {
  readonly header?: MessageHeader;
  readonly manifest: readonly ManifestReference[];
  /** Present on a transport acknowledgment: the id of the message acknowledged. */
  readonly acknowledgment?: { readonly refToMessageId: string; readonly timestamp?: string };
  readonly errors: readonly EbxmlFault[];
  readonly warnings: readonly string[];
}

/**
 * Reads a SOAP envelope element. Prefixes vary by supplier (SOAP:, soap:, SOAP-ENV:), so elements are matched
 * by local name; a missing required header field is an error, missing optional ones are warnings.
 *
 * @example
 * const env = parseSoapEnvelope(parseXml(xml).root); env.header?.action // 'RCMR_IN030000UK06'
 */
export function parseSoapEnvelope(root: XmlElement): SoapEnvelope {
  if (root.local !== 'Envelope') throw new EbxmlError(`expected a SOAP Envelope, found <${root.name}>`);
  const warnings: string[] = [];
  const head = child(root, 'Header');
  const body = child(root, 'Body');
  const messageHeader = child(head, 'MessageHeader');
  const header = messageHeader ? readMessageHeader(messageHeader, head!, warnings) : undefined;
  const ack = child(head, 'Acknowledgment');
  const acknowledgment = ack
    ? {
        refToMessageId: textOf(child(ack, 'RefToMessageId')).trim(),
        ...(child(ack, 'Timestamp') ? { timestamp: textOf(child(ack, 'Timestamp')).trim() } : {}),
      }
    : undefined;
  const errorList = child(head, 'ErrorList') ?? child(body, 'ErrorList');
  const errors = errorList ? childElements(errorList, 'Error').map(readFault) : [];
  const manifestEl = child(body, 'Manifest');
  const manifest = manifestEl ? childElements(manifestEl, 'Reference').map(readReference) : [];
  if (!header && !acknowledgment && errors.length === 0) {
    throw new EbxmlError('SOAP envelope has no ebXML MessageHeader');
  }
  return {
    ...(header ? { header } : {}),
    manifest,
    ...(acknowledgment ? { acknowledgment } : {}),
    errors,
    warnings,
  };
}

function readMessageHeader(messageHeader: XmlElement, head: XmlElement, warnings: string[]): MessageHeader {
  const required = (p: string): string => {
    const v = textOf(path(messageHeader, p)).trim();
    if (!v) throw new EbxmlError(`ebXML MessageHeader has no ${p.replace(/\//g, ' > ')}`);
    return v;
  };
  const optional = (p: string): string | undefined => textOf(path(messageHeader, p)).trim() || undefined;
  const cpaId = optional('CPAId');
  if (!cpaId) warnings.push('ebXML MessageHeader has no CPAId');
  const refToMessageId = optional('MessageData/RefToMessageId');
  const timeToLive = optional('MessageData/TimeToLive');
  return {
    fromPartyId: required('From/PartyId'),
    toPartyId: required('To/PartyId'),
    cpaId: cpaId ?? '',
    conversationId: required('ConversationId'),
    service: required('Service'),
    action: required('Action'),
    messageId: required('MessageData/MessageId'),
    timestamp: optional('MessageData/Timestamp') ?? '',
    ...(refToMessageId ? { refToMessageId } : {}),
    ...(timeToLive ? { timeToLive } : {}),
    duplicateElimination: child(messageHeader, 'DuplicateElimination') !== undefined,
    ackRequested: child(head, 'AckRequested') !== undefined,
  };
}

function readReference(ref: XmlElement): ManifestReference {
  const description = textOf(child(ref, 'Description')).replace(/\s+/g, ' ').trim() || undefined;
  const id = attr(ref, 'id');
  return {
    href: attr(ref, 'href') ?? '',
    ...(id ? { id } : {}),
    ...(description ? { description } : {}),
    ...(description && isAttachmentDescription(description)
      ? { attachment: parseAttachmentDescription(description) }
      : {}),
    isPayload: child(ref, 'Payload') !== undefined,
  };
}

function readFault(e: XmlElement): EbxmlFault {
  const codeContext = attr(e, 'codeContext');
  const location = attr(e, 'location');
  const description = textOf(child(e, 'Description')).trim();
  return {
    errorCode: attr(e, 'errorCode') ?? '',
    severity: attr(e, 'severity') === 'Warning' ? 'Warning' : 'Error',
    ...(codeContext ? { codeContext } : {}),
    ...(location ? { location } : {}),
    ...(description ? { description } : {}),
  };
}
