import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { DocumentSource, DocumentStore, StoredDocument } from '../../store/index.ts';
import { decodeXml } from '../../xml/index.ts';
import type { OutgoingDocument, OutgoingTransferInput, OutgoingTransferPlan } from './outgoing-types.ts';
import { placeholderFilename, placeholderText } from './placeholder.ts';
import {
  manifestWireBytes,
  type PlanInput,
  planOutgoingTransfer,
  type ResolvedDocument,
} from './plan-outgoing.ts';
import { checkPolicy, DEFAULT_POLICY, type LargeMessagePolicy } from './policy.ts';
import { buildSkeletonExtract } from './skeleton.ts';

/** Slices handed to gzip at a time, so a string extract is never copied whole into a second buffer. */
const SLICE = 1024 * 1024;

/**
 * Stores what the plan refers to and plans the transfer: each absent document's placeholder text, the core
 * message's payload, and, when the extract is too large for the core message, the extract gzipped (streamed
 * into the store) and its skeleton. Then {@link planOutgoingTransfer} routes every document.
 *
 * @example
 * const plan = await prepareOutgoingTransfer({ extractXml, extractMessageId, documents }, store.documents);
 * await saveRow(JSON.stringify(plan));
 */
export async function prepareOutgoingTransfer(
  input: OutgoingTransferInput,
  documents: DocumentStore,
): Promise<OutgoingTransferPlan> {
  const policy = checkPolicy(input.policy ?? DEFAULT_POLICY);
  const newId = input.newId ?? (() => crypto.randomUUID().toUpperCase());
  const warnings: string[] = [];
  const resolved: ResolvedDocument[] = [];
  for (const doc of input.documents) resolved.push(await resolveDocument(doc, documents, warnings));
  const xml = typeof input.extractXml === 'string' ? input.extractXml : decodeXml(input.extractXml);
  const base: Omit<PlanInput, 'payload'> = {
    extractMessageId: input.extractMessageId,
    interactionId: /<(?:[\w.-]+:)?RCMR_IN030000UK07[\s>/]/.test(xml.slice(0, 4096))
      ? 'RCMR_IN030000UK07'
      : 'RCMR_IN030000UK06',
    documents: resolved,
    policy,
    newId,
    warnings,
  };
  if (!needsSkeleton(Buffer.byteLength(xml), resolved, policy)) {
    return planOutgoingTransfer({ ...base, payload: await store(documents, textSlices(xml)) });
  }
  const documentId = newId();
  const filename = `${documentId}_ehr-extract.xml.gz`;
  const gzipped = await storeGzipped(documents, xml);
  const skeleton = buildSkeletonExtract(xml, {
    documentId,
    filename,
    compositionId: newId(),
    statementId: newId(),
  });
  return planOutgoingTransfer({
    ...base,
    payload: await store(documents, [Buffer.from(skeleton)]),
    skeletonExtract: {
      documentId,
      filename,
      contentType: 'text/xml',
      storedId: gzipped.id,
      bytes: gzipped.bytes,
      absent: false,
    },
  });
}

/**
 * True when the extract cannot be the core message's payload: over its own limit, or leaving no room in the
 * core message for the manifest that lists the documents.
 */
export function needsSkeleton(
  extractBytes: number,
  documents: readonly Pick<ResolvedDocument, 'filename' | 'contentType'>[],
  policy: LargeMessagePolicy,
): boolean {
  return (
    extractBytes > policy.maxExtractInlineBytes ||
    extractBytes + manifestWireBytes(documents) > policy.maxCoreMessageBytes
  );
}

async function resolveDocument(
  doc: OutgoingDocument,
  documents: DocumentStore,
  warnings: string[],
): Promise<ResolvedDocument> {
  const found =
    doc.absentReason === undefined && doc.storedId ? await documents.stat(doc.storedId) : undefined;
  if (found) {
    if (found.bytes !== doc.bytes)
      warnings.push(`document ${doc.documentId}: ${found.bytes} bytes stored, not the ${doc.bytes} given`);
    return { ...pick(doc), storedId: found.id, bytes: found.bytes, absent: false };
  }
  const reason =
    doc.absentReason ??
    (doc.storedId ? 'the document was not found in the document store' : 'no content was given for it');
  if (doc.absentReason === undefined) warnings.push(`document ${doc.documentId}: ${reason}; sent as absent`);
  const filename = placeholderFilename(doc);
  if (filename !== doc.filename)
    warnings.push(
      `document ${doc.documentId}: placeholder named ${filename}, not ${doc.filename} as the extract says`,
    );
  const stored = await store(documents, [Buffer.from(placeholderText({ ...doc, absentReason: reason }))]);
  return {
    documentId: doc.documentId,
    filename,
    contentType: 'text/plain',
    storedId: stored.id,
    bytes: stored.bytes,
    absent: true,
  };
}

function pick(doc: OutgoingDocument): Pick<ResolvedDocument, 'documentId' | 'filename' | 'contentType'> {
  return { documentId: doc.documentId, filename: doc.filename, contentType: doc.contentType };
}

async function store(documents: DocumentStore, source: DocumentSource): Promise<StoredDocument> {
  const put = await documents.put(source);
  if (!put.ok) throw new RangeError(`the document store refused ${put.limit}+ bytes`);
  return put.document;
}

/** Gzips the extract on its way into the store: the compressed form is never held in memory. */
async function storeGzipped(documents: DocumentStore, xml: string): Promise<StoredDocument> {
  const gzip = createGzip();
  const [, stored] = await Promise.all([
    pipeline(Readable.from(textSlices(xml)), gzip),
    store(documents, gzip),
  ]);
  return stored;
}

/** UTF-8 slices of a string, never cutting a surrogate pair in two. */
function* textSlices(text: string): Generator<Buffer> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + SLICE, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield Buffer.from(text.slice(at, end));
    at = end;
  }
}
