import { and, asc, count, desc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';
import { summarise, type TransferSummary } from './transfer-row.ts';
import type { TransferRole, TransferState } from './transfer-state.ts';

const { transfers, transferEvents, printTasks, transferDocuments, outboundMessages, inboundMessages } =
  schema;

/** One line of a transfer's history. */
export type TransferEvent = typeof schema.transferEvents.$inferSelect;

/** A print task of a sending practice. */
export type PrintTask = typeof schema.printTasks.$inferSelect;

/** A document of a transfer. */
export type TransferDocument = typeof schema.transferDocuments.$inferSelect;

/** Which transfers to list. Every query is for one practice: a practice only ever sees its own. */
export interface TransferFilter {
  readonly practiceOds: string;
  readonly role?: TransferRole;
  readonly states?: readonly TransferState[];
  readonly open?: boolean;
  readonly nhsNumber?: string;
  readonly limit?: number;
  readonly offset?: number;
}

/**
 * The practice's transfers, most recently changed first.
 *
 * @example
 * await listTransfers(db, { practiceOds: 'A12345', role: 'requesting', states: ['ready-to-integrate'] })
 */
export async function listTransfers(db: Database, f: TransferFilter): Promise<TransferSummary[]> {
  const rows = await db
    .select()
    .from(transfers)
    .where(and(...transferConditions(f)))
    .orderBy(desc(transfers.stateChangedAt))
    .limit(f.limit ?? 100)
    .offset(f.offset ?? 0);
  return rows.map(summarise);
}

/** How many of the practice's transfers are in each state. */
export async function countTransfers(
  db: Database,
  f: Omit<TransferFilter, 'states' | 'limit' | 'offset'>,
): Promise<Partial<Record<TransferState, number>>> {
  const rows = await db
    .select({ state: transfers.state, n: count() })
    .from(transfers)
    .where(and(...transferConditions(f)))
    .groupBy(transfers.state);
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** One transfer of the practice; undefined for another practice's (whose existence is not disclosed). */
export async function getTransfer(
  db: Database,
  by: { practiceOds: string; transferId: string },
): Promise<TransferSummary | undefined> {
  const [row] = await db
    .select()
    .from(transfers)
    .where(and(eq(transfers.id, by.transferId), eq(transfers.practiceOds, by.practiceOds)));
  return row ? summarise(row) : undefined;
}

/** A transfer's history, oldest first: transitions, messages each way, commands and notes. */
export async function transferHistory(
  db: Database,
  by: { practiceOds: string; transferId: string },
): Promise<TransferEvent[]> {
  return db
    .select()
    .from(transferEvents)
    .where(and(eq(transferEvents.transferId, by.transferId), eq(transferEvents.practiceOds, by.practiceOds)))
    .orderBy(asc(transferEvents.id));
}

/** The practice's recent events across all its transfers, newest first. */
export async function practiceEvents(
  db: Database,
  by: { practiceOds: string; limit?: number },
): Promise<TransferEvent[]> {
  return db
    .select()
    .from(transferEvents)
    .where(eq(transferEvents.practiceOds, by.practiceOds))
    .orderBy(desc(transferEvents.id))
    .limit(by.limit ?? 100);
}

/** The practice's print tasks, outstanding ones only unless asked. */
export async function listPrintTasks(
  db: Database,
  by: { practiceOds: string; includeDone?: boolean },
): Promise<PrintTask[]> {
  const conditions: SQL[] = [eq(printTasks.practiceOds, by.practiceOds)];
  if (!by.includeDone) conditions.push(isNull(printTasks.doneAt));
  return db
    .select()
    .from(printTasks)
    .where(and(...conditions))
    .orderBy(asc(printTasks.createdAt));
}

/** The documents of one of the practice's transfers. */
export async function listTransferDocuments(
  db: Database,
  by: { practiceOds: string; transferId: string },
): Promise<TransferDocument[]> {
  const owned = await getTransfer(db, by);
  if (!owned) return [];
  return db
    .select()
    .from(transferDocuments)
    .where(eq(transferDocuments.transferId, by.transferId))
    .orderBy(asc(transferDocuments.filename));
}

/** Messages a transfer sent and received, with where each stands (for support staff). */
export async function transferMessages(db: Database, by: { practiceOds: string; transferId: string }) {
  const owned = await getTransfer(db, by);
  if (!owned) return { sent: [], received: [] };
  const sent = await db
    .select({
      messageId: outboundMessages.messageId,
      interactionId: outboundMessages.interactionId,
      purpose: outboundMessages.purpose,
      state: outboundMessages.state,
      attempts: outboundMessages.attempts,
      lastError: outboundMessages.lastError,
      createdAt: outboundMessages.createdAt,
      finishedAt: outboundMessages.finishedAt,
    })
    .from(outboundMessages)
    .where(eq(outboundMessages.transferId, by.transferId))
    .orderBy(asc(outboundMessages.createdAt));
  const received = await db
    .select({
      messageId: inboundMessages.messageId,
      interactionId: inboundMessages.interactionId,
      state: inboundMessages.state,
      receivedAt: inboundMessages.receivedAt,
      note: inboundMessages.error,
    })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.practiceOds, by.practiceOds),
        eq(inboundMessages.conversationId, owned.conversationId),
      ),
    )
    .orderBy(asc(inboundMessages.receivedAt));
  return { sent, received };
}

function transferConditions(f: Omit<TransferFilter, 'limit' | 'offset'>): SQL[] {
  const c: SQL[] = [eq(transfers.practiceOds, f.practiceOds)];
  if (f.role) c.push(eq(transfers.role, f.role));
  if (f.states?.length) c.push(inArray(transfers.state, [...f.states]));
  if (f.open !== undefined) c.push(eq(transfers.open, f.open));
  if (f.nhsNumber) c.push(eq(transfers.nhsNumber, f.nhsNumber));
  return c;
}
