import type { ByteRange } from './document-store.ts';

/** Largest document a store accepts unless told otherwise: the largest whole records seen are ~930 MB. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024 * 1024;

const DOCUMENT_ID = /^[0-9a-f]{64}$/;

/**
 * Whether `id` can name a document: the SHA-256 of its bytes in lower-case hex. Checked before any path or query
 * is built from it.
 *
 * @example
 * isDocumentId('../../etc/passwd'); // false
 */
export function isDocumentId(id: string): boolean {
  return DOCUMENT_ID.test(id);
}

/**
 * Whether `range` (both ends inclusive) lies inside a document of `bytes` bytes.
 *
 * @example
 * isRangeWithin({ start: 6, end: 10 }, 11); // true
 */
export function isRangeWithin(range: ByteRange, bytes: number): boolean {
  const { start, end } = range;
  return (
    Number.isSafeInteger(start) && Number.isSafeInteger(end) && start >= 0 && end >= start && end < bytes
  );
}

/**
 * The writes a store has in flight, so `close()` can wait for them and refuse new ones.
 *
 * @example
 * const writes = new WritesInFlight();
 * const put = writes.run(() => write(source));
 * await writes.close(); // after `put` settles
 */
export class WritesInFlight {
  private readonly writing = new Set<Promise<unknown>>();
  private closed = false;

  /** Starts `write` and tracks it until it settles; rejects without starting once closed. */
  run<T>(write: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('document store is closed'));
    const started = write();
    this.writing.add(started);
    const forget = (): void => void this.writing.delete(started);
    started.then(forget, forget);
    return started;
  }

  /** Refuses new writes, then waits for those in flight (their outcomes are their callers'). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.writing]);
  }
}
