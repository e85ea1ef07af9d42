import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

// The practice web app's tables. Only `src/practice/` reads and writes them; the app reaches the transfer
// engine's data only through the engine's commands and queries. Times are the app clock's, never the server's.

const at = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Staff who sign in to the practice app: one practice and one role each. */
export const staffAccounts = pgTable(
  'staff_accounts',
  {
    id: uuid('id').primaryKey(),
    practiceOds: text('practice_ods').notNull(),
    /** Sign-in name for a local account (lower-case, unique); null for a Smartcard-only account. */
    username: text('username'),
    displayName: text('display_name').notNull(),
    role: text('role', {
      enum: ['registration-clerk', 'summariser', 'clinician', 'practice-manager'],
    }).notNull(),
    /** `argon2id$…` (Node's crypto.argon2); null where the account signs in only with a Smartcard. */
    passwordHash: text('password_hash'),
    /** The NHS Care Identity Service (OpenID Connect) subject, where the account signs in with a Smartcard. */
    oidcSubject: text('oidc_subject'),
    createdAt: at('created_at').notNull(),
    disabledAt: at('disabled_at'),
  },
  (t) => [
    uniqueIndex('staff_accounts_username_idx').on(t.username),
    uniqueIndex('staff_accounts_oidc_subject_idx').on(t.oidcSubject),
    check(
      'staff_accounts_role_check',
      sql`${t.role} in ('registration-clerk', 'summariser', 'clinician', 'practice-manager')`,
    ),
  ],
);

/** Signed-in sessions: the cookie holds a random token, the table only its SHA-256. */
export const staffSessions = pgTable(
  'staff_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    accountId: uuid('account_id').notNull(),
    /** The session's CSRF token, echoed in every form it posts. */
    csrfToken: text('csrf_token').notNull(),
    /** How the member signed in: `password` or `oidc`. */
    method: text('method').notNull(),
    createdAt: at('created_at').notNull(),
    lastSeenAt: at('last_seen_at').notNull(),
    /** The absolute end, whatever the activity. */
    expiresAt: at('expires_at').notNull(),
  },
  (t) => [index('staff_sessions_account_idx').on(t.accountId)],
);

/** Failed sign-ins by key (a user name or an address), counted to throttle guessing. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull(),
    at: at('at').notNull(),
  },
  (t) => [index('sign_in_failures_key_idx').on(t.key, t.at)],
);

/** OpenID Connect sign-ins under way: the state, nonce and PKCE verifier between redirect and callback. */
export const oidcSignIns = pgTable('oidc_sign_ins', {
  state: text('state').primaryKey(),
  nonce: text('nonce').notNull(),
  codeVerifier: text('code_verifier').notNull(),
  createdAt: at('created_at').notNull(),
});

/**
 * The audit trail: every record view and every action, append-only (the app has no way to change a row, and a
 * trigger installed at start refuses UPDATE and DELETE).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    practiceOds: text('practice_ods').notNull(),
    at: at('at').notNull(),
    accountId: uuid('account_id'),
    /** Who, as shown when it happened (the account may change later). */
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role'),
    action: text('action').notNull(),
    nhsNumber: text('nhs_number'),
    transferId: uuid('transfer_id'),
    detail: text('detail').notNull(),
  },
  (t) => [
    index('audit_events_practice_idx').on(t.practiceOds, t.id),
    index('audit_events_patient_idx').on(t.practiceOds, t.nhsNumber),
  ],
);

/**
 * Follow-up work on integrated records: degraded entries to recode, keep or remove, and the previous practice's
 * medication to authorise or end. One row per entry; the decision is recorded with who and when.
 */
export const worklistItems = pgTable(
  'worklist_items',
  {
    id: uuid('id').primaryKey(),
    practiceOds: text('practice_ods').notNull(),
    kind: text('kind', { enum: ['degrade', 'medication'] }).notNull(),
    nhsNumber: text('nhs_number').notNull(),
    transferId: uuid('transfer_id').notNull(),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id').notNull(),
    /** What the entry says, for the list (term, original code; drug, dose, type). */
    summary: jsonb('summary').$type<Record<string, string>>().notNull(),
    /** When the record was integrated: the item's age runs from here. */
    createdAt: at('created_at').notNull(),
    decision: text('decision', { enum: ['recode', 'keep', 'remove', 'authorise', 'end'] }),
    decisionDetail: jsonb('decision_detail').$type<Record<string, string>>(),
    decidedBy: uuid('decided_by'),
    decidedByName: text('decided_by_name'),
    decidedAt: at('decided_at'),
  },
  (t) => [
    uniqueIndex('worklist_items_entry_idx').on(t.practiceOds, t.transferId, t.kind, t.resourceId),
    index('worklist_items_open_idx').on(t.practiceOds, t.kind, t.decidedAt),
  ],
);

/** Integrated transfers whose records have been read into the worklists (so each is read once). */
export const worklistSources = pgTable(
  'worklist_sources',
  {
    practiceOds: text('practice_ods').notNull(),
    transferId: uuid('transfer_id').notNull(),
    indexedAt: at('indexed_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.practiceOds, t.transferId] })],
);

/** England and Wales bank holidays, as the working-day clocks count them; practice managers keep it current. */
export const bankHolidays = pgTable('bank_holidays', {
  /** YYYY-MM-DD. */
  date: text('date').primaryKey(),
  name: text('name').notNull(),
  updatedAt: at('updated_at').notNull(),
});
