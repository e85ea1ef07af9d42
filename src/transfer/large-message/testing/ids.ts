/**
 * Message ids in sequence (`…-000000000001`, `…-000000000002`, …), so a test can say which id is which.
 *
 * @example
 * const newId = sequentialIds(); newId() // '0A000000-0000-4000-8000-000000000001'
 */
export function sequentialIds(first = 1): () => string {
  let n = first;
  return () => `0A000000-0000-4000-8000-${(n++).toString().padStart(12, '0')}`;
}
