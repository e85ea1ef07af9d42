import { decodeXml, parseXml } from '../xml/index.ts';
import type { AttachmentDescription } from './attachment-description.ts';
import { buildMessageEnvelope, type ManifestEntrySpec } from './build-envelope.ts';
import { EbxmlError } from './ebxml-error.ts';
import {
  type ManifestReference,
  type MessageHeader,
  parseSoapEnvelope,
  type SoapEnvelope,
} from './envelope.ts';
import { headerParam } from './http-preamble.ts';
import {
  buildMultipart,
  decodeMimePart,
  type MimePartSpec,
  type RawMimePart,
  splitMultipart,
} from './mime.ts';

/** An attachment carried inline in the message, with its manifest description where one was given. */
export interface EbxmlAttachment {
  readonly contentId: string;
  readonly contentType?: string;
  readonly body: Buffer;
  readonly description?: AttachmentDescription;
  /** The manifest `eb:id`, where the manifest gave one. */
  readonly id?: string;
}

/** A whole ebXML message: envelope, HL7 payload text, inline attachments, and tolerated oddities. */
export interface EbxmlMessage {
  readonly header: MessageHeader;
  readonly envelope: SoapEnvelope;
  readonly manifest: readonly ManifestReference[];
  /** The HL7 payload text, absent for signal messages (acks, errors). */
  readonly payload?: string;
  readonly attachments: readonly EbxmlAttachment[];
  readonly warnings: readonly string[];
}

/** What routing a message needs: its envelope and HL7 payload, its attachments left undecoded. */
export interface EbxmlMessageHead {
  readonly header: MessageHeader;
  readonly envelope: SoapEnvelope;
  readonly manifest: readonly ManifestReference[];
  /** The HL7 payload text, absent for signal messages (acks, errors). */
  readonly payload?: string;
  readonly warnings: readonly string[];
}

/**
 * Parses a multipart/related ebXML message body. The SOAP part is the `start` part (or the first); the HL7
 * payload is the part the manifest marks as payload (or the second); the rest are attachments.
 *
 * @example
 * const msg = parseEbxmlMessage(body, req.headers['content-type']); msg.header.action // 'RCMR_IN010000UK05'
 */
export function parseEbxmlMessage(body: Uint8Array, contentType?: string): EbxmlMessage {
  const { head, attachmentParts } = readParts(body, contentType);
  const attachments = attachmentParts.map((raw): EbxmlAttachment => {
    const p = decodeMimePart(raw);
    const ref = head.manifest.find((r) => !r.isPayload && sameId(r.href, p.contentId));
    return {
      contentId: p.contentId ?? '',
      ...(p.contentType ? { contentType: p.contentType } : {}),
      body: p.body,
      ...(ref?.attachment ? { description: ref.attachment } : {}),
      ...(ref?.id ? { id: ref.id } : {}),
    };
  });
  return { ...head, attachments };
}

/**
 * Reads an ebXML message's envelope and HL7 payload as {@link parseEbxmlMessage} does, leaving the attachment
 * parts undecoded: what a hub needs to route a message it passes on as it came.
 *
 * @example
 * readEbxmlMessageHead(body, req.headers['content-type']).header.toPartyId // 'YES-0000806'
 */
export function readEbxmlMessageHead(body: Uint8Array, contentType?: string): EbxmlMessageHead {
  return readParts(body, contentType).head;
}

