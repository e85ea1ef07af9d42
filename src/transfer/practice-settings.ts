import { eq } from 'drizzle-orm';
import type { PracticeDirectoryEntry } from '../spine/index.ts';
import { type Database, schema } from '../store/index.ts';

const { practices } = schema;

/** A hosted practice's switches, as the sending checks read them. */
export type PracticeSettings = typeof schema.practices.$inferSelect;

/**
 * Records a hosted practice from its SDS entry; its switches (GP2GP on, large-message compliance) are set from
 * SDS the first time and kept after, since the practice may change them.
 */
export async function upsertPractice(db: Database, entry: PracticeDirectoryEntry, at: Date): Promise<void> {
  const directory = {
    name: entry.name,
    asid: entry.asid,
    partyKey: entry.partyKey,
    supplier: entry.supplier,
    updatedAt: at,
  };
  await db
    .insert(practices)
    .values({
      ods: entry.ods,
      ...directory,
      gp2gpEnabled: entry.gp2gpLive,
      largeMessageCompliant: entry.largeMessageCompliant,
    })
    .onConflictDoUpdate({ target: practices.ods, set: directory });
}

/**
 * Switches GP2GP on or off, or large-message compliance, for a practice; undefined where it is not known.
 *
 * @example
 * await updatePracticeSettings(db, 'A12345', { gp2gpEnabled: false }, new Date())
 */
export async function updatePracticeSettings(
  db: Database,
  ods: string,
  change: Partial<Pick<PracticeSettings, 'gp2gpEnabled' | 'largeMessageCompliant'>>,
  at: Date,
): Promise<PracticeSettings | undefined> {
  const [row] = await db
    .update(practices)
    .set({ ...change, updatedAt: at })
    .where(eq(practices.ods, ods))
    .returning();
  return row;
}
