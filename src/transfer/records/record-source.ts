import type { Readable } from 'node:stream';
import type { Bundle } from 'fhir/r3.js';

/** A document's bytes as a record source gives them. */
export interface SourceDocument {
  readonly stream: Readable;
  /** Length in bytes, where the source knows it. */
  readonly bytes?: number;
  readonly contentType?: string;
}

/** Why a record source could not answer: the patient is not held there, or the source itself failed. */
export type RecordLookup =
  | { readonly kind: 'found'; readonly bundle: Bundle }
  | { readonly kind: 'not-held' }
  | { readonly kind: 'unavailable'; readonly message: string };

/**
 * Where a sending practice's records come from: a GP Connect-style structured record and its documents. The
 * built-in practice record store answers for the demo; a real clinical system answers over HTTP.
 *
 * @example
 * const r = await source.structuredRecord('A12345', '9990000018');
 * if (r.kind === 'found') for (const d of documentUrls(r.bundle)) await source.document('A12345', d);
 */
export interface RecordSource {
  /** The patient's whole structured record (GP Connect `$gpc.migratestructuredrecord`). */
  structuredRecord(practiceOds: string, nhsNumber: string): Promise<RecordLookup>;
  /** A document the record refers to, by its attachment URL; undefined where it cannot be had. */
  document(practiceOds: string, url: string): Promise<SourceDocument | undefined>;
}
