import { AttachmentError, decodeAttachmentStream } from '../../ebxml/index.ts';
import type { DocumentStore, StoredDocument } from '../../store/index.ts';
import { AssemblyError } from './assembly-error.ts';
import type { AssemblyFailure, AssemblyPlan } from './assembly-types.ts';
import { ABSENT_FILENAME } from './placeholder.ts';

/** Limits on reassembly. */
export interface AssemblyLimits {
  /** Largest document, once decoded and inflated (default 1 GiB: the largest whole records seen are ~930 MB). */
  readonly maxDocumentBytes?: number;
}

/** The default {@link AssemblyLimits.maxDocumentBytes}. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024 * 1024;

/** A document put back together and stored. */
export interface AssembledDocument {
  readonly ok: true;
  readonly stored: StoredDocument;
  /** The core manifest reference it answers, and its `eb:id` (the extract's document id), from the plan. */
  readonly href: string;
  readonly ebId?: string;
  readonly filename: string;
  readonly contentType: string;
  /** An `AbsentAttachment…txt` placeholder the sender put in for a document it could not fetch. */
  readonly absent: boolean;
}

/** A document that could not be put back together, and the reason code to send. */
export type AssemblyRefusal = { readonly ok: false } & AssemblyFailure;

/**
 * Puts one document back together: streams its pieces in order out of the store, undoes base64 text and gzip as
 * `decodeAttachmentStream` does for any attachment (docs/large-messages.md#decoding), and streams the result
 * into the store. Memory stays flat whatever the document's size.
 *
 * @example
 * const r = await assembleDocument(plan, documents);
 * if (!r.ok) nack(r.reasonCode); else attach(r.stored.id, r.filename);
 */
export async function assembleDocument(
  plan: AssemblyPlan,
  documents: DocumentStore,
  limits: AssemblyLimits = {},
): Promise<AssembledDocument | AssemblyRefusal> {
  const maxBytes = limits.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  try {
    await checkPieces(plan, documents);
    const decoded = decodeAttachmentStream(joinedPieces(plan, documents), plan.description, { maxBytes });
    const put = await documents.put(decoded, { maxBytes });
    if (!put.ok)
      return { ok: false, reasonCode: '30', detail: `${plan.filename} is over the ${put.limit}-byte limit` };
    return {
      ok: true,
      stored: put.document,
      href: plan.href,
      ...(plan.ebId ? { ebId: plan.ebId } : {}),
      filename: plan.filename,
      contentType: plan.contentType,
      absent: ABSENT_FILENAME.test(plan.filename),
    };
  } catch (e) {
    const failure = asFailure(e);
    if (!failure) throw e;
    return { ok: false, reasonCode: failure.reasonCode, detail: `${plan.filename}: ${failure.detail}` };
  }
}

/**
 * The reason code for an error met while decoding: joined pieces that are not base64 or gzip did not go back
 * together (29); a document over the size limit, or a piece gone from the store, is a general failure (30).
 */
export function asFailure(e: unknown): AssemblyFailure | undefined {
  if (e instanceof AssemblyError) return { reasonCode: e.reasonCode, detail: e.message };
  if (e instanceof AttachmentError)
    return { reasonCode: e.problem === 'size' ? '30' : '29', detail: e.message };
  return undefined;
}

/** Every piece is in the store with the length it came with, before anything is decoded. */
async function checkPieces(plan: AssemblyPlan, documents: DocumentStore): Promise<void> {
  for (const piece of plan.pieces) {
    const found = await documents.stat(piece.storedId);
    if (found?.bytes !== piece.bytes)
      throw new AssemblyError('30', `the part from message ${piece.messageId} is not in the store`);
  }
}

/** The pieces of a document, one after another, straight from the store. */
export async function* joinedPieces(
  plan: AssemblyPlan,
  documents: DocumentStore,
): AsyncGenerator<Uint8Array> {
  for (const piece of plan.pieces) {
    const read = await documents.read(piece.storedId);
    if (!read.ok)
      throw new AssemblyError(
        '30',
        `the part from message ${piece.messageId} is not in the store (${read.reason})`,
      );
    yield* read.stream as AsyncIterable<Uint8Array>;
  }
}
