/**
 * What a receiver knows about a MessageId when a copy arrives: `new` (the caller must deliver it), `in-progress`
 * (another copy is being delivered right now) or `delivered` (a duplicate).
 */
export type ClaimResult = 'new' | 'in-progress' | 'delivered';

/**
 * The receiver's memory of MessageIds, for ebXML duplicate elimination (`docs/protocol.md#transport`). A copy
 * is claimed before delivery, marked delivered after the application took it, and released if delivery failed
 * (so a retry can try again). Claiming is one atomic step, so concurrent copies, even on two adaptor instances
 * sharing a database, have exactly one winner. Implementations: spine's `InMemorySeenMessageIds` (one process)
 * and store's `DatabaseSeenMessageIds` (a table every instance shares).
 *
 * @example
 * if ((await seen.claim(messageId, rememberUntil)) === 'new') {
 *   try { await deliver(); await seen.markDelivered(messageId); } catch { await seen.release(messageId); }
 * }
 */
export interface SeenMessageIds {
  /**
   * Claims `messageId` for delivery. `new`: the caller must deliver, then {@link markDelivered} or
   * {@link release}. `in-progress`: another copy is being delivered right now. `delivered`: a duplicate.
   */
  claim(messageId: string, rememberUntil: Date): Promise<ClaimResult>;
  /** Records that the application took the message; copies arriving until `rememberUntil` are duplicates. */
  markDelivered(messageId: string): Promise<void>;
  /** Gives up a claim after a failed delivery, so the sender's retry is delivered. */
  release(messageId: string): Promise<void>;
}
