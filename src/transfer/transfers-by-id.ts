import { and, eq, inArray } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';
import { summarise, type TransferSummary } from './transfer-row.ts';

/**
 * Several of one practice's transfers by id in one query (another practice's ids are simply not found).
 *
 * @example
 * await transfersById(db, { practiceOds: 'B12345', transferIds: tasks.map((t) => t.transferId) })
 */
export async function transfersById(
  db: Database,
  by: { practiceOds: string; transferIds: readonly string[] },
): Promise<TransferSummary[]> {
  if (by.transferIds.length === 0) return [];
  const { transfers } = schema;
  const rows = await db
    .select()
    .from(transfers)
    .where(and(eq(transfers.practiceOds, by.practiceOds), inArray(transfers.id, [...by.transferIds])));
  return rows.map(summarise);
}
