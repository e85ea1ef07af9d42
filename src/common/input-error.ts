/**
 * Base class for input we refuse to read (malformed XML, broken MIME, a message missing required parts).
 * The CLI turns it into exit code 2; the transfer layer turns it into a GP2GP reason code.
 *
 * @example
 * class MimeError extends InputError {}
 * throw new MimeError('MIME boundary not found');
 */
export class InputError extends Error {
  override readonly name: string = 'InputError';
}
