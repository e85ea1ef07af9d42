import { and, eq, inArray } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';
import { hasEnded, type TransferState } from '../transfer/index.ts';

/** Where a watched transfer stood when the wait ended: a state, or `timeout` past its deadline. */
export interface Seen {
  readonly state: TransferState | 'timeout';
  /** When it entered that state (the engine's clock), for a state. */
  readonly at?: Date;
}

interface Waiter {
  readonly deadline: number;
  readonly done: (seen: Seen) => void;
}

const { transfers } = schema;

/**
 * Follows transfers by reading the transfers table, the same whichever process moves them: a requesting
 * transfer until it is ready to integrate (or ended), a sending one until it has ended. It reads every
 * `pollMs`, and at once when {@link nudge}d (an engine in this process announced a transition).
 *
 * @example
 * const watcher = new TransferWatcher(store.db, { sendingOds: 'SIMOLD', pollMs: 100 });
 * const seen = await watcher.untilReady(transferId, Date.now() + 60_000);
 */
export class TransferWatcher {
  private readonly db: Database;
  private readonly sendingOds: string;
  private readonly pollMs: number;
  private readonly requesting = new Map<string, Waiter>();
  private readonly sending = new Map<string, Waiter>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private polling = false;
  private again = false;
  private stopped = false;

  constructor(db: Database, options: { readonly sendingOds: string; readonly pollMs: number }) {
    this.db = db;
    this.sendingOds = options.sendingOds;
    this.pollMs = options.pollMs;
  }

  /** Resolves once the requesting transfer is ready to integrate or has ended, or its deadline has passed. */
  untilReady(transferId: string, deadline: number): Promise<Seen> {
    return this.wait(this.requesting, transferId, deadline);
  }

  /** Resolves once the old practice's side of the conversation has ended, or the deadline has passed. */
  untilSent(conversationId: string, deadline: number): Promise<Seen> {
    return this.wait(this.sending, conversationId.toUpperCase(), deadline);
  }

  /** Reads the table now (or as soon as the read under way is over). */
  nudge(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    void this.poll();
  }

  /** Stops reading; waits still open end as `timeout`. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const waiters of [this.requesting, this.sending]) {
      for (const w of waiters.values()) w.done({ state: 'timeout' });
      waiters.clear();
    }
  }

  private wait(waiters: Map<string, Waiter>, key: string, deadline: number): Promise<Seen> {
    return new Promise<Seen>((done) => {
      if (this.stopped) return done({ state: 'timeout' });
      waiters.set(key, { deadline, done });
      this.nudge();
    });
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      await this.read();
    } catch (e) {
      // A read that failed (a connection dropped) is retried on the next tick; deadlines still bound the wait.
      process.stderr.write(
        `simulate: reading transfers failed: ${e instanceof Error ? e.message : String(e)}\n`,
      );
    } finally {
      this.polling = false;
    }
    if (this.stopped) return;
    if (this.again) {
      this.again = false;
      void this.poll();
      return;
    }
    if (this.requesting.size + this.sending.size > 0)
      this.timer = setTimeout(() => void this.poll(), this.pollMs);
  }

  private async read(): Promise<void> {
    const ready = [...this.requesting.keys()];
    if (ready.length > 0) {
      const rows = await this.db
        .select({ id: transfers.id, state: transfers.state, at: transfers.stateChangedAt })
        .from(transfers)
        .where(inArray(transfers.id, ready));
      for (const row of rows) {
        const state = row.state as TransferState;
        if (state === 'ready-to-integrate' || hasEnded(state))
          settle(this.requesting, row.id, { state, at: row.at });
      }
    }
    const sent = [...this.sending.keys()];
    if (sent.length > 0) {
      const rows = await this.db
        .select({
          conversationId: transfers.conversationId,
          state: transfers.state,
          at: transfers.stateChangedAt,
        })
        .from(transfers)
        .where(
          and(
            eq(transfers.practiceOds, this.sendingOds),
            eq(transfers.role, 'sending'),
            inArray(transfers.conversationId, sent),
          ),
        );
      for (const row of rows) {
        const state = row.state as TransferState;
        if (hasEnded(state)) settle(this.sending, row.conversationId, { state, at: row.at });
      }
    }
    const now = Date.now();
    for (const waiters of [this.requesting, this.sending])
      for (const [key, w] of waiters) if (now > w.deadline) settle(waiters, key, { state: 'timeout' });
  }
}

function settle(waiters: Map<string, Waiter>, key: string, seen: Seen): void {
  const w = waiters.get(key);
  if (!w) return;
  waiters.delete(key);
  w.done(seen);
}
