import { type Clock, systemClock } from '../../common/clock.ts';
import type { ClaimResult, SeenMessageIds } from '../../common/seen-message-ids.ts';

/** Options for {@link InMemorySeenMessageIds}. */
export interface InMemorySeenOptions {
  /** A claim older than this is treated as abandoned (its holder crashed), in milliseconds; default 30 s. */
  readonly claimTimeoutMs?: number;
  /** Most ids remembered; the oldest go first past this bound (default 1,000,000). */
  readonly maxEntries?: number;
  /** Time for claim timeouts and `rememberUntil` (default the system clock). */
  readonly clock?: Clock;
}

interface Entry {
  state: 'in-progress' | 'delivered';
  claimedAt: number;
  until: number;
}

/** {@link SeenMessageIds} in a Map: for tests, the simulator and a single adaptor process. */
export class InMemorySeenMessageIds implements SeenMessageIds {
  private readonly entries = new Map<string, Entry>();
  private readonly claimTimeoutMs: number;
  private readonly maxEntries: number;
  private readonly clock: Clock;

  constructor(options: InMemorySeenOptions = {}) {
    // A claim is held only while a message is stored (seconds); a crashed holder's must free up well within the
    // sender's retries, or every retry is answered "being delivered by another instance" until they run out.
    this.claimTimeoutMs = options.claimTimeoutMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 1_000_000;
    this.clock = options.clock ?? systemClock;
  }

  async claim(messageId: string, rememberUntil: Date): Promise<ClaimResult> {
    const now = this.clock.now();
    const key = messageId.toUpperCase(); // MessageIds are UUIDs; suppliers differ in case
    const e = this.entries.get(key);
    if (e && e.until > now) {
      if (e.state === 'delivered') return 'delivered';
      if (now - e.claimedAt < this.claimTimeoutMs) return 'in-progress';
    }
    this.entries.delete(key); // re-inserting keeps Map order = age order, for eviction
    this.entries.set(key, { state: 'in-progress', claimedAt: now, until: rememberUntil.getTime() });
    this.evict(now);
    return 'new';
  }

  async markDelivered(messageId: string): Promise<void> {
    const e = this.entries.get(messageId.toUpperCase());
    if (e) e.state = 'delivered';
  }

  async release(messageId: string): Promise<void> {
    const key = messageId.toUpperCase();
    if (this.entries.get(key)?.state === 'in-progress') this.entries.delete(key);
  }

  /** How many ids are held. */
  get size(): number {
    return this.entries.size;
  }

  /** Drops expired ids from the oldest end, and the oldest ids past the bound; bounded work per call. */
  private evict(now: number): void {
    let budget = 64;
    for (const [key, e] of this.entries) {
      if (budget-- <= 0) break;
      if (e.until <= now || this.entries.size > this.maxEntries) this.entries.delete(key);
      else break;
    }
  }
}
