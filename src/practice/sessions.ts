import { createHash, randomBytes } from 'node:crypto';
import { eq, lt, or } from 'drizzle-orm';
import type { Clock } from '../common/clock.ts';
import { type Database, schema } from '../store/index.ts';
import { accountById, type StaffMember } from './accounts.ts';

const { staffSessions } = schema;

/** How long a session lasts: idle time before it ends, and its absolute limit. */
export interface SessionLimits {
  readonly idleMs: number;
  readonly absoluteMs: number;
}

/** Thirty minutes idle, twelve hours at most (a working day at a practice PC). */
export const DEFAULT_SESSION_LIMITS: SessionLimits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

/** A signed-in member and their session's CSRF token. */
export interface ActiveSession {
  readonly member: StaffMember;
  readonly csrfToken: string;
  readonly method: string;
}

/**
 * Sessions kept in the database: the cookie holds a random 256-bit token; the table keeps its SHA-256, so a
 * copy of the table signs nobody in. Every expiry is on the injected clock.
 *
 * @example
 * const token = await sessions.start(member, 'password');
 * const active = await sessions.resume(token); // undefined once idle or past its limit
 */
export class SessionStore {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly limits: SessionLimits;

  constructor(db: Database, clock: Clock, limits: SessionLimits = DEFAULT_SESSION_LIMITS) {
    this.db = db;
    this.clock = clock;
    this.limits = limits;
  }

  /** Starts a session for a member; returns the token for the cookie. */
  async start(member: StaffMember, method: 'password' | 'oidc'): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date(this.clock.now());
    await this.db.insert(staffSessions).values({
      tokenHash: hashToken(token),
      accountId: member.id,
      csrfToken: randomBytes(32).toString('base64url'),
      method,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.limits.absoluteMs),
    });
    return token;
  }

  /**
   * The session a token names; undefined when unknown, idle too long, past its limit or disabled. `touch`
   * (default true) counts the request as activity: a page refreshing itself in the background does not, so an
   * unattended PC still signs out.
   */
  async resume(token: string, touch = true): Promise<ActiveSession | undefined> {
    const hash = hashToken(token);
    const [row] = await this.db.select().from(staffSessions).where(eq(staffSessions.tokenHash, hash));
    if (!row) return undefined;
    const now = this.clock.now();
    if (now >= row.expiresAt.getTime() || now - row.lastSeenAt.getTime() >= this.limits.idleMs) {
      await this.db.delete(staffSessions).where(eq(staffSessions.tokenHash, hash));
      return undefined;
    }
    const member = await accountById(this.db, row.accountId);
    if (!member) return undefined;
    // One write a minute at most: a busy worklist page polls often.
    if (touch && now - row.lastSeenAt.getTime() > 60_000)
      await this.db
        .update(staffSessions)
        .set({ lastSeenAt: new Date(now) })
        .where(eq(staffSessions.tokenHash, hash));
    return { member, csrfToken: row.csrfToken, method: row.method };
  }

  /** Ends a session (sign-out). */
  async end(token: string): Promise<void> {
    await this.db.delete(staffSessions).where(eq(staffSessions.tokenHash, hashToken(token)));
  }

  /** Deletes sessions that have run out. */
  async prune(): Promise<void> {
    const now = this.clock.now();
    await this.db
      .delete(staffSessions)
      .where(
        or(
          lt(staffSessions.expiresAt, new Date(now)),
          lt(staffSessions.lastSeenAt, new Date(now - this.limits.idleMs)),
        ),
      );
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
