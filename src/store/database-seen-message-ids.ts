import { randomUUID } from 'node:crypto';
import { and, count, eq, inArray, lte, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { type Clock, systemClock } from '../common/clock.ts';
import type { ClaimResult, SeenMessageIds } from '../common/seen-message-ids.ts';
import type { Database } from './database.ts';
import { mhsSeenMessageIds as seen } from './schema.ts';

/** Options for {@link DatabaseSeenMessageIds}. */
export interface DatabaseSeenOptions {
  /** A claim older than this is treated as abandoned (its holder crashed), in milliseconds; default 30 s. */
  readonly claimTimeoutMs?: number;
  /** Time for claims and pruning; every instance sharing the table should agree with it (default the system clock). */
  readonly clock?: Clock;
}

/**
 * The MHS duplicate-elimination memory ({@link SeenMessageIds}) as a table shared by every adaptor instance on
 * one database. Claiming is one
 * `INSERT … ON CONFLICT DO UPDATE`: the row lock makes concurrent claims of one id queue, so exactly one wins,
 * and a claim whose holder died (older than the timeout) or an id past its `rememberUntil` is taken over.
 *
 * @example
 * const seen = new DatabaseSeenMessageIds(store.db);
 * if ((await seen.claim(messageId, new Date(Date.now() + 86_400_000))) === 'new') { ...deliver...; await seen.markDelivered(messageId); }
 */
export class DatabaseSeenMessageIds implements SeenMessageIds {
  private readonly db: Database;
  private readonly claimTimeoutMs: number;
  private readonly clock: Clock;

  constructor(db: Database, options: DatabaseSeenOptions = {}) {
    this.db = db;
    // A claim is held only while a message is stored (seconds); a crashed holder's must free up well within the
    // sender's retries, or every retry is answered "being delivered by another instance" until they run out.
    this.claimTimeoutMs = options.claimTimeoutMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Claims `messageId` for delivery. `new`: the caller must deliver, then {@link markDelivered} or
   * {@link release}. `in-progress`: another copy is being delivered now. `delivered`: a duplicate.
   */
  async claim(messageId: string, rememberUntil: Date): Promise<ClaimResult> {
    const now = this.clock.now();
    const token = randomUUID();
    const at = new Date(now).toISOString();
    const staleBefore = new Date(now - this.claimTimeoutMs).toISOString();
    // The existing row may be taken when it is forgotten, or an in-progress claim whose holder went quiet.
    const takeable = sql`(${seen.rememberUntil} <= ${at}::timestamptz
      or (${seen.state} = 'in-progress' and ${seen.claimedAt} <= ${staleBefore}::timestamptz))`;
    const ifTaken = (taken: SQL, existing: AnyPgColumn): SQL =>
      sql`case when ${takeable} then ${taken} else ${existing} end`;
    const [row] = await this.db
      .insert(seen)
      .values({
        messageId: key(messageId),
        state: 'in-progress',
        claimToken: token,
        claimedAt: new Date(now),
        rememberUntil,
      })
      .onConflictDoUpdate({
        target: seen.messageId,
        set: {
          // One statement decides: a row not takeable is rewritten with its own values, which locks it (so a
          // concurrent claimer waits for our answer) and lets RETURNING report its state.
          state: ifTaken(sql`'in-progress'`, seen.state),
          claimToken: ifTaken(sql`excluded.claim_token`, seen.claimToken),
          claimedAt: ifTaken(sql`excluded.claimed_at`, seen.claimedAt),
          rememberUntil: ifTaken(sql`excluded.remember_until`, seen.rememberUntil),
          deliveredAt: ifTaken(sql`null`, seen.deliveredAt),
        },
      })
      .returning({ state: seen.state, won: sql<boolean>`${seen.claimToken} = ${token}::uuid` });
    if (!row) return 'in-progress'; // not reachable: an upsert always returns its row
    if (row.won) return 'new';
    return row.state;
  }

  /** Records that the application took the message; copies arriving until `rememberUntil` are duplicates. */
  async markDelivered(messageId: string): Promise<void> {
    await this.db
      .update(seen)
      .set({ state: 'delivered', deliveredAt: new Date(this.clock.now()) })
      .where(eq(seen.messageId, key(messageId)));
  }

  /** Gives up a claim after a failed delivery, so the sender's retry is delivered. */
  async release(messageId: string): Promise<void> {
    await this.db.delete(seen).where(and(eq(seen.messageId, key(messageId)), eq(seen.state, 'in-progress')));
  }

  /**
   * Deletes up to `limit` ids past their `rememberUntil` (delivered ones and abandoned claims); returns how many.
   * Bounded so a periodic job never holds long locks; call again while it returns `limit`.
   */
  async prune(limit = 10_000): Promise<number> {
    const expired = this.db
      .select({ id: seen.messageId })
      .from(seen)
      .where(lte(seen.rememberUntil, new Date(this.clock.now())))
      .limit(limit);
    const gone = await this.db
      .delete(seen)
      .where(inArray(seen.messageId, expired))
      .returning({ id: seen.messageId });
    return gone.length;
  }

  /** How many ids are held (expired ones included until pruned). */
  async size(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(seen);
    return row?.n ?? 0;
  }
}

/** MessageIds are UUIDs; suppliers differ in case. */
function key(messageId: string): string {
  return messageId.toUpperCase();
}
