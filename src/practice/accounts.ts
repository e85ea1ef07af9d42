import { and, eq, isNull } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';
import { hashPassword } from './passwords.ts';
import type { Role } from './roles.ts';

const { staffAccounts } = schema;

/** A member of staff as the app knows them. */
export interface StaffMember {
  readonly id: string;
  readonly practiceOds: string;
  readonly username: string | null;
  readonly displayName: string;
  readonly role: Role;
}

/** An account to create: a local password, a Smartcard (OpenID Connect) subject, or both. */
export interface NewAccount {
  readonly practiceOds: string;
  readonly displayName: string;
  readonly role: Role;
  readonly username?: string;
  readonly password?: string;
  readonly oidcSubject?: string;
}

/** Why an account could not be created. */
export type CreateAccountOutcome =
  | { readonly kind: 'created'; readonly member: StaffMember }
  | { readonly kind: 'refused'; readonly message: string };

/**
 * Creates a staff account; a user name or Smartcard subject already in use is refused.
 *
 * @example
 * await createAccount(db, { practiceOds: 'A12345', displayName: 'Sam Clerk', role: 'registration-clerk', username: 'sam', password: '…' }, new Date())
 */
export async function createAccount(db: Database, a: NewAccount, now: Date): Promise<CreateAccountOutcome> {
  const username = a.username?.trim().toLowerCase();
  if (!username && !a.oidcSubject)
    return { kind: 'refused', message: 'a user name or a Smartcard subject is needed' };
  if (username && !a.password) return { kind: 'refused', message: 'a local account needs a password' };
  if (a.password !== undefined && a.password.length < 12)
    return { kind: 'refused', message: 'a password must be at least 12 characters' };
  const row = {
    id: crypto.randomUUID(),
    practiceOds: a.practiceOds,
    username: username ?? null,
    displayName: a.displayName,
    role: a.role,
    passwordHash: a.password ? await hashPassword(a.password) : null,
    oidcSubject: a.oidcSubject ?? null,
    createdAt: now,
  };
  const [inserted] = await db.insert(staffAccounts).values(row).onConflictDoNothing().returning();
  if (!inserted) return { kind: 'refused', message: 'that user name or Smartcard is already in use' };
  return { kind: 'created', member: member(inserted) };
}

/** An enabled account by user name, with its password hash. */
export async function accountByUsername(
  db: Database,
  username: string,
): Promise<{ member: StaffMember; passwordHash: string | null } | undefined> {
  const [row] = await db
    .select()
    .from(staffAccounts)
    .where(and(eq(staffAccounts.username, username.trim().toLowerCase()), isNull(staffAccounts.disabledAt)));
  return row ? { member: member(row), passwordHash: row.passwordHash } : undefined;
}

/** An enabled account by its Smartcard (OpenID Connect) subject. */
export async function accountBySubject(db: Database, subject: string): Promise<StaffMember | undefined> {
  const [row] = await db
    .select()
    .from(staffAccounts)
    .where(and(eq(staffAccounts.oidcSubject, subject), isNull(staffAccounts.disabledAt)));
  return row ? member(row) : undefined;
}

/** An enabled account by id. */
export async function accountById(db: Database, id: string): Promise<StaffMember | undefined> {
  const [row] = await db
    .select()
    .from(staffAccounts)
    .where(and(eq(staffAccounts.id, id), isNull(staffAccounts.disabledAt)));
  return row ? member(row) : undefined;
}

function member(row: typeof staffAccounts.$inferSelect): StaffMember {
  return {
    id: row.id,
    practiceOds: row.practiceOds,
    username: row.username,
    displayName: row.displayName,
    role: row.role,
  };
}
