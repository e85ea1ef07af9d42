import type { Bundle } from 'fhir/r3.js';
import {
  getTransfer,
  listTransferDocuments,
  practiceRecordEntry,
  type TransferDocument,
  type TransferEngine,
  type TransferSummary,
} from '../transfer/index.ts';
import { type RecordSummary, summariseRecord } from './record-summary.ts';

/** A transfer with its record (as received, or as now held once integrated) and its documents. */
export interface TransferRecord {
  readonly transfer: TransferSummary;
  readonly summary: RecordSummary | undefined;
  readonly documents: readonly TransferDocument[];
  /** Whether the record shown is the practice's own current copy (after integration and follow-up work). */
  readonly current: boolean;
}

/**
 * One of the practice's incoming transfers with its record; undefined for a transfer that is not the
 * practice's (the same answer as for none at all, so an id in a URL discloses nothing).
 *
 * @example
 * const r = await transferRecord(engine, 'A12345', id); if (!r) return notFound();
 */
export async function transferRecord(
  engine: TransferEngine,
  practiceOds: string,
  transferId: string,
): Promise<TransferRecord | undefined> {
  if (!isUuid(transferId)) return undefined;
  const db = engine.context.db;
  const transfer = await getTransfer(db, { practiceOds, transferId });
  if (transfer?.role !== 'requesting') return undefined;
  const records = engine.context.practiceRecords;
  let bundle: Bundle | undefined;
  let current = false;
  if (transfer.state === 'integrated') {
    const entry = await practiceRecordEntry(db, { practiceOds, nhsNumber: transfer.nhsNumber });
    if (entry?.status === 'registered' && entry.sourceTransferId === transfer.id) {
      bundle = await records.readBundle(entry.bundleDocumentId);
      current = bundle !== undefined;
    }
  }
  if (!bundle && transfer.details.bundleDocumentId)
    bundle = await records.readBundle(transfer.details.bundleDocumentId);
  const documents = await listTransferDocuments(db, { practiceOds, transferId });
  return { transfer, summary: bundle ? summariseRecord(bundle) : undefined, documents, current };
}

/** True for a UUID (any other id cannot name a transfer). */
export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}
