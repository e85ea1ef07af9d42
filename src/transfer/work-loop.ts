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

  /** Asks the loop to look for work now instead of at the next poll. */
  wake(): void {
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
      const room = this.options.concurrency - this.inHand.size;
      let claimed: readonly T[] = [];
      if (room > 0) {
        try {
          claimed = await this.options.claim(room);
        } catch (e) {
          this.options.onError(e, undefined);
        }
      }
      for (const item of claimed) this.begin(item);
      if (claimed.length > 0 && claimed.length === room) continue; // there may be more due
      if (this.stopping) break;
      if (this.wakeRequested) continue;
      this.setQuiet(this.inHand.size === 0 && claimed.length === 0);
      await this.waitForWork();
    }
    this.setQuiet(false);
  }

  private begin(item: T): void {
    const p: Promise<void> = this.options
      .run(item)
      .catch((e: unknown) => this.options.onError(e, item))
      .finally(() => {
        this.inHand.delete(p);
        this.wake(); // room again: look for more
      });
    this.inHand.add(p);
  }

  /** Waits for a wake, or the poll interval on the clock, whichever comes first. */
  private async waitForWork(): Promise<void> {
    const local = new AbortController();
    const signal = AbortSignal.any([local.signal, this.stopController.signal]);
    const woken = new Promise<void>((resolve) => {
      this.wakeWaiter = resolve;
      if (this.wakeRequested || this.stopping) resolve();
    });
    const polled = this.options.clock.sleep(this.options.pollIntervalMs, signal).catch(() => undefined);
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
