/**
 * Bounds the bytes of messages being built and sent at once, so a process sending many large-message parts
 * together holds a few in memory rather than all of them. Waiters are served in order; one message larger than
 * the whole budget still goes, alone.
 *
 * @example
 * const budget = new SendBudget(64 * 1024 * 1024);
 * const release = await budget.acquire(4_500_000);
 * try { await send(); } finally { release(); }
 */
export class SendBudget {
  readonly limit: number;
  private used = 0;
  private readonly waiting: { bytes: number; granted: (release: () => void) => void }[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes taken now. */
  get inUse(): number {
    return this.used;
  }

  /** Waits until `bytes` fit (or nothing else is in flight); resolves with the function that gives them back. */
  acquire(bytes: number): Promise<() => void> {
    if (this.waiting.length === 0 && this.fits(bytes)) return Promise.resolve(this.take(bytes));
    return new Promise((granted) => this.waiting.push({ bytes, granted }));
  }

  private fits(bytes: number): boolean {
    return this.used === 0 || this.used + bytes <= this.limit;
  }

  private take(bytes: number): () => void {
    this.used += bytes;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used -= bytes;
      while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
        const next = this.waiting.shift()!;
        next.granted(this.take(next.bytes));
      }
    };
  }
}
