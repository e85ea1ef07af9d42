import { buffer } from 'node:stream/consumers';
import { decodeAttachmentStream } from '../../ebxml/index.ts';
import type { DocumentStore, StoredDocument } from '../../store/index.ts';
import { XmlError } from '../../xml/index.ts';
import {
  type AssemblyLimits,
  type AssemblyRefusal,
  asFailure,
  DEFAULT_MAX_DOCUMENT_BYTES,
  joinedPieces,
} from './assemble-document.ts';
import { AssemblyError } from './assembly-error.ts';
import type { ExtractAssembly } from './assembly-types.ts';
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
 * `corePayload` is the core message's HL7 text, or `{ storedId }` where the engine stored it (then a payload
 * extract is that stored document itself, not a copy).
 *
 * @example
 * const r = await assembleExtract(assessment.extract, documents, { corePayload: core.payload });
 * if (r.ok) await translateExtractStream(documents.read(r.stored.id).stream);
 */
export async function assembleExtract(
  extract: ExtractAssembly,
  documents: DocumentStore,
  options: { readonly corePayload: CorePayload; readonly limits?: AssemblyLimits },
): Promise<AssembledExtract | AssemblyRefusal> {
  const maxBytes = options.limits?.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  try {
    if (extract.kind === 'payload') {
      const p = options.corePayload;
      const stored =
        typeof p === 'object' && 'storedId' in p
          ? await storedPayload(documents, p.storedId)
          : await store(documents, [Buffer.from(p)], maxBytes);
      return { ok: true, stored, source: 'payload' };
    }
    const plan = extract.document;
    const decoded = decodeAttachmentStream(joinedPieces(plan, documents), plan.description, { maxBytes });
    const { head, stream } = await peek(decoded, 4096);
    if (WHOLE_MESSAGE.test(head.toString('latin1'))) {
      return { ok: true, stored: await store(documents, stream, maxBytes), source: 'skeleton' };
    }
    const payload = await payloadText(documents, options.corePayload);
    const span = spliceSpan(payload, extract.skeletonDocumentId);
    const skip = Buffer.byteLength(DECLARATION.exec(head.toString('latin1'))![0], 'latin1');
    const parts = spliced(payload.slice(0, span.start), dropBytes(stream, skip), payload.slice(span.end));
    return { ok: true, stored: await store(documents, parts, maxBytes), source: 'spliced' };
  } catch (e) {
    const failure = asFailure(e);
    if (!failure) throw e;
    return { ok: false, reasonCode: failure.reasonCode, detail: `extract: ${failure.detail}` };
  }
}

/** The first `bytes` of a stream to look at, and the whole stream (those bytes included) to go on with. */
async function peek(
  source: AsyncIterable<Uint8Array>,
  bytes: number,
): Promise<{ head: Buffer; stream: AsyncGenerator<Buffer> }> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      taken.push(Buffer.from(next.value));
      length += next.value.byteLength;
    }
  }
  async function* stream(): AsyncGenerator<Buffer> {
    yield* taken;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield Buffer.from(next.value);
  }
  return { head: Buffer.concat(taken), stream: stream() };
}

/** The core message's HL7 payload: its text, or where the engine stored it. */
export type CorePayload = string | Uint8Array | { readonly storedId: string };

/** A payload the engine already stored is the extract as it is: no copy is made. */
async function storedPayload(documents: DocumentStore, storedId: string): Promise<StoredDocument> {
  const found = await documents.stat(storedId);
  if (!found) throw new AssemblyError('30', `the core message's payload ${storedId} is not in the store`);
  return found;
}

/** The skeleton payload as text (a skeleton is small, so reading a stored one whole is fine). */
async function payloadText(documents: DocumentStore, payload: CorePayload): Promise<string> {
  if (!(typeof payload === 'object' && 'storedId' in payload)) return Buffer.from(payload).toString('utf8');
  const read = await documents.read(payload.storedId);
  if (!read.ok)
    throw new AssemblyError('30', `the core message's payload ${payload.storedId} is not in the store`);
  return (await buffer(read.stream)).toString('utf8');
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
