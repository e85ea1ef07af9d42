/**
 * Time as the code sees it. Every timer in the project (reliable-messaging retries, persist durations, caches,
 * the transfer engine's protocol timers) reads and waits through a `Clock`, so tests drive days of protocol time
 * with a {@link ManualClock} instead of sleeping.
 *
 * @example
 * async function retryLater(clock: Clock) { await clock.sleep(60_000); return clock.now(); }
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Resolves after `ms` of this clock's time; rejects with the signal's reason when aborted first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The machine's wall clock and real timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(abortReason(signal as AbortSignal));
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        Math.max(0, ms),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

interface Sleeper {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

/**
 * A clock that moves only when told: `advance` wakes every sleeper whose time has come, in time order, and lets
 * each one's continuation run before the next wakes. For tests of timers, retries and timeouts.
 *
 * @example
 * const clock = new ManualClock(Date.parse('2026-01-05T09:00:00Z'));
 * const done = clock.sleep(5_000).then(() => 'woke');
 * await clock.advance(5_000); // done resolves
 */
export class ManualClock implements Clock {
  private time: number;
  private seq = 0;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.parse('2026-01-05T09:00:00Z')) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<void>((resolve, reject) => {
      const sleeper: Sleeper = { at: this.time + Math.max(0, ms), seq: this.seq++, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          reject(abortReason(signal));
        },
        { once: true },
      );
    });
  }

  /** How many sleepers are waiting (tests use it to know a retry loop has reached its wait). */
  get pending(): number {
    return this.sleepers.length;
  }

  /** The time the next sleeper wakes, or undefined when none waits. */
  get nextWake(): number | undefined {
    return this.sleepers.reduce<number | undefined>(
      (m, s) => (m === undefined || s.at < m ? s.at : m),
      undefined,
    );
  }

  /** Moves time on by `ms`, waking sleepers in order; each woken continuation runs before the next wakes. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.time + ms);
  }

  /** Moves time on to `target` (never backwards), as {@link advance} does. */
  async advanceTo(target: number): Promise<void> {
    for (;;) {
      const due = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.time = Math.max(this.time, due.at);
      due.resolve();
      await settle();
    }
    this.time = Math.max(this.time, target);
    await settle();
  }

  /** Sets the time directly (never wakes anyone): for starting a scenario at a given moment. */
  set(time: number): void {
    this.time = time;
  }
}

/** Lets pending promise continuations (and one turn of I/O callbacks) run. */
async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}
