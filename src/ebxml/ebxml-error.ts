import { InputError } from '../common/input-error.ts';

/**
 * A transport message we cannot read: broken MIME, a missing SOAP header, an absent payload.
 *
 * @example
 * throw new EbxmlError('MIME message is truncated: closing boundary not found');
 */
export class EbxmlError extends InputError {
  override readonly name: string = 'EbxmlError';
}
