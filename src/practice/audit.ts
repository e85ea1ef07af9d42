import { and, desc, eq, gte, ilike, lt, lte, type SQL, sql } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';
import type { StaffMember } from './accounts.ts';

const { auditEvents } = schema;

/** What the audit trail records. */
export type AuditAction =
  | 'sign-in'
  | 'sign-in-refused'
  | 'sign-out'
  | 'pds-trace'
  | 'register'
  | 'view-record'
  | 'view-document'
  | 'integrate'
  | 'reject'
  | 'degrade-decision'
  | 'medication-decision'
  | 'print-task-done'
  | 'envelope-posted'
  | 'calendar-change'
  | 'audit-search'
  | 'access-refused';

/** One line of the audit trail as stored. */
export type AuditEvent = typeof auditEvents.$inferSelect;

/** An entry to append. */
export interface AuditEntry {
  readonly action: AuditAction;
  readonly detail: string;
  readonly nhsNumber?: string;
  readonly transferId?: string;
}

/**
 * Appends to the practice's audit trail. There is no update or delete here or anywhere in the app, and
 * {@link installAuditGuard} makes the database refuse them too.
 *
 * @example
 * await appendAudit(db, member, new Date(), { action: 'view-record', nhsNumber, transferId, detail: 'record view' })
 */
export async function appendAudit(
  db: Database,
  by: StaffMember | { practiceOds: string; displayName: string },
  at: Date,
  entry: AuditEntry,
): Promise<void> {
  await db.insert(auditEvents).values({
    practiceOds: by.practiceOds,
    at,
    accountId: 'id' in by ? by.id : null,
    actorName: by.displayName,
    actorRole: 'role' in by ? by.role : null,
    action: entry.action,
    nhsNumber: entry.nhsNumber ?? null,
    transferId: entry.transferId ?? null,
    detail: entry.detail,
  });
}

/** What a practice manager searches the trail by (all optional; always one practice). */
export interface AuditFilter {
  readonly practiceOds: string;
  readonly nhsNumber?: string;
  readonly actor?: string;
  readonly action?: string;
  readonly from?: Date;
  readonly to?: Date;
  readonly limit?: number;
  /** Entries older than this id (the next page). */
  readonly before?: number;
}

/** The practice's audit entries matching the filter, newest first. */
export async function searchAudit(db: Database, f: AuditFilter): Promise<AuditEvent[]> {
  const c: SQL[] = [eq(auditEvents.practiceOds, f.practiceOds)];
  if (f.nhsNumber) c.push(eq(auditEvents.nhsNumber, f.nhsNumber));
  if (f.actor) c.push(ilike(auditEvents.actorName, `%${escapeLike(f.actor)}%`));
  if (f.action) c.push(eq(auditEvents.action, f.action));
  if (f.from) c.push(gte(auditEvents.at, f.from));
  if (f.to) c.push(lte(auditEvents.at, f.to));
  if (f.before) c.push(lt(auditEvents.id, f.before));
  return db
    .select()
    .from(auditEvents)
    .where(and(...c))
    .orderBy(desc(auditEvents.id))
    .limit(f.limit ?? 50);
}

/**
 * Makes the database itself refuse to change or delete audit entries (a trigger raising an error), so not even
 * a bug or a hand-written statement in the app can edit the trail. Idempotent; run at start.
 */
export async function installAuditGuard(db: Database): Promise<void> {
  await db.execute(sql`
    create or replace function audit_events_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'the audit trail is append-only: % refused', tg_op;
    end $$`);
  await db.execute(sql`
    create or replace trigger audit_events_append_only
    before update or delete on audit_events
    for each row execute function audit_events_append_only()`);
  await db.execute(sql`
    create or replace trigger audit_events_no_truncate
    before truncate on audit_events
    for each statement execute function audit_events_append_only()`);
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (m) => `\\${m}`);
}
