import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

// The transfer engine's tables. Only `src/transfer/` reads and writes them; everything above goes through its
// commands and queries. Times are the engine clock's, never the database server's, so tests can drive them.

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The practices an engine hosts, with the switches GP2GP checks (a row per ODS code). */
export const practices = pgTable('practices', {
  ods: text('ods').primaryKey(),
  name: text('name').notNull(),
  asid: text('asid').notNull(),
  partyKey: text('party_key').notNull(),
  supplier: text('supplier').notNull(),
  /** Off: requests are refused with reason 07 and no request is sent. */
  gp2gpEnabled: boolean('gp2gp_enabled').notNull().default(true),
  /** Whether this practice's system sends and receives large messages (reason 14/23 otherwise). */
  largeMessageCompliant: boolean('large_message_compliant').notNull().default(true),
  updatedAt: at('updated_at').notNull(),
});

/**
 * One transfer as one practice sees it: a requesting transfer at the new practice, a sending one at the old.
 * Where one engine hosts both practices, the conversation has two rows, one per role.
 */
export const transfers = pgTable(
  'transfers',
  {
    id: uuid('id').primaryKey(),
    practiceOds: text('practice_ods').notNull(),
    role: text('role', { enum: ['requesting', 'sending'] }).notNull(),
    /** The ebXML ConversationId, upper-cased. */
    conversationId: text('conversation_id').notNull(),
    nhsNumber: text('nhs_number').notNull(),
    peerOds: text('peer_ods').notNull(),
    peerAsid: text('peer_asid'),
    peerPartyKey: text('peer_party_key'),
    state: text('state').notNull(),
    /** False once the transfer has ended (integrated, refused, failed…): guards one open request per patient. */
    open: boolean('open').notNull(),
    /** The GP2GP reason code that ended it, where one did. */
    reasonCode: text('reason_code'),
    reasonText: text('reason_text'),
    /** The EhrRequest act id, which the extract quotes. */
    requestId: text('request_id'),
    requestMessageId: text('request_message_id'),
    /** The extract's (core) message id: ours when sending, the sender's when requesting. */
    extractMessageId: text('extract_message_id'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
    stateChangedAt: at('state_changed_at').notNull(),
    /** Requesting: when the whole record was received (the integration clocks start here). */
    receivedAt: at('received_at'),
    endedAt: at('ended_at'),
    /** Sending: when staff confirmed the Lloyd George envelope went in the post. */
    lloydGeorgePostedAt: at('lloyd_george_posted_at'),
    /** Role-specific facts as JSON (the large-message plan, the fidelity report, settings used). */
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex('transfers_conversation_idx').on(t.practiceOds, t.role, t.conversationId),
    // A registration asks once: a second open request for the same patient at the same practice is refused.
    uniqueIndex('transfers_one_open_request_idx')
      .on(t.practiceOds, t.nhsNumber)
      .where(sql`${t.role} = 'requesting' and ${t.open}`),
    index('transfers_state_idx').on(t.practiceOds, t.role, t.state),
    index('transfers_patient_idx').on(t.nhsNumber),
  ],
);

/** Everything that happened to a transfer, in order: transitions, messages each way, commands, notes. */
export const transferEvents = pgTable(
  'transfer_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    transferId: uuid('transfer_id').notNull(),
    practiceOds: text('practice_ods').notNull(),
    at: at('at').notNull(),
    kind: text('kind', { enum: ['state', 'sent', 'received', 'command', 'note'] }).notNull(),
    fromState: text('from_state'),
    toState: text('to_state'),
    interactionId: text('interaction_id'),
    messageId: text('message_id'),
    reasonCode: text('reason_code'),
    /** Who did it, for commands (a staff member's id); the engine itself otherwise. */
    actor: text('actor'),
    text: text('text').notNull(),
  },
  (t) => [
    index('transfer_events_transfer_idx').on(t.transferId, t.id),
    index('transfer_events_practice_idx').on(t.practiceOds, t.at),
  ],
);

/**
 * Messages to send, written in the same transaction as the transition that causes them. The MessageId is fixed
 * here, so every attempt, before or after a crash, sends the same one.
 */
