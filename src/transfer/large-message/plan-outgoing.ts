import type { AttachmentDescription } from '../../ebxml/index.ts';
import type { StoredDocument } from '../../store/index.ts';
import type {
  DocumentRoute,
  OutgoingTransferPlan,
  PlannedCopcMessage,
  PlannedCoreMessage,
  PlannedDocument,
  PlannedExternalReference,
  PlannedPart,
  StoredSlice,
} from './outgoing-types.ts';
import { base64WireBytes, checkPolicy, DEFAULT_POLICY, type LargeMessagePolicy } from './policy.ts';

/** A document with its bytes in the store: a real one, a placeholder, or the gzipped extract. */
export interface ResolvedDocument {
  readonly documentId: string;
  readonly filename: string;
  readonly contentType: string;
  readonly storedId: string;
  readonly bytes: number;
  readonly absent: boolean;
}

/** What the pure planner needs: everything already in the store, so only routing is left to decide. */
export interface PlanInput {
  readonly extractMessageId: string;
  readonly interactionId: PlannedCoreMessage['interactionId'];
  /** The core message's HL7 payload as stored (the extract, or its skeleton). */
  readonly payload: StoredDocument;
  /** The gzipped extract, when the payload is a skeleton. */
  readonly skeletonExtract?: ResolvedDocument;
  readonly documents: readonly ResolvedDocument[];
  readonly policy?: LargeMessagePolicy;
  readonly newId?: () => string;
  readonly warnings?: readonly string[];
}

/** The `DomainData` that marks the attachment holding a skeleton's real extract. */
export const SKELETON_DOMAIN_DATA = 'X-GP2GP-Skeleton: Yes';

/** Envelope, payload part headers and boundaries of a core message, before any attachment (generous). */
const CORE_BASE_BYTES = 4096;
/** Manifest reference and MIME part headers per attachment, besides its description text. */
const PER_REFERENCE_BYTES = 400;

/** Wire bytes the manifest adds for these documents, whether they end up inline or external. */
export function manifestWireBytes(
  documents: readonly Pick<ResolvedDocument, 'filename' | 'contentType'>[],
): number {
  return documents.reduce(
    (sum, d) => sum + PER_REFERENCE_BYTES + Buffer.byteLength(d.filename) + Buffer.byteLength(d.contentType),
    CORE_BASE_BYTES,
  );
}

/**
 * Decides how every part of a transfer travels: each document inline in the core message while the core
 * message stays within its limit, else in a COPC of its own, else (above the fragment size) as a fragment
 * index plus fragments. Pure: message ids come from `newId`, called in a fixed order.
 *
 * @example
 * const plan = planOutgoingTransfer({ extractMessageId, interactionId: 'RCMR_IN030000UK06', payload, documents });
 * plan.copcMessages.length === 0 // no Continue needed
 */
export function planOutgoingTransfer(input: PlanInput): OutgoingTransferPlan {
  const policy = checkPolicy(input.policy ?? DEFAULT_POLICY);
  const newId = input.newId ?? (() => crypto.randomUUID().toUpperCase());
  const all = [...(input.skeletonExtract ? [input.skeletonExtract] : []), ...input.documents];
  let room = policy.maxCoreMessageBytes - input.payload.bytes - manifestWireBytes(all);
  const attachments: PlannedPart[] = [];
  const externalAttachments: PlannedExternalReference[] = [];
  const copcMessages: PlannedCopcMessage[] = [];
  const documents: PlannedDocument[] = [];
  for (const doc of all) {
    const skeletonExtract = doc === input.skeletonExtract;
    const route = routeOf(doc, policy, room);
    const description = describe(doc, route, skeletonExtract);
    const ebId = skeletonExtract ? `_${doc.documentId}` : doc.documentId;
    const whole = { storedId: doc.storedId, offset: 0, bytes: doc.bytes };
    let messageIds: string[] = [];
    if (route === 'inline') {
      room -= base64WireBytes(doc.bytes);
      attachments.push({
        contentId: contentId(newId()),
        contentType: doc.contentType,
        ebId,
        description,
        content: whole,
      });
    } else {
      const messages =
        route === 'copc'
          ? [documentCopc(doc, whole, newId(), description)]
          : fragmentCopcs(doc, policy.fragmentBytes, newId);
      externalAttachments.push({ messageId: messages[0]!.messageId, ebId, description });
      copcMessages.push(...messages);
      messageIds = messages.map((m) => m.messageId);
    }
    documents.push({ ...doc, skeletonExtract, route, messageIds });
  }
  const warnings = [...(input.warnings ?? [])];
  if (room < 0)
    warnings.push(`core message is over the ${policy.maxCoreMessageBytes}-byte limit by ${-room} bytes`);
  return {
    core: {
      kind: 'core',
      messageId: input.extractMessageId,
      interactionId: input.interactionId,
      payload: { storedId: input.payload.id, offset: 0, bytes: input.payload.bytes },
      attachments,
      externalAttachments,
    },
    copcMessages,
    documents,
    skeleton: input.skeletonExtract !== undefined,
    policy,
    warnings,
  };
}

