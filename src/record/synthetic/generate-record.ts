import type { Bundle } from 'fhir/r3.js';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import { parseAsOf, type SyntheticPatient, syntheticPatient, testRangeNhsNumber } from './demographics.ts';
import { drawAttachmentSizes } from './document-sizes.ts';
import { placeholderDocumentUrl, type SyntheticDocument } from './documents.ts';
import { History } from './history.ts';
import { writeDocuments, writeEntries } from './history-entries.ts';
import { writeProblems } from './history-problems.ts';
import { generateClinicians, practiceAgents, type SyntheticClinician } from './practice-agents.ts';
import { type RecordProfile, shapeFor } from './profiles.ts';
import { SeededRandom } from './random.ts';
import { RecordDraft } from './record-draft.ts';
import { DAY_MS } from './uk-time.ts';

/**
 * Which attachments a record has: its profile's ('profile'), drawn from the national distribution
 * ('distribution'), `count` of `bytes` bytes each, or exactly the sizes listed.
 */
export type DocumentsOption =
  | 'profile'
  | 'distribution'
  | { readonly count: number; readonly bytes: number }
  | { readonly sizes: readonly number[] };

/** What to generate; only the seed and the practice are required. */
export interface GenerateRecordOptions {
  /** Everything follows from it: the same seed and options give the same record and document bytes. */
  readonly seed: number;
  /** ODS code of the practice holding the record. */
  readonly practiceOds: string;
  /** The practice's name (default: invented from the patient's town). */
  readonly practiceName?: string;
  /** The patient (e.g. one of {@link generatePatients}); default invented from the seed. */
  readonly patient?: SyntheticPatient;
  /** The invented patient's NHS number (999 test range); default one derived from the seed. */
  readonly nhsNumber?: string;
  /** The practice's clinicians, or how many to invent (default 2 to 6). */
  readonly clinicians?: number | readonly SyntheticClinician[];
  /** How much the record holds (default 'median'). */
  readonly profile?: RecordProfile;
  /** Its attachments (default: the profile's). */
  readonly documents?: DocumentsOption;
  /** The share of coded entries carrying only a legacy (Read v2 / EMIS) code, which degrade (default 0.03). */
  readonly legacyCodeRate?: number;
  /** The day the record runs up to (default {@link DEFAULT_AS_OF}: never the clock, so runs repeat). */
  readonly asOf?: string;
  /** Each document's attachment URL (default a placeholder the caller replaces: {@link withDocumentUrls}). */
  readonly documentUrl?: (document: SyntheticDocument) => string;
}

/** A generated record: the GP Connect structured-record Bundle, its documents, and whose it is. */
export interface SyntheticRecord {
  readonly bundle: Bundle;
  /** One per DocumentReference with content, in the Bundle's order; bytes made on demand. */
  readonly documents: readonly SyntheticDocument[];
  readonly patient: SyntheticPatient;
}

/** Default share of coded entries with a legacy code only. */
export const DEFAULT_LEGACY_CODE_RATE = 0.03;

/**
 * A realistic synthetic GP record as GP Connect sends it (STU3 structured-record Bundle): demographics, years of
 * consultations (Encounter → consultation List → topic and category Lists → entries), problems linked to their
 * entries, repeat and acute medication with authorisations and issues, allergies, immunisations, pathology,
 * blood pressures, referrals, recalls, some legacy-coded entries, and documents whose sizes follow the national
 * distribution. Deterministic per seed; synthetic data only (999 NHS numbers, Ofcom drama phone numbers).
 *
 * @example
 * const { bundle, documents } = generateRecord({ seed: 1, practiceOds: 'A12345' });
 * const { xml } = translateBundleToExtract(bundle, { addressing: 'preview' });
 * for await (const chunk of documents[0].open()) …;            // exactly documents[0].bytes bytes
 *
 * generateRecord({ seed: 2, practiceOds: 'A12345', profile: 'small', documents: { count: 10, bytes: 512_000 } });
 */
