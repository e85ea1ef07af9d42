import { InputError } from '../../common/input-error.ts';
import type { AttachmentDescription, EbxmlMessage } from '../../ebxml/index.ts';
import { INTERACTION, readCommonContent } from '../../hl7/index.ts';
import type { DocumentStore, StoredDocument } from '../../store/index.ts';
import { parseXml } from '../../xml/index.ts';

// The receiving side's record of each message of a large-message conversation. Plain JSON: the engine keeps one
// per received message and hands them all to assessAssembly whenever another arrives.

/** A non-payload manifest reference, as written. */
export interface ReceivedReference {
  readonly href: string;
  /** `cid:` (a MIME part of the same message), `mid:` (another message), or anything else. */
  readonly scheme: 'cid' | 'mid' | 'other';
  /** The href without its scheme and angle brackets. */
  readonly target: string;
  /** The `eb:id`, which ties the attachment to the extract's document. */
  readonly ebId?: string;
  /** The GP2GP description, where the text is one. */
  readonly description?: AttachmentDescription;
  /** The description text, where it is not a GP2GP description (`Attachment`). */
  readonly label?: string;
}

/** A non-payload MIME part of the message, as the engine stored it (transfer-decoded, otherwise raw). */
export interface ReceivedPart {
  readonly contentId: string;
  readonly contentType?: string;
  readonly storedId: string;
  readonly bytes: number;
}

/** What a COPC message's HL7 payload says. */
export interface ReceivedCopcContent {
  readonly kind: 'continue' | 'attachment';
  readonly subject: string;
  /** The file names it lists (`reference/@value`). */
  readonly references: readonly string[];
}

/** One received message, reduced to what reassembly needs. */
export interface ReceivedPartSummary {
  readonly messageId: string;
  readonly conversationId: string;
  /** The ebXML Action. */
  readonly interactionId: string;
  /** `core` for an EHR extract (UK06/UK07), `copc` for COPC_IN000001UK01. */
  readonly role: 'core' | 'copc' | 'other';
  readonly references: readonly ReceivedReference[];
  readonly parts: readonly ReceivedPart[];
  readonly copc?: ReceivedCopcContent;
  /** Why this message cannot take part in reassembly; empty when it can. */
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Summarises a received message for {@link assessAssembly}. `storedParts` are the documents the engine stored
 * for `message.attachments`, one each, in the same order.
 *
 * @example
 * const stored = await storeReceivedParts(message, documents);
 * const summary = summariseReceivedMessage(message, stored); // JSON, for the conversation's row
 */
export function summariseReceivedMessage(
  message: EbxmlMessage,
  storedParts: readonly StoredDocument[],
): ReceivedPartSummary {
  if (storedParts.length !== message.attachments.length)
    throw new RangeError(`${storedParts.length} stored parts for ${message.attachments.length} attachments`);
  const parts = message.attachments.map((a, i): ReceivedPart => {
    const stored = storedParts[i]!;
    if (stored.bytes !== a.body.length)
      throw new RangeError(`stored part ${i + 1} is ${stored.bytes} bytes, the attachment ${a.body.length}`);
    return {
      contentId: a.contentId,
      ...(a.contentType ? { contentType: a.contentType } : {}),
      storedId: stored.id,
      bytes: stored.bytes,
    };
  });
  const action = message.header.action;
  const role =
    action === INTERACTION.ehrExtract || action === INTERACTION.ehrExtractNopat
      ? 'core'
      : action === INTERACTION.commonContent
        ? 'copc'
        : 'other';
  const problems: string[] = [];
  const warnings = [...message.warnings];
  const copc = role === 'copc' ? readCopc(message, problems, warnings) : undefined;
  return {
    messageId: message.header.messageId,
    conversationId: message.header.conversationId,
    interactionId: action,
    role,
    references: message.manifest.filter((r) => !r.isPayload).map(toReference),
    parts,
    ...(copc ? { copc } : {}),
    problems,
    warnings,
  };
}

/**
 * Stores each non-payload MIME part of a message (transfer-decoded, otherwise as received) and returns the
 * stored documents in the order of `message.attachments`, ready for {@link summariseReceivedMessage}.
 */
export async function storeReceivedParts(
  message: EbxmlMessage,
  documents: DocumentStore,
): Promise<StoredDocument[]> {
  const stored: StoredDocument[] = [];
  for (const a of message.attachments) {
    const put = await documents.put([a.body]);
    if (!put.ok)
      throw new RangeError(`attachment ${a.contentId} is over the store's ${put.limit}-byte limit`);
    stored.push(put.document);
  }
  return stored;
}

function toReference(r: EbxmlMessage['manifest'][number]): ReceivedReference {
  const m = /^\s*(cid|mid):\s*<?([^>]*)>?\s*$/i.exec(r.href);
  return {
    href: r.href,
    scheme: m ? (m[1]!.toLowerCase() as 'cid' | 'mid') : 'other',
    target: m ? m[2]!.trim() : r.href.trim(),
    ...(r.id ? { ebId: r.id } : {}),
    ...(r.attachment ? { description: r.attachment } : r.description ? { label: r.description } : {}),
  };
}

function readCopc(
  message: EbxmlMessage,
  problems: string[],
  warnings: string[],
): ReceivedCopcContent | undefined {
  if (message.payload === undefined) {
    problems.push('COPC message has no HL7 payload');
    return undefined;
  }
  try {
    const read = readCommonContent(parseXml(message.payload).root);
    warnings.push(...read.warnings);
    const { kind, subject, references } = read.content;
    return { kind, subject, references };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    problems.push(`COPC payload cannot be read: ${e.message}`);
    return undefined;
  }
}
