/**
 * Seeded synthetic GP records for the demo, the load generator and benchmarks: GP Connect structured-record
 * Bundles with their documents (streamed, never held whole), and invented patients for the Spine simulator's
 * PDS. See docs/synthetic-records.md.
 */
export {
  DEFAULT_AS_OF,
  generatePatients,
  type SyntheticAddress,
  type SyntheticContact,
  type SyntheticGender,
  type SyntheticPatient,
  type SyntheticRegistration,
  testRangeNhsNumber,
} from './demographics.ts';
export { CHUNK_BYTES, type SyntheticContentType } from './document-bytes.ts';
export { ATTACHMENT_DISTRIBUTION } from './document-sizes.ts';
export {
  placeholderDocumentUrl,
  SYNTHETIC_DOCUMENT_URL_PREFIX,
  type SyntheticDocument,
  withDocumentUrls,
} from './documents.ts';
export {
  DEFAULT_LEGACY_CODE_RATE,
  type DocumentsOption,
  type GenerateRecordOptions,
  generateRecord,
  type SyntheticRecord,
} from './generate-record.ts';
export type { SyntheticClinician } from './practice-agents.ts';
export type { RecordProfile } from './profiles.ts';