export function generateRecord(options: GenerateRecordOptions): SyntheticRecord {
  const { seed, practiceOds } = options;
  if (!practiceOds) throw new RangeError('practiceOds is required');
  const legacyRate = options.legacyCodeRate ?? DEFAULT_LEGACY_CODE_RATE;
  if (!(legacyRate >= 0 && legacyRate <= 1))
    throw new RangeError(`legacyCodeRate must be 0 to 1, not ${legacyRate}`);
  const random = new SeededRandom(seed);
  const asOf = parseAsOf(options.asOf);
  const patient = options.patient ?? inventedPatient(random.fork('patient'), options, asOf);
  checkNhsNumber(patient.nhsNumber);
  if (options.nhsNumber && options.nhsNumber !== patient.nhsNumber)
    throw new RangeError(`nhsNumber ${options.nhsNumber} is not the patient's (${patient.nhsNumber})`);
  const birth = Date.parse(patient.birthDate);
  if (!(birth < asOf))
    throw new RangeError(`the patient's birth date ${patient.birthDate} is not before asOf`);
  const agentsRandom = random.fork('agents');
  const clinicians = cliniciansOf(agentsRandom, options.clinicians);
  const { resources, agents } = practiceAgents(agentsRandom, patient, {
    ods: practiceOds,
    ...(options.practiceName ? { name: options.practiceName } : {}),
    clinicians,
  });
  const shape = shapeFor(options.profile ?? 'median', random.fork('shape'));
  const documentSizes = sizesOf(
    options.documents ?? 'profile',
    shape.documentSizes,
    random.fork('document-sizes'),
  );
  const draft = new RecordDraft(random.fork('clinical'), agents, legacyRate);
  // The profile's years, or the patient's life where that is shorter (at least a day).
  const start = Math.min(Math.max(birth, asOf - shape.years * 365.25 * DAY_MS), asOf - DAY_MS);
  const history = new History({
    draft,
    shape,
    birth,
    start,
    asOf,
    gender: patient.gender,
    town: patient.address.line.at(-1) ?? '',
  });
  writeEntries(history, writeProblems(history));
  const documents = writeDocuments(history, draft.branch(random.fork('documents')), documentSizes, {
    recordSeed: seed,
    url: options.documentUrl ?? placeholderDocumentUrl,
  });
  history.finish();
  return {
    bundle: {
      resourceType: 'Bundle',
      meta: { profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-StructuredRecord-Bundle-1'] },
      type: 'collection',
      entry: [...resources, ...draft.resources].map((resource) => ({ resource })),
    },
    documents,
    patient,
  };
}

function inventedPatient(
  random: SeededRandom,
  options: GenerateRecordOptions,
  asOf: number,
): SyntheticPatient {
  const nhsNumber = options.nhsNumber ?? testRangeNhsNumber(random.int(0, 999_999)).nhsNumber;
  return syntheticPatient(random, nhsNumber, options.practiceOds, asOf);
}

function checkNhsNumber(nhsNumber: string): void {
  if (!nhsNumber.startsWith('999') || !isValidNhsNumber(nhsNumber))
    throw new RangeError(`${nhsNumber} is not a test NHS number (999 range, passing modulus 11)`);
}

function cliniciansOf(
  random: SeededRandom,
  given: GenerateRecordOptions['clinicians'],
): readonly SyntheticClinician[] {
  if (typeof given === 'object') {
    if (given.length === 0) throw new RangeError('a practice needs at least one clinician');
    return given;
  }
  const count = given ?? random.int(2, 6);
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`clinicians must be at least 1, not ${count}`);
  return generateClinicians(random, count);
}

/** Most attachments one record may be asked for: well past the largest seen (1,484). */
const MAX_DOCUMENTS = 100_000;

function sizesOf(
  option: DocumentsOption,
  profile: readonly number[],
  random: SeededRandom,
): readonly number[] {
  if (option === 'profile') return profile;
  if (option === 'distribution') return drawAttachmentSizes(random).sizes;
  const sizes =
    'sizes' in option ? option.sizes : Array.from({ length: checkedCount(option.count) }, () => option.bytes);
  if (sizes.length > MAX_DOCUMENTS)
    throw new RangeError(`at most ${MAX_DOCUMENTS} documents, not ${sizes.length}`);
  for (const bytes of sizes)
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new RangeError(`a document size must be whole bytes, not ${bytes}`);
  return sizes;
}

function checkedCount(count: number): number {
  if (!Number.isInteger(count) || count < 0 || count > MAX_DOCUMENTS)
    throw new RangeError(`documents.count must be 0 to ${MAX_DOCUMENTS}, not ${count}`);
  return count;
}
