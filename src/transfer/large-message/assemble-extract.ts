import { MAX_ATTACHMENT_BYTES } from '../../ebxml/index.ts';
import type { DocumentStore, StoredDocument } from '../../store/index.ts';
import { XmlError } from '../../xml/index.ts';
import type { AssemblyLimits } from './assemble-document.ts';
import { decodedStream, joinedPieces } from './assemble-document.ts';
import type { AssemblyFailure, ExtractAssembly } from './assembly-types.ts';
import { AssemblyError, capped, peek } from './decode-stream.ts';
import { elementSpans } from './xml-spans.ts';

/** The real extract, stored, ready to stream into the translator. */
export interface AssembledExtract {
  readonly ok: true;
  readonly stored: StoredDocument;
  /**
   * `payload`: the core message carried it. `skeleton`: the skeleton's attachment is the whole message.
   * `spliced`: the attachment is the part of the extract the skeleton left out, put back in its place.
   */
  readonly source: 'payload' | 'skeleton' | 'spliced';
  readonly warnings: readonly string[];
}

/** What a skeleton's attachment starts with when it is a whole extract message (after a BOM and a declaration). */
const WHOLE_MESSAGE =
  /^(?:\xEF\xBB\xBF)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:[\w.-]+:)?RCMR_IN030000UK0[67][\s/>]/;
const DECLARATION = /^(?:\xEF\xBB\xBF)?\s*(?:<\?xml[^>]*\?>\s*)?/;

/**
 * Stores the real extract of a conversation: the core message's payload itself, or what its skeleton stands in
 * for. A skeleton's gzipped attachment is either the whole extract message (as the NHS sending adaptor and this
 * project send it) or the part the skeleton left out, which replaces the element that holds the reference to it
 * (the parent of the element whose attribute is the skeleton's document id), as the specification describes.
 *
 * @example
 * const r = await assembleExtract(assessment.extract, documents, { corePayload: core.payload });
 * if (r.ok) await translateExtractStream(documents.read(r.stored.id).stream);
 */
export async function assembleExtract(
  extract: ExtractAssembly,
  documents: DocumentStore,
  options: { readonly corePayload: string | Uint8Array; readonly limits?: AssemblyLimits },
): Promise<AssembledExtract | ({ readonly ok: false } & AssemblyFailure)> {
  const max = options.limits?.maxDocumentBytes ?? MAX_ATTACHMENT_BYTES;
  try {
    if (extract.kind === 'payload') {
      return {
        ok: true,
        stored: await store(documents, [Buffer.from(options.corePayload)], max),
        source: 'payload',
        warnings: [],
      };
    }
    const plan = extract.document;
    const decoded = await decodedStream(plan, joinedPieces(plan, documents));
    const { head, stream } = await peek(decoded.stream, 4096);
    if (WHOLE_MESSAGE.test(head.toString('latin1'))) {
      const stored = await store(documents, capped(stream, max, plan.filename), max);
      return { ok: true, stored, source: 'skeleton', warnings: decoded.warnings };
    }
    const payload = Buffer.from(options.corePayload).toString('utf8');
    const span = spliceSpan(payload, extract.skeletonDocumentId);
    const skip = Buffer.byteLength(DECLARATION.exec(head.toString('latin1'))![0], 'latin1');
    const parts = spliced(payload.slice(0, span.start), dropBytes(stream, skip), payload.slice(span.end));
    const stored = await store(documents, capped(parts, max, plan.filename), max);
    return { ok: true, stored, source: 'spliced', warnings: decoded.warnings };
  } catch (e) {
    if (e instanceof AssemblyError)
      return { ok: false, reasonCode: e.reasonCode, detail: `extract: ${e.message}` };
    throw e;
  }
}

/** The element of the skeleton payload the attachment replaces. */
function spliceSpan(payload: string, documentId: string | undefined): { start: number; end: number } {
  if (!documentId)
    throw new AssemblyError(
      '29',
      "the skeleton's attachment is not a whole extract and names no document id",
    );
  const id = documentId.toLowerCase();
  let found = false;
  let span: { start: number; end: number } | undefined;
  try {
    span = elementSpans(payload, (t) => {
      if (found || !Object.values(t.attributes).some((v) => v.trim().toLowerCase() === id)) return undefined;
      found = true;
      return 'parent';
    })[0];
  } catch (e) {
    if (e instanceof XmlError)
      throw new AssemblyError('29', `the skeleton payload cannot be read: ${e.message}`);
    throw e;
  }
  if (!span)
    throw new AssemblyError('29', `the skeleton payload has no element that refers to ${documentId}`);
  return span;
}

async function* spliced(
  before: string,
  middle: AsyncIterable<Buffer>,
  after: string,
): AsyncGenerator<Buffer> {
  yield Buffer.from(before);
  yield* middle;
  yield Buffer.from(after);
}

async function* dropBytes(source: AsyncIterable<Buffer>, count: number): AsyncGenerator<Buffer> {
  let left = count;
  for await (const chunk of source) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

async function store(
  documents: DocumentStore,
  source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  max: number,
): Promise<StoredDocument> {
  const put = await documents.put(source, { maxBytes: max });
  if (!put.ok) throw new AssemblyError('30', `the extract is over the ${put.limit}-byte limit`);
  return put.document;
}
