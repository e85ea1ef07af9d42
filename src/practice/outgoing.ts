import type { Database } from '../store/index.ts';
import {
  countTransfers,
  listPrintTasks,
  listTransfers,
  type PrintTask,
  type TransferSummary,
  transfersById,
} from '../transfer/index.ts';
import { PAGE_SIZE } from './incoming.ts';

/** How many transfers with print or post work one page shows. */
export const ENVELOPES_SHOWN = 25;

/** A sending transfer with the print tasks that must be done before its Lloyd George envelope goes. */
export interface EnvelopeWork {
  readonly transfer: TransferSummary;
  readonly tasks: readonly PrintTask[];
}

/** The sending side's worklist. */
export interface OutgoingPage {
  /** Ended transfers with print tasks or an envelope still to post (the oldest {@link ENVELOPES_SHOWN}). */
  readonly envelopes: readonly EnvelopeWork[];
  /** How many transfers have print or post work in all. */
  readonly envelopesTotal: number;
  /** Requests still open and past the end of the working day they arrived on. */
  readonly notActioned: readonly TransferSummary[];
  /** Every request received, latest change first. */
  readonly requests: readonly TransferSummary[];
  readonly counts: Readonly<Record<string, number>>;
  readonly total: number;
}

/**
 * The old practice's view of records leaving it: what to print and post, what was not actioned on the day it
 * arrived, and every request received with where it stands.
 *
 * @example
 * const p = await outgoingWorklist(db, { practiceOds: 'B12345' });
 */
export async function outgoingWorklist(
  db: Database,
  q: { practiceOds: string; page?: number },
): Promise<OutgoingPage> {
  const tasks = await listPrintTasks(db, { practiceOds: q.practiceOds });
  const byTransfer = new Map<string, PrintTask[]>();
  for (const t of tasks) byTransfer.set(t.transferId, [...(byTransfer.get(t.transferId) ?? []), t]);
  // Oldest tasks first, a page at a time: the rest are counted.
  const first = [...byTransfer.keys()].slice(0, ENVELOPES_SHOWN);
  const withTasks = await transfersById(db, { practiceOds: q.practiceOds, transferIds: first });
  const envelopes: EnvelopeWork[] = withTasks.map((transfer) => ({
    transfer,
    tasks: byTransfer.get(transfer.id) ?? [],
  }));
  // Printed but not yet posted: the envelope step is still to do.
  const failed = await listTransfers(db, {
    practiceOds: q.practiceOds,
    role: 'sending',
    states: ['failed'],
    limit: 200,
  });
  const posting = failed.filter((t) => !t.lloydGeorgePostedAt && !byTransfer.has(t.id));
  for (const transfer of posting.slice(0, Math.max(0, ENVELOPES_SHOWN - envelopes.length)))
    envelopes.push({ transfer, tasks: [] });
  const envelopesTotal = byTransfer.size + posting.length;
  const open = await listTransfers(db, {
    practiceOds: q.practiceOds,
    role: 'sending',
    open: true,
    limit: 500,
  });
  const notActioned = open.filter((t) => t.details.overdueSince !== undefined);
  const page = Math.max(1, q.page ?? 1);
  const requests = await listTransfers(db, {
    practiceOds: q.practiceOds,
    role: 'sending',
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const counts = await countTransfers(db, { practiceOds: q.practiceOds, role: 'sending' });
  const total = Object.values(counts).reduce((a, b) => a + (b ?? 0), 0);
  return { envelopes, envelopesTotal, notActioned, requests, counts, total };
}
