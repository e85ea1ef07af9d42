import type { Clock } from '../common/clock.ts';

/** Options for {@link WorkLoop}. */
export interface WorkLoopOptions<T> {
  readonly name: string;
  readonly clock: Clock;
  /** How long to wait for due work when nothing wakes the loop, in the clock's ms. */
  readonly pollIntervalMs: number;
  /** Most items in hand at once. */
  readonly concurrency: number;
  /** Claims up to `limit` due items (leasing them to this process). */
  readonly claim: (limit: number) => Promise<readonly T[]>;
  /** Does one item; a throw is reported to `onError` and the item's lease lets it be retried. */
  readonly run: (item: T) => Promise<void>;
  readonly onError: (error: unknown, item: T | undefined) => void;
  /**
   * Extends the lease on an item still in hand, every `renewEveryMs`, so a long step keeps it while a crashed
   * process's leases run out quickly.
   */
  readonly renew?: (item: T) => Promise<void>;
  readonly renewEveryMs?: number;
  /** Told whenever the loop goes quiet (nothing claimed, nothing in hand) or wakes. */
  readonly onQuietChange?: () => void;
}

/**
 * One of the engine's workers: claims due rows, runs them with bounded concurrency, and waits for the next poll
 * or an explicit wake when there is nothing to do. Timing goes through the injected clock, so a test decides
 * when a poll happens.
 *
 * @example
 * const loop = new WorkLoop({ name: 'outbox', clock, pollIntervalMs: 250, concurrency: 8, claim, run, onError });
 * loop.start(); loop.wake(); await loop.stop();
 */
export class WorkLoop<T> {
  private readonly options: WorkLoopOptions<T>;
  private readonly inHand = new Set<Promise<void>>();
  /** Items this process made itself (already leased to it): run before claiming anything. */
  private offered: T[] = [];
  /** Whether the table may hold due work this loop has not seen: set by a wake or a poll, cleared by an empty claim. */
  private claimWorthy = true;
  private wakeRequested = false;
  private wakeWaiter: (() => void) | undefined;
  private stopping = false;
  private stopController = new AbortController();
  private running: Promise<void> | undefined;
  private quietNow = false;

  constructor(options: WorkLoopOptions<T>) {
    this.options = options;
  }

  /** True while the loop waits with nothing claimed, nothing in hand and no wake pending. */
  get quiet(): boolean {
    return this.quietNow;
  }

  /** Starts the loop (once). */
  start(): void {
    this.running ??= this.loop();
  }

  /** Asks the loop to look for due work in the table now instead of at the next poll. */
  wake(): void {
    this.claimWorthy = true;
    this.nudge();
  }

  /**
   * Hands the loop items this process has just written and leased to itself (a message it queued or received),
   * so they run without a claim query; a crash before they run leaves them to whichever process claims them
   * once their lease has run out.
   */
  offer(items: readonly T[]): void {
    if (items.length === 0) return;
    this.offered.push(...items);
    this.nudge();
  }

  private nudge(): void {
    this.wakeRequested = true;
    this.setQuiet(false);
    this.wakeWaiter?.();
  }

  /** Stops claiming, waits for the items in hand, and ends the loop. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.stopController.abort();
    this.wakeWaiter?.();
    await this.running;
    await Promise.allSettled([...this.inHand]);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      this.wakeRequested = false;
      let room = this.options.concurrency - this.inHand.size;
      for (const item of this.offered.splice(0, Math.max(0, room))) this.begin(item);
      room = this.options.concurrency - this.inHand.size;
      let claimed: readonly T[] = [];
      if (room > 0 && this.claimWorthy) {
        try {
          claimed = await this.options.claim(room);
          // A claim that found less than it had room for has seen all that is due; until a wake or a poll, the
          // table holds nothing new for this loop (what this process makes itself comes by offer).
          if (claimed.length < room) this.claimWorthy = false;
        } catch (e) {
          this.options.onError(e, undefined);
        }
      }
      for (const item of claimed) this.begin(item);
      if (claimed.length > 0 && claimed.length === room) continue; // there may be more due
      if (this.stopping) break;
      if (this.wakeRequested) continue;
      this.setQuiet(this.inHand.size === 0 && this.offered.length === 0 && claimed.length === 0);
      await this.waitForWork();
    }
    this.setQuiet(false);
  }

  private begin(item: T): void {
    const done = new AbortController();
    const p: Promise<void> = this.options
      .run(item)
      .catch((e: unknown) => this.options.onError(e, item))
      .finally(() => {
        done.abort();
        this.inHand.delete(p);
        this.nudge(); // room again: take what is offered (the table is looked at again on a wake or a poll)
      });
    this.inHand.add(p);
    if (this.options.renew && this.options.renewEveryMs) void this.keepLease(item, done.signal);
  }

  /** Renews an item's lease until it is done. */
  private async keepLease(item: T, signal: AbortSignal): Promise<void> {
    const { renew, renewEveryMs } = this.options;
    if (!renew || !renewEveryMs) return;
    for (;;) {
      try {
        await this.options.clock.sleep(renewEveryMs, signal);
      } catch {
        return; // done (or stopping)
      }
      await renew(item).catch((e: unknown) => this.options.onError(e, item));
    }
  }

  /** Waits for a wake, or the poll interval on the clock, whichever comes first. */
  private async waitForWork(): Promise<void> {
    const local = new AbortController();
    const signal = AbortSignal.any([local.signal, this.stopController.signal]);
    const woken = new Promise<void>((resolve) => {
      this.wakeWaiter = resolve;
      if (this.wakeRequested || this.stopping) resolve();
    });
    const polled = this.options.clock.sleep(this.options.pollIntervalMs, signal).then(
      () => {
        this.claimWorthy = true; // time has passed: retries and other processes' work may be due
      },
      () => undefined,
    );
    await Promise.race([woken, polled]);
    this.wakeWaiter = undefined;
    local.abort();
  }

  private setQuiet(quiet: boolean): void {
    if (quiet === this.quietNow) return;
    this.quietNow = quiet;
    this.options.onQuietChange?.();
  }
}
