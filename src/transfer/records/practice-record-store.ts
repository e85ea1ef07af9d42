import { text } from 'node:stream/consumers';
import { and, eq } from 'drizzle-orm';
import type { Bundle } from 'fhir/r3.js';
import { type Database, type DocumentStore, schema } from '../../store/index.ts';
import type { RecordLookup, RecordSource, SourceDocument } from './record-source.ts';

const { patientRecords } = schema;

/** The URL scheme of a document kept in the engine's document store: `urn:gp2gp:document:<sha256>`. */
export const STORED_DOCUMENT_PREFIX = 'urn:gp2gp:document:';

/**
 * The URL a record uses for a document held in the document store.
 *
 * @example
 * storedDocumentUrl('ab12…') // 'urn:gp2gp:document:ab12…'
 */
export function storedDocumentUrl(documentId: string): string {
  return `${STORED_DOCUMENT_PREFIX}${documentId}`;
}

/** The document store id a `urn:gp2gp:document:` URL names, or undefined for any other URL. */
export function storedDocumentId(url: string): string | undefined {
  return url.startsWith(STORED_DOCUMENT_PREFIX) ? url.slice(STORED_DOCUMENT_PREFIX.length) : undefined;
}

/**
 * The built-in practice record store: each practice's records as GP Connect Bundles in the document store, one
 * row per patient. Integrated records land here, and the practice sends from here when the patient moves on.
 *
 * @example
 * const records = new PracticeRecordStore(store.db, store.documents);
 * await records.put({ practiceOds: 'A12345', nhsNumber, bundle, at: new Date() });
 */
export class PracticeRecordStore implements RecordSource {
  private readonly db: Database;
  private readonly documents: DocumentStore;

  constructor(db: Database, documents: DocumentStore) {
    this.db = db;
    this.documents = documents;
  }

  async structuredRecord(practiceOds: string, nhsNumber: string): Promise<RecordLookup> {
    const [row] = await this.db
      .select()
      .from(patientRecords)
      .where(and(eq(patientRecords.practiceOds, practiceOds), eq(patientRecords.nhsNumber, nhsNumber)));
    if (row?.status !== 'registered') return { kind: 'not-held' };
    const bundle = await this.readBundle(row.bundleDocumentId);
    return bundle
      ? { kind: 'found', bundle }
      : { kind: 'unavailable', message: `record document ${row.bundleDocumentId} is missing` };
  }

  async document(_practiceOds: string, url: string): Promise<SourceDocument | undefined> {
    const id = storedDocumentId(url);
    if (!id) return undefined;
    const read = await this.documents.read(id);
    return read.ok ? { stream: read.stream, bytes: read.bytes } : undefined;
  }

  /** Stores a Bundle's JSON in the document store; returns its id (for {@link put} in a transaction). */
  async storeBundle(bundle: Bundle): Promise<string> {
    const put = await this.documents.put([Buffer.from(JSON.stringify(bundle), 'utf8')]);
    if (!put.ok) throw new Error(`record is larger than the document store takes (${put.limit} bytes)`);
    return put.document.id;
  }

  /** Reads a stored Bundle back; undefined where the document is gone. */
  async readBundle(documentId: string): Promise<Bundle | undefined> {
    const read = await this.documents.read(documentId);
    if (!read.ok) return undefined;
    return JSON.parse(await text(read.stream)) as Bundle;
  }

  /** Files a record as the practice's own (registered here), replacing any earlier one. */
  async put(
    row: {
      practiceOds: string;
      nhsNumber: string;
      bundleDocumentId: string;
      sourceTransferId?: string;
      at: Date;
    },
    db: Database = this.db,
  ): Promise<void> {
    const values = {
      practiceOds: row.practiceOds,
      nhsNumber: row.nhsNumber,
      status: 'registered' as const,
      bundleDocumentId: row.bundleDocumentId,
      sourceTransferId: row.sourceTransferId ?? null,
      updatedAt: row.at,
    };
    await db
      .insert(patientRecords)
      .values(values)
      .onConflictDoUpdate({ target: [patientRecords.practiceOds, patientRecords.nhsNumber], set: values });
  }

  /** Marks a record as sent on: the patient has left; it is kept for an A-B-A return. */
  async markLeft(practiceOds: string, nhsNumber: string, at: Date, db: Database = this.db): Promise<void> {
    await db
      .update(patientRecords)
      .set({ status: 'left', updatedAt: at })
      .where(and(eq(patientRecords.practiceOds, practiceOds), eq(patientRecords.nhsNumber, nhsNumber)));
  }

  /** Whether the practice held this patient's record before (an A-B-A return), registered or not. */
  async heldBefore(practiceOds: string, nhsNumber: string, db: Database = this.db): Promise<boolean> {
    const [row] = await db
      .select({ status: patientRecords.status })
      .from(patientRecords)
      .where(and(eq(patientRecords.practiceOds, practiceOds), eq(patientRecords.nhsNumber, nhsNumber)));
    return row !== undefined;
  }
}
