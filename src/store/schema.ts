import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

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
 * PostgreSQL `bytea`. The document store moves chunk bytes as base64 text (`decode`/`encode` in SQL), which is
 * the same on both drivers and fast on PGlite, whose own bytea conversion goes byte by byte in JavaScript.
 */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * One write of a document's bytes: the owner of its chunks. In progress until a `documents` row names it
 * (published); an unpublished upload untouched for a while was abandoned by a writer that died, and pruning
 * deletes it with its chunks.
 */
export const documentUploads = pgTable(
  'document_uploads',
  {
    id: uuid('id').primaryKey(),
    /** Set on every chunk written and on publishing (server time, which every instance shares). */
    touchedAt: timestamp('touched_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('document_uploads_touched_at_idx').on(t.touchedAt)],
);

/** A document's bytes in fixed-size pieces: chunk `seq` holds bytes from `seq × chunk_bytes` on. */
export const documentChunks = pgTable(
  'document_chunks',
  {
    uploadId: uuid('upload_id')
      .notNull()
      .references(() => documentUploads.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [
    primaryKey({ name: 'document_chunks_pkey', columns: [t.uploadId, t.seq] }),
    check('document_chunks_seq_check', sql`${t.seq} >= 0`),
  ],
);

/** The documents readers can see: each names the upload whose chunks hold its bytes. */
export const documents = pgTable(
  'documents',
  {
    /** The SHA-256 of the bytes, lower-case hex. */
    id: text('id').primaryKey(),
    uploadId: uuid('upload_id')
      .notNull()
      .unique('documents_upload_id_key')
      .references(() => documentUploads.id),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    /** The chunk size it was written with (a later change of the setting leaves it readable). */
    chunkBytes: integer('chunk_bytes').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    check('documents_id_check', sql`${t.id} ~ '^[0-9a-f]{64}$'`),
    check('documents_bytes_check', sql`${t.bytes} >= 0`),
    check('documents_chunk_bytes_check', sql`${t.chunkBytes} > 0`),
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

export * from './practice-tables.ts';
export * from './transfer-tables.ts';
