import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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

/**
 * The Spine simulator's MHS endpoints registered while running (`PUT /_admin/practices/{ods}/endpoint`), so a
 * restarted simulator still routes to practices that registered before it stopped.
 */
export const spineEndpoints = pgTable('spine_endpoints', {
  ods: text('ods').primaryKey(),
  endpoint: text('endpoint').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** A GP registration as the simulator's PDS keeps it (the shape of spine's `GpRegistration`). */
export interface StoredGpRegistration {
  readonly ods: string;
  readonly start: string;
  readonly end?: string;
}

/**
 * The Spine simulator's PDS registration changes (`PATCH …/Patient/{nhs}`): the patient's whole registration
 * history at its latest version, laid over the config's patients on start.
 */
export const spinePdsRegistrations = pgTable('spine_pds_registrations', {
  nhsNumber: text('nhs_number').primaryKey(),
  /** The patient resource's version: a save only replaces an older one. */
  version: integer('version').notNull(),
  registrations: jsonb('registrations').$type<StoredGpRegistration[]>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** MessageIds the Spine simulator has written to its message log, so a resent message is logged once. */
export const spineLoggedMessages = pgTable('spine_logged_messages', {
  /** The ebXML MessageId, upper-cased. */
  messageId: text('message_id').primaryKey(),
  loggedAt: timestamp('logged_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export * from './transfer-tables.ts';
