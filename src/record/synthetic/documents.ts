import type { Readable } from 'node:stream';
import type { Bundle, BundleEntry, DocumentReference, FhirResource, Reference } from 'fhir/r3.js';
import { documentChunks, openDocument, type SyntheticContentType } from './document-bytes.ts';
import { type RecordDraft, type Recorded, snomedConcept } from './record-draft.ts';
import { DAY_MS, ukDate, ukInstant } from './uk-time.ts';
import { DOCUMENT_TYPES } from './vocabulary.ts';

/**
 * A document of a synthetic record: what its DocumentReference says about it, and its bytes on demand. The
 * bytes are made as they are read (never held whole), the same every time for the same record seed.
 *
 * @example
 * const put = await store.documents.put(doc.open());   // then point the record at it: withDocumentUrls
 */
export interface SyntheticDocument {
  /** The id of its DocumentReference in the Bundle. */
  readonly id: string;
  readonly title: string;
  readonly contentType: SyntheticContentType;
  /** Its exact length. */
  readonly bytes: number;
  /** The bytes as a stream. */
  open(): Readable;
  /** The bytes as chunks, for a synchronous consumer (a benchmark, a DocumentSource). */
  chunks(): Iterable<Uint8Array>;
}

/** The URL scheme of a document that nothing serves yet: the caller replaces it (see {@link withDocumentUrls}). */
export const SYNTHETIC_DOCUMENT_URL_PREFIX = 'urn:gp2gp:synthetic-document:';

/**
 * The placeholder URL of a synthetic document.
 *
 * @example
 * placeholderDocumentUrl(doc) // 'urn:gp2gp:synthetic-document:5D0C…'
 */
export function placeholderDocumentUrl(document: SyntheticDocument): string {
  return `${SYNTHETIC_DOCUMENT_URL_PREFIX}${document.id}`;
}

const CONTENT_TYPES: readonly (readonly [SyntheticContentType, number])[] = [
  ['application/pdf', 60],
  ['image/tiff', 20],
  ['image/jpeg', 8],
  ['text/rtf', 7],
  ['application/msword', 3],
  ['text/plain', 2],
];

const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/**
 * A document of `bytes` bytes filed at `recorded` (received from `author`, a hospital, or made at the
 * practice): its DocumentReference, added to the record, and the document itself.
 */
export function syntheticDocument(
  draft: RecordDraft,
  recorded: Recorded,
  bytes: number,
  options: {
    recordSeed: number;
    /** The record's first day: nothing in it is older. */
    earliest: number;
    author?: Reference;
    encounter?: Reference;
    url: (d: SyntheticDocument) => string;
  },
): { reference: DocumentReference; document: SyntheticDocument } {
  const { random } = draft;
  const id = draft.id();
  const type = random.weighted(DOCUMENT_TYPES);
  const typeName = typeof type === 'string' ? type : type.display;
  const contentType = random.weighted(CONTENT_TYPES);
  // Written a few days before it was filed, though never before the record begins.
  const created = Math.max(options.earliest, recorded.at - random.int(1, 21) * DAY_MS);
  const day = new Date(created);
  const title = `${typeName} (${String(day.getUTCDate()).padStart(2, '0')}-${MONTHS[day.getUTCMonth()]}-${day.getUTCFullYear()})`;
  const spec = { contentType, bytes, key: `${options.recordSeed}/${id}` };
  const document: SyntheticDocument = {
    id,
    title,
    contentType,
    bytes,
    open: () => openDocument(spec),
    chunks: () => documentChunks(spec),
  };
  const reference = draft.add<DocumentReference>({
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    type: typeof type === 'string' ? { text: type } : { ...snomedConcept(type), text: type.display },
    subject: draft.agents.patient,
    created: ukDate(created),
    indexed: ukInstant(recorded.at),
    ...(options.author ? { author: [options.author] } : {}),
    custodian: draft.agents.organization,
    ...(random.chance(0.4)
      ? { description: random.pick(['Scanned by practice', 'Received electronically', 'For information']) }
      : {}),
    content: [{ attachment: { contentType, url: options.url(document), title, size: bytes } }],
    ...(options.encounter ? { context: { encounter: options.encounter } } : {}),
  });
  return { reference, document };
}

/**
 * The Bundle with each synthetic document's attachment URL replaced: for the engine, which stores each
 * document first (its store is content-addressed: `urn:gp2gp:document:<sha256>`) and then files the record.
 * Documents `urlOf` has no URL for keep theirs. The Bundle given is not changed.
 *
 * @example
 * const urls = new Map<string, string>();
 * for (const doc of record.documents) {
 *   const put = await store.documents.put(doc.open());
 *   if (put.ok) urls.set(doc.id, storedDocumentUrl(put.document.id));
 * }
 * const bundle = withDocumentUrls(record.bundle, (id) => urls.get(id));
 */
export function withDocumentUrls(bundle: Bundle, urlOf: (documentId: string) => string | undefined): Bundle {
  const entry = (bundle.entry ?? []).map((e): BundleEntry => {
    const resource = e.resource as FhirResource | undefined;
    if (resource?.resourceType !== 'DocumentReference' || !resource.id) return e;
    const url = urlOf(resource.id);
    if (url === undefined) return e;
    const rewritten: DocumentReference = {
      ...resource,
      content: resource.content.map((c) => ({ ...c, attachment: { ...c.attachment, url } })),
    };
    return { ...e, resource: rewritten };
  });
  return { ...bundle, entry };
}
