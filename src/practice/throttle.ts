import { and, count, eq, gte, inArray, lt } from 'drizzle-orm';
import type { Clock } from '../common/clock.ts';
import { type Database, schema } from '../store/index.ts';

const { signInFailures } = schema;

/** How many failures within how long close sign-in for a key. */
export interface ThrottleLimits {
  /** Failures a user name may have within the window. */
  readonly failures: number;
  /** Failures one address may have within the window (a practice's PCs often share one). */
  readonly addressFailures: number;
  readonly windowMs: number;
}

/** Five failures a user name, twenty an address, in fifteen minutes: then the key waits out the window. */
export const DEFAULT_THROTTLE: ThrottleLimits = { failures: 5, addressFailures: 20, windowMs: 15 * 60_000 };

/**
 * Sign-in throttling by key (the user name and the caller's address are both keys): failures are rows, so
 * every web process sees the same count, and time is the injected clock's.
 *
 * @example
 * if (await throttle.blocked(['user:sam', 'ip:127.0.0.1'])) return tooMany();
 */
export class SignInThrottle {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly limits: ThrottleLimits;

  constructor(db: Database, clock: Clock, limits: ThrottleLimits = DEFAULT_THROTTLE) {
    this.db = db;
    this.clock = clock;
    this.limits = limits;
  }

  /** True when any of the keys has reached its failure limit within the window (`ip:` keys: the address limit). */
  async blocked(keys: readonly string[]): Promise<boolean> {
    const since = new Date(this.clock.now() - this.limits.windowMs);
    const rows = await this.db
      .select({ key: signInFailures.key, n: count() })
      .from(signInFailures)
      .where(and(inArray(signInFailures.key, [...keys]), gte(signInFailures.at, since)))
      .groupBy(signInFailures.key);
    return rows.some(
      (r) => r.n >= (r.key.startsWith('ip:') ? this.limits.addressFailures : this.limits.failures),
    );
  }

  /** Counts a failure against each key. */
  async fail(keys: readonly string[]): Promise<void> {
    const at = new Date(this.clock.now());
    await this.db.insert(signInFailures).values(keys.map((key) => ({ key, at })));
    await this.db
      .delete(signInFailures)
      .where(lt(signInFailures.at, new Date(at.getTime() - this.limits.windowMs)));
  }

  /** Clears a user name's failures after a successful sign-in. */
  async succeed(key: string): Promise<void> {
    await this.db.delete(signInFailures).where(eq(signInFailures.key, key));
  }
}
