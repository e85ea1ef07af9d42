import { and, eq } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';

/** Where a practice's record of a patient is kept, and since when. */
export interface PracticeRecordEntry {
  readonly status: 'registered' | 'left';
  /** The Bundle JSON's id in the document store. */
  readonly bundleDocumentId: string;
  readonly sourceTransferId: string | null;
  readonly updatedAt: Date;
}

/**
 * The practice record store's entry for a patient, read on the connection given (so a caller changing the
 * record inside its own transaction reads it there); undefined where the practice holds none.
 *
 * @example
 * await practiceRecordEntry(tx, { practiceOds: 'A12345', nhsNumber: '9990000018' })
 */
export async function practiceRecordEntry(
  db: Database,
  by: { practiceOds: string; nhsNumber: string },
): Promise<PracticeRecordEntry | undefined> {
  const { patientRecords } = schema;
  const [row] = await db
    .select({
      status: patientRecords.status,
      bundleDocumentId: patientRecords.bundleDocumentId,
      sourceTransferId: patientRecords.sourceTransferId,
      updatedAt: patientRecords.updatedAt,
    })
    .from(patientRecords)
    .where(and(eq(patientRecords.practiceOds, by.practiceOds), eq(patientRecords.nhsNumber, by.nhsNumber)));
  return row;
}
