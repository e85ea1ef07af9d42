import { and, asc, count, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';
import { summarise, type TransferSummary } from './transfer-row.ts';
import type { TransferState } from './transfer-state.ts';

const { transfers } = schema;

/** Which received records to list: one practice's requesting transfers in some states. */
export interface ReceiptFilter {
  readonly practiceOds: string;
  readonly states: readonly TransferState[];
  readonly limit?: number;
  readonly offset?: number;
}

/**
 * The practice's received records oldest receipt first (the integration worklist's order: the record nearest
 * its deadline leads).
 *
 * @example
 * await listByReceipt(db, { practiceOds: 'A12345', states: ['ready-to-integrate'], limit: 50 })
 */
export async function listByReceipt(db: Database, f: ReceiptFilter): Promise<TransferSummary[]> {
  const rows = await db
    .select()
    .from(transfers)
    .where(and(...conditions(f)))
    .orderBy(asc(transfers.receivedAt), asc(transfers.id))
    .limit(f.limit ?? 100)
    .offset(f.offset ?? 0);
  return rows.map(summarise);
}

/** How many of the practice's received records in those states arrived before an instant. */
export async function countReceivedBefore(
  db: Database,
  f: Omit<ReceiptFilter, 'limit' | 'offset'> & { readonly before: Date },
): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(transfers)
    .where(and(...conditions(f), lt(transfers.receivedAt, f.before)));
  return row?.n ?? 0;
}

function conditions(f: Omit<ReceiptFilter, 'limit' | 'offset'>): SQL[] {
  return [
    eq(transfers.practiceOds, f.practiceOds),
    eq(transfers.role, 'requesting'),
    inArray(transfers.state, [...f.states]),
  ];
}
