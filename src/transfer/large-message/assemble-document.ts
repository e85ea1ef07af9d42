import { MAX_ATTACHMENT_BYTES } from '../../ebxml/index.ts';
import type { DocumentStore, StoredDocument } from '../../store/index.ts';
import type { AssemblyFailure, AssemblyPlan } from './assembly-types.ts';
import {
  AssemblyError,
  capped,
  decodeBase64,
  gunzip,
  isGzip,
  looksLikeBase64,
  peek,
} from './decode-stream.ts';

/** Limits on reassembly. */
export interface AssemblyLimits {
  /** Largest document, once decoded and inflated (default 1 GiB, as for inline attachments). */
  readonly maxDocumentBytes?: number;
}

/** A document put back together and stored. */
export interface AssembledDocument {
  readonly ok: true;
  readonly stored: StoredDocument;
  readonly filename: string;
  readonly contentType: string;
  /** What was undone: base64 text and gzip, as described or as detected from the content. */
  readonly decoded: { readonly base64: boolean; readonly gzip: boolean };
  readonly warnings: readonly string[];
}

/** Bytes looked at to tell base64 text and gzip from a document as it is. */
const SNIFF_BYTES = 4096;

/**
 * Puts one document back together: streams its pieces in order out of the store, undoes base64 text and gzip
 * where the description says so and the content agrees (docs/large-messages.md#decoding), and streams the result
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
): Promise<AssembledDocument | ({ readonly ok: false } & AssemblyFailure)> {
  const max = limits.maxDocumentBytes ?? MAX_ATTACHMENT_BYTES;
  try {
    const { stream, decoded, warnings } = await decodedStream(plan, joinedPieces(plan, documents));
    const put = await documents.put(capped(stream, max, plan.filename), { maxBytes: max });
    if (!put.ok)
      return { ok: false, reasonCode: '30', detail: `${plan.filename} is over the ${put.limit}-byte limit` };
    return {
      ok: true,
      stored: put.document,
      filename: plan.filename,
      contentType: plan.contentType,
      decoded,
      warnings,
    };
  } catch (e) {
    if (e instanceof AssemblyError)
      return { ok: false, reasonCode: e.reasonCode, detail: `${plan.filename}: ${e.message}` };
    throw e;
  }
}

/** The document's bytes with base64 and gzip undone as needed, and what was undone. */
export async function decodedStream(
  plan: Pick<AssemblyPlan, 'description' | 'filename'>,
  source: AsyncIterable<Uint8Array>,
): Promise<{ stream: AsyncIterable<Buffer>; decoded: AssembledDocument['decoded']; warnings: string[] }> {
  const d = plan.description;
  const warnings: string[] = [];
  let { head, stream } = await peek(source, SNIFF_BYTES);
  // As decodeAttachment: base64 text only where the sender said it encoded (or compressed) the document.
  const base64 = (d.originalBase64 === true || d.compressed === true) && looksLikeBase64(head);
  if (base64) ({ head, stream } = await peek(decodeBase64(stream), SNIFF_BYTES));
  // A document that is itself a .gz file is sent with Compressed=No: only what the sender compressed is inflated.
  const gzip = d.compressed !== false && isGzip(head);
  if (gzip) stream = gunzip(stream);
  if (d.compressed === true && !gzip)
    warnings.push(`${plan.filename} is described as compressed but is not gzip`);
  return { stream, decoded: { base64, gzip }, warnings };
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
