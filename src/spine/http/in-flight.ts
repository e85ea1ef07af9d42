/**
 * A count of work in flight (requests open, attempts posting, messages held) that says when it changes, so a
 * caller can wait for a state ("nothing in flight", "one message held") instead of waiting a duration: how tests
 * driving a `ManualClock` know the network has gone quiet, and how a shutdown knows it has drained.
 *
 * @example
 * const end = requests.begin();
 * try { await handle(); } finally { end(); }
 * await requests.until((n) => n === 0); // elsewhere: drained
 */
export class InFlight {
  private n = 0;
  private listeners: (() => void)[] = [];

  /** How much is in flight now. */
  get count(): number {
    return this.n;
  }

  /** Counts one piece of work in; the returned function counts it out (calling it again does nothing). */
  begin(): () => void {
    this.n++;
    this.notify();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.n--;
      this.notify();
    };
  }

  /** Resolves at the next change of the count. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  /** Resolves once `test(count)` holds (at once if it already does). */
  async until(test: (count: number) => boolean): Promise<void> {
    while (!test(this.n)) await this.changed();
  }

  private notify(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) l();
  }
}
