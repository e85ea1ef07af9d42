import {
  generatePatients,
  generateRecord,
  type SyntheticPatient,
  withDocumentUrls,
} from '../record/synthetic/index.ts';
import type { Store } from '../store/index.ts';
import { PracticeRecordStore, storedDocumentUrl } from '../transfer/index.ts';

/** What {@link seedRecords} filed: the patients (for PDS) and the bytes of their documents. */
export interface SeededRecords {
  readonly patients: readonly SyntheticPatient[];
  /** Bytes of every document of every record, as filed at the old practice. */
  readonly documentBytes: number;
}

/** Options for {@link seedRecords}. */
export interface SeedOptions {
  readonly seed: number;
  readonly count: number;
  /** The old practice, where the patients are registered and their records held. */
  readonly practiceOds: string;
  /** Each record's documents (default the median profile's). */
  readonly documents?: { readonly count: number; readonly bytes: number };
  /** Aborted: no more records are filed. */
  readonly signal?: AbortSignal;
  /** Told after each record is filed. */
  readonly onSeeded?: (done: number) => void;
}

/** Records filed at once: generating and hashing a median record's 10 MB is CPU work, two keep two cores busy. */
const PARALLEL = 2;

/**
 * The seed of patient `index`'s record in a run seeded `seed`: records are deterministic per run seed.
 *
 * @example
 * recordSeed(1, 0) // 1000000
 */
export function recordSeed(seed: number, index: number): number {
  return seed * 1_000_000 + index;
}

/**
 * Invents `count` patients registered at the old practice and files a synthetic record for each in its practice
 * record store, documents in the document store: what the old practice sends when asked.
 *
 * @example
 * const { patients } = await seedRecords(store, { seed: 1, count: 10, practiceOds: 'SIMOLD' });
 * spine.pds.load(patients);
 */
export async function seedRecords(store: Store, options: SeedOptions): Promise<SeededRecords> {
  const patients = generatePatients(options.seed, options.count, options.practiceOds);
  const records = new PracticeRecordStore(store.db, store.documents);
  let next = 0;
  let done = 0;
  let documentBytes = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < patients.length && !options.signal?.aborted; i = next++) {
      const patient = patients[i]!;
      const record = generateRecord({
        seed: recordSeed(options.seed, i),
        practiceOds: options.practiceOds,
        patient,
        ...(options.documents ? { documents: options.documents } : {}),
      });
      const urls = new Map<string, string>();
      for (const doc of record.documents) {
        const put = await store.documents.put(doc.chunks());
        if (!put.ok) throw new Error(`a synthetic document of ${doc.bytes} bytes is over the store's limit`);
        urls.set(doc.id, storedDocumentUrl(put.document.id));
        documentBytes += doc.bytes;
      }
      const bundleDocumentId = await records.storeBundle(
        withDocumentUrls(record.bundle, (id) => urls.get(id)),
      );
      await records.put({
        practiceOds: options.practiceOds,
        nhsNumber: patient.nhsNumber,
        bundleDocumentId,
        at: new Date(),
      });
      options.onSeeded?.(++done);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  return { patients, documentBytes };
}