export const outboundMessages = pgTable(
  'outbound_messages',
  {
    messageId: text('message_id').primaryKey(),
    transferId: uuid('transfer_id'),
    practiceOds: text('practice_ods').notNull(),
    conversationId: text('conversation_id').notNull(),
    interactionId: text('interaction_id').notNull(),
    toPartyKey: text('to_party_key').notNull(),
    /** What the message is for, so its acknowledgement moves the right transfer on. */
    purpose: text('purpose').notNull(),
    /** How to build the ebXML body (plain JSON); the same bytes come out on every attempt. */
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    /** The HL7 payload, where the message carries one built in advance. */
    payload: text('payload'),
    /** `held`: queued but not to be sent yet (large-message parts wait for the requester's Continue). */
    state: text('state', { enum: ['held', 'pending', 'acknowledged', 'rejected', 'expired'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull(),
    retryIntervalMs: integer('retry_interval_ms').notNull(),
    nextAttemptAt: at('next_attempt_at').notNull(),
    /** The persist duration's end: no attempt after it. */
    deadlineAt: at('deadline_at').notNull(),
    leaseUntil: at('lease_until'),
    lastError: text('last_error'),
    createdAt: at('created_at').notNull(),
    finishedAt: at('finished_at'),
  },
  (t) => [
    index('outbound_messages_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index('outbound_messages_transfer_idx').on(t.transferId),
  ],
);

/**
 * Messages received and acknowledged to Spine, waiting to be (or already) applied to their transfer. Keyed by
 * MessageId: a copy is stored once and applied once.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    messageId: text('message_id').primaryKey(),
    practiceOds: text('practice_ods').notNull(),
    conversationId: text('conversation_id').notNull(),
    interactionId: text('interaction_id').notNull(),
    fromPartyKey: text('from_party_key').notNull(),
    receivedAt: at('received_at').notNull(),
    /** The HL7 payload text; null where it is large and kept in the document store instead. */
    payload: text('payload'),
    payloadDocumentId: text('payload_document_id'),
    /** Manifest and attachment parts (stored in the document store) as plain JSON. */
    parts: jsonb('parts').$type<Record<string, unknown>>().notNull(),
    state: text('state', { enum: ['pending', 'applied', 'failed'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: at('next_attempt_at').notNull(),
    leaseUntil: at('lease_until'),
    error: text('error'),
    appliedAt: at('applied_at'),
  },
  (t) => [
    index('inbound_messages_due_idx').on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index('inbound_messages_conversation_idx').on(t.conversationId),
  ],
);

/**
 * Protocol timers and deferred steps of a transfer: one row per (transfer, kind), fired by whichever engine
 * process finds it due. Rows, not `setTimeout`s, so a restart loses none.
 */
export const transferTimers = pgTable(
  'transfer_timers',
  {
    transferId: uuid('transfer_id').notNull(),
    kind: text('kind').notNull(),
    practiceOds: text('practice_ods').notNull(),
    dueAt: at('due_at').notNull(),
    leaseUntil: at('lease_until'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [primaryKey({ columns: [t.transferId, t.kind] }), index('transfer_timers_due_idx').on(t.dueAt)],
);

/** The documents of a transfer: assembled on arrival (requesting) or attached (sending). */
export const transferDocuments = pgTable(
  'transfer_documents',
  {
    transferId: uuid('transfer_id').notNull(),
    /** The HL7 ExternalDocument id, or the file name where none is known. */
    reference: text('reference').notNull(),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    /** SHA-256 id in the document store; null where the document could not be had. */
    documentId: text('document_id'),
    bytes: bigint('bytes', { mode: 'number' }),
    /** Why there is no document (sent as, or received as, an AbsentAttachment placeholder). */
    absentReason: text('absent_reason'),
  },
  (t) => [primaryKey({ columns: [t.transferId, t.reference] })],
);

/** What the sending practice must print before posting the Lloyd George envelope, after a failed transfer. */
export const printTasks = pgTable(
  'print_tasks',
  {
    id: uuid('id').primaryKey(),
    transferId: uuid('transfer_id').notNull(),
    practiceOds: text('practice_ods').notNull(),
    kind: text('kind', { enum: ['whole-record', 'attachments'] }).notNull(),
    /** The attachments to print, for kind `attachments`. */
    attachments: jsonb('attachments').$type<string[]>().notNull(),
    reason: text('reason').notNull(),
    createdAt: at('created_at').notNull(),
    doneAt: at('done_at'),
  },
  (t) => [index('print_tasks_practice_idx').on(t.practiceOds, t.doneAt)],
);

/**
 * The practice's own record store: the records it holds, as GP Connect structured Bundles kept in the document
 * store. What a sending practice sends from, and where an integrated record lands.
 */
export const patientRecords = pgTable(
  'patient_records',
  {
    practiceOds: text('practice_ods').notNull(),
    nhsNumber: text('nhs_number').notNull(),
    /** `registered` here now; `left` once the record has been sent on (kept for A-B-A returns). */
    status: text('status', { enum: ['registered', 'left'] }).notNull(),
    /** The Bundle JSON's id in the document store. */
    bundleDocumentId: text('bundle_document_id').notNull(),
    /** The transfer that brought it, where one did. */
    sourceTransferId: uuid('source_transfer_id'),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.practiceOds, t.nhsNumber] })],
);
