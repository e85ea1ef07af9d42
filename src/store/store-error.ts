/** Why a store could not open: the embedded folder is held, PostgreSQL did not answer, a migration failed. */
export type StoreErrorCode = 'locked' | 'unreachable' | 'migration-failed';

/**
 * A store that cannot open. Startup code reports `code` and the message and stops; nothing else throws it.
 *
 * @example
 * try { await openStore({}); } catch (e) { if (e instanceof StoreError && e.code === 'locked') console.error(e.message); }
 */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}
