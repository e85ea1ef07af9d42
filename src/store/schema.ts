import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * The database schema: every table of the store, in the one file drizzle-kit reads to generate `migrations/`.
 * Change a table here, then run `npm run db:generate` and commit the new migration beside the change.
 *
 * @example
 * await store.db.select().from(mhsSeenMessageIds).where(eq(mhsSeenMessageIds.state, 'delivered'));
 */
export const mhsSeenMessageIds = pgTable(
  'mhs_seen_message_ids',
  {
    /** The ebXML MessageId, upper-cased (suppliers differ in the case of the same UUID). */
    messageId: text('message_id').primaryKey(),
    /** `in-progress` while one receiver delivers it; `delivered` once the application took it. */
    state: text('state', { enum: ['in-progress', 'delivered'] }).notNull(),
    /** Who holds the current claim: lets one statement say whether this caller took it. */
    claimToken: uuid('claim_token').notNull(),
    claimedAt: timestamp('claimed_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** After this the id is forgotten: a copy is new again and pruning may delete the row. */
    rememberUntil: timestamp('remember_until', { withTimezone: true, mode: 'date' }).notNull(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('mhs_seen_message_ids_remember_until_idx').on(t.rememberUntil),
    check('mhs_seen_message_ids_state_check', sql`${t.state} in ('in-progress', 'delivered')`),
  ],
);
export * from './practice-tables.ts';
export * from './transfer-tables.ts';
