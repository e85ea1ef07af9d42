import { buffer } from 'node:stream/consumers';
import {
  buildMessageEnvelope,
  buildMultipart,
  GP2GP_SERVICE,
  type ManifestEntrySpec,
  type MessageHeader,
  type MimePartSpec,
} from '../../ebxml/index.ts';
import { INTERACTION, type PracticeAddress } from '../../hl7/index.ts';
import type { DocumentStore } from '../../store/index.ts';
import { copcPayload } from './copc-payload.ts';
import type { PlannedMessage, StoredSlice } from './outgoing-types.ts';

/** A practice as the message is addressed: its ASID and ODS code, and its MHS party key. */
export interface MessageParty extends PracticeAddress {
  readonly partyKey: string;
}

/** What a planned message needs besides the plan: who, which conversation, when, and the stored bytes. */
export interface BuildContext {
  readonly from: MessageParty;
  readonly to: MessageParty;
  readonly conversationId: string;
  readonly documents: DocumentStore;
  /** HL7 creationTime of the COPC payloads. */
  readonly creationTime: Date;
  /** ebXML Timestamp (ISO 8601). */
  readonly ebxmlTimestamp: string;
  /** CPA id; defaults to one derived from the interaction, as the MHS client does. */
  readonly cpaId?: string;
}

/** A complete ebXML MIME body, ready for `MhsOutboundClient.transmit`. */
export interface BuiltMessage {
  readonly messageId: string;
  readonly contentType: string;
  readonly body: Buffer;
}

/** A stored document a plan refers to is not (or no longer) in the store: the message cannot be built. */
export class MissingDocumentError extends Error {
  override readonly name = 'MissingDocumentError';
  readonly storedId: string;

  constructor(storedId: string, why: string) {
    super(`stored document ${storedId} cannot be read (${why})`);
    this.storedId = storedId;
  }
}

/**
 * Builds one planned message: SOAP envelope with its manifest, HL7 payload, and each inline part read (only the
 * bytes it needs) from the store. Everything is derived from the plan and the context, boundary included, so a
 * message re-sent after a crash is the same bytes under the same MessageId.
 *
 * @example
 * const built = await buildPlannedMessage(plan.core, { from, to, conversationId, documents, creationTime, ebxmlTimestamp });
 * await mhs.transmit(built.messageId, built, reliability);
 */
export async function buildPlannedMessage(
  planned: PlannedMessage,
  context: BuildContext,
): Promise<BuiltMessage> {
  const action = planned.kind === 'core' ? planned.interactionId : INTERACTION.commonContent;
  const payload =
    planned.kind === 'core'
      ? (await readSlice(context.documents, planned.payload)).toString('utf8')
      : copcPayload(planned, context);
  const header: MessageHeader = {
    fromPartyId: context.from.partyKey,
    toPartyId: context.to.partyKey,
    cpaId: context.cpaId ?? `S-${action}`,
    conversationId: context.conversationId,
    service: GP2GP_SERVICE,
    action,
    messageId: planned.messageId,
    timestamp: context.ebxmlTimestamp,
    duplicateElimination: true,
    ackRequested: true,
  };
  const payloadId = `${planned.messageId.toLowerCase()}@gp2gp.local`;
  const manifest: ManifestEntrySpec[] = [
    { href: `cid:${payloadId}`, payload: true },
    ...planned.attachments.map((a) => ({
      href: `cid:${a.contentId}`,
      ...(a.ebId ? { id: a.ebId } : {}),
      attachment: a.description,
    })),
    ...planned.externalAttachments.map((a) => ({
      href: `mid:${a.messageId}`,
      ...(a.ebId ? { id: a.ebId } : {}),
      attachment: a.description,
    })),
  ];
  const parts: MimePartSpec[] = [
    {
      contentId: 'ebXMLHeader@gp2gp.local',
      contentType: 'text/xml; charset=UTF-8',
      transferEncoding: '8bit',
      body: buildMessageEnvelope(header, manifest),
    },
    {
      contentId: payloadId,
      contentType: 'application/xml; charset=UTF-8',
      transferEncoding: '8bit',
      body: payload,
    },
  ];
  for (const a of planned.attachments) {
    const body = await readSlice(context.documents, a.content);
    parts.push({ contentId: a.contentId, contentType: a.contentType, transferEncoding: 'base64', body });
  }
  const built = buildMultipart(parts, boundaryFor(planned.messageId, payload));
  return { messageId: planned.messageId, ...built };
}

/** A boundary made from the message id (so it is the same on every build) that the payload text does not contain. */
function boundaryFor(messageId: string, payload: string): string {
  let boundary = `--=_MIME-Boundary-${messageId.toLowerCase()}`;
  while (payload.includes(boundary)) boundary += '_';
  return boundary;
}

/** The bytes a slice names, read as a byte range so a fragment never loads the whole document. */
async function readSlice(documents: DocumentStore, slice: StoredSlice): Promise<Buffer> {
  if (slice.bytes === 0) {
    if (!(await documents.stat(slice.storedId))) throw new MissingDocumentError(slice.storedId, 'not-found');
    return Buffer.alloc(0);
  }
  const read = await documents.read(slice.storedId, {
    start: slice.offset,
    end: slice.offset + slice.bytes - 1,
  });
  if (!read.ok) throw new MissingDocumentError(slice.storedId, read.reason);
  return buffer(read.stream);
}