function routeOf(doc: ResolvedDocument, policy: LargeMessagePolicy, room: number): DocumentRoute {
  if (doc.bytes <= policy.maxAttachmentInlineBytes && base64WireBytes(doc.bytes) <= room) return 'inline';
  return doc.bytes <= policy.fragmentBytes ? 'copc' : 'fragments';
}

/** The manifest description of a whole document, as the core message lists it. */
function describe(
  doc: ResolvedDocument,
  route: DocumentRoute,
  skeletonExtract: boolean,
): AttachmentDescription {
  return {
    filename: doc.filename,
    contentType: doc.contentType,
    compressed: skeletonExtract,
    largeAttachment: route === 'fragments',
    // Our parts are base64 only as MIME transfer encoding: the decoded bytes are the document itself.
    originalBase64: false,
    length: doc.bytes,
    ...(skeletonExtract ? { domainData: SKELETON_DOMAIN_DATA } : {}),
  };
}

function contentId(id: string): string {
  return `${id.toLowerCase()}@gp2gp.local`;
}

function documentCopc(
  doc: ResolvedDocument,
  content: StoredSlice,
  messageId: string,
  description: AttachmentDescription,
): PlannedCopcMessage {
  return {
    kind: 'copc',
    role: 'document',
    messageId,
    documentId: doc.documentId,
    subject: `Attachment: ${doc.filename}`,
    references: [doc.filename],
    attachments: [
      {
        // Not the message id's own Content-Id, which the HL7 payload part has.
        contentId: contentId(`attachment.${messageId}`),
        contentType: doc.contentType,
        description,
        content,
      },
    ],
    externalAttachments: [],
  };
}

/** A fragment index followed by its fragments, each a raw slice of the stored document. */
function fragmentCopcs(doc: ResolvedDocument, size: number, newId: () => string): PlannedCopcMessage[] {
  const indexId = newId();
  const fragments: PlannedCopcMessage[] = [];
  for (let offset = 0, i = 0; offset < doc.bytes; offset += size, i++) {
    const messageId = newId();
    // Fragment names follow the NHS adaptors: the index's message id and the fragment's position.
    const name = `${indexId}_${i}.messageattachment`;
    const bytes = Math.min(size, doc.bytes - offset);
    const fragment = { ...doc, filename: name, bytes };
    const description = describe(fragment, 'copc', false);
    fragments.push({
      ...documentCopc(fragment, { storedId: doc.storedId, offset, bytes }, messageId, description),
      role: 'fragment',
    });
  }
  const index: PlannedCopcMessage = {
    kind: 'copc',
    role: 'fragment-index',
    messageId: indexId,
    documentId: doc.documentId,
    subject: `Attachment: ${doc.filename}`,
    references: [doc.filename],
    attachments: [],
    externalAttachments: fragments.map((f) => ({
      messageId: f.messageId,
      description: f.attachments[0]!.description,
    })),
  };
  return [index, ...fragments];
}