function readParts(
  body: Uint8Array,
  contentType: string | undefined,
): { head: EbxmlMessageHead; attachmentParts: readonly RawMimePart[] } {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const boundary = (contentType && headerParam(contentType, 'boundary')) ?? sniffBoundary(buf);
  if (!boundary)
    throw new EbxmlError('no MIME boundary: Content-Type has none and the body does not start with one');
  const { parts, warnings: mimeWarnings } = splitMultipart(buf, boundary);
  const warnings = [...mimeWarnings];
  const start = contentType ? headerParam(contentType, 'start')?.replace(/^<|>$/g, '') : undefined;
  const soapPart = (start && parts.find((p) => p.contentId === start)) || parts[0]!;
  const soap = parseXml(decodeMimePart(soapPart).body);
  warnings.push(...soap.warnings);
  const envelope = parseSoapEnvelope(soap.root);
  warnings.push(...envelope.warnings);
  if (!envelope.header) throw new EbxmlError('SOAP envelope has no ebXML MessageHeader');
  const rest = parts.filter((p) => p !== soapPart);
  const payloadRef = envelope.manifest.find((r) => r.isPayload);
  const payloadPart = (payloadRef && findPart(rest, payloadRef.href)) || (payloadRef ? rest[0] : undefined);
  if (payloadRef && !payloadPart)
    throw new EbxmlError('manifest names an HL7 payload but the message has no such part');
  if (payloadRef?.href && payloadPart && !findPart(rest, payloadRef.href)) {
    warnings.push(
      `HL7 payload reference ${payloadRef.href} matches no Content-Id; using the part after the envelope`,
    );
  }
  const head: EbxmlMessageHead = {
    header: envelope.header,
    envelope,
    manifest: envelope.manifest,
    // decoded as the XML reader decodes a document: bytes not valid in its encoding are refused, not replaced
    ...(payloadPart ? { payload: decodeXml(decodeMimePart(payloadPart).body) } : {}),
    warnings,
  };
  return { head, attachmentParts: rest.filter((p) => p !== payloadPart) };
}

/** First line of a body that starts with its boundary (captures without HTTP headers). */
function sniffBoundary(buf: Buffer): string | undefined {
  const head = buf.subarray(0, 300).toString('latin1').replace(/^\s+/, '');
  const m = /^--(\S+)\r?\n/.exec(head);
  return m?.[1];
}

function findPart(parts: readonly RawMimePart[], href: string): RawMimePart | undefined {
  return parts.find((p) => sameId(href, p.contentId));
}

/** `cid:` references name a Content-Id; suppliers differ in case and in keeping the scheme, so compare loosely. */
function sameId(href: string, contentId: string | undefined): boolean {
  if (!contentId) return false;
  const bare = href.replace(/^(cid|mid):/i, '').toLowerCase();
  return bare === contentId.toLowerCase();
}

/** An inline attachment to send. */
export interface OutboundAttachment {
  readonly contentId: string;
  readonly contentType: string;
  readonly body: Buffer;
  readonly description: AttachmentDescription;
  readonly id?: string;
}

/** An attachment sent as a separate message (large messaging), referenced by `mid:`. */
export interface ExternalAttachment {
  readonly messageId: string;
  readonly id?: string;
  readonly description: AttachmentDescription;
}

/** Everything needed to write an ebXML message. */
export interface EbxmlMessageSpec {
  readonly header: MessageHeader;
  readonly payload: string;
  readonly attachments?: readonly OutboundAttachment[];
  readonly externalAttachments?: readonly ExternalAttachment[];
}

/**
 * Writes a multipart/related ebXML message: SOAP envelope, HL7 payload, then attachments (base64).
 *
 * @example
 * const { contentType, body } = buildEbxmlMessage({ header, payload: hl7Xml });
 */
export function buildEbxmlMessage(spec: EbxmlMessageSpec): { contentType: string; body: Buffer } {
  const payloadId = `${spec.header.messageId.toLowerCase()}@gp2gp.local`;
  const attachments = spec.attachments ?? [];
  const manifest: ManifestEntrySpec[] = [
    { href: `cid:${payloadId}`, payload: true },
    ...attachments.map((a) => ({
      href: `cid:${a.contentId}`,
      ...(a.id ? { id: a.id } : {}),
      attachment: a.description,
    })),
    ...(spec.externalAttachments ?? []).map((a) => ({
      href: `mid:${a.messageId}`,
      ...(a.id ? { id: a.id } : {}),
      attachment: a.description,
    })),
  ];
  const parts: MimePartSpec[] = [
    {
      contentId: 'ebXMLHeader@gp2gp.local',
      contentType: 'text/xml; charset=UTF-8',
      transferEncoding: '8bit',
      body: buildMessageEnvelope(spec.header, manifest),
    },
    {
      contentId: payloadId,
      contentType: 'application/xml; charset=UTF-8',
      transferEncoding: '8bit',
      body: spec.payload,
    },
    ...attachments.map(
      (a): MimePartSpec => ({
        contentId: a.contentId,
        contentType: a.contentType,
        transferEncoding: 'base64',
        body: a.body,
      }),
    ),
  ];
  return buildMultipart(parts);
}
