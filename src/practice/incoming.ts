import type { Database } from '../store/index.ts';
import {
  countReceivedBefore,
  countTransfers,
  listByReceipt,
  listTransfers,
  type TransferState,
  type TransferSummary,
} from '../transfer/index.ts';
import type { IntegrationClock, WorkingDayCalendar } from './working-days.ts';

/** The incoming worklist's views. */
export type IncomingView = 'to-integrate' | 'in-progress' | 'ended';

const STATES: Readonly<Record<IncomingView, readonly TransferState[]>> = {
  'to-integrate': ['ready-to-integrate'],
  'in-progress': ['requesting', 'awaiting-extract', 'awaiting-attachments', 'preparing'],
  ended: ['integrated', 'suppressed', 'rejected', 'failed'],
};

/** One row of the incoming worklist. */
export interface IncomingRow {
  readonly transfer: TransferSummary;
  /** The integration clocks, for a record received and not yet decided. */
  readonly clock: IntegrationClock | undefined;
}

/** A page of the incoming worklist with the counts behind its tabs. */
export interface IncomingPage {
  readonly view: IncomingView;
  readonly rows: readonly IncomingRow[];
  readonly counts: Readonly<Record<IncomingView, number>>;
  readonly total: number;
  readonly overdue: number;
}

/** How many rows a worklist page shows. */
export const PAGE_SIZE = 50;

/**
 * The practice's incoming records for one view: to integrate (oldest receipt first, each with its 3-working-day
 * and 8-day clocks), in progress, or ended.
 *
 * @example
 * const p = await incomingWorklist(db, calendar, { practiceOds: 'A12345', view: 'to-integrate', now: Date.now() });
 */
export async function incomingWorklist(
  db: Database,
  calendar: WorkingDayCalendar,
  q: { practiceOds: string; view: IncomingView; now: number; page?: number },
): Promise<IncomingPage> {
  const byState = await countTransfers(db, { practiceOds: q.practiceOds, role: 'requesting' });
  const count = (v: IncomingView) => STATES[v].reduce((n, s) => n + (byState[s] ?? 0), 0);
  const counts = {
    'to-integrate': count('to-integrate'),
    'in-progress': count('in-progress'),
    ended: count('ended'),
  };
  const page = Math.max(1, q.page ?? 1);
  const filter = {
    practiceOds: q.practiceOds,
    states: STATES[q.view],
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  };
  // To integrate: oldest receipt first, so the record nearest its deadline leads; otherwise latest change first.
  const transfers =
    q.view === 'to-integrate'
      ? await listByReceipt(db, filter)
      : await listTransfers(db, { ...filter, role: 'requesting' });
  const rows = transfers.map((transfer) => ({
    transfer,
    clock:
      transfer.state === 'ready-to-integrate' && transfer.receivedAt
        ? calendar.integrationClock(transfer.receivedAt, q.now)
        : undefined,
  }));
  const overdue = await countOverdue(db, calendar, q.practiceOds, q.now);
  return { view: q.view, rows, counts, total: counts[q.view], overdue };
}

/** How many records waiting to be integrated are past the practice's 3 working days. */
export function countOverdue(
  db: Database,
  calendar: WorkingDayCalendar,
  practiceOds: string,
  now: number,
): Promise<number> {
  return countReceivedBefore(db, {
    practiceOds,
    states: ['ready-to-integrate'],
    before: calendar.overdueThreshold(now),
  });
}

/** True for a string naming an incoming view. */
export function isIncomingView(v: string): v is IncomingView {
  return v in STATES;
}
