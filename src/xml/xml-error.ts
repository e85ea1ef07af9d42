import { InputError } from '../common/input-error.ts';

/** Why a document was refused: broken syntax, forbidden constructs (DTDs, entities) or a size/shape limit. */
export type XmlErrorKind = 'malformed' | 'forbidden' | 'limit' | 'encoding';

/**
 * A document we will not read. Callers map it to a GP2GP reason code (18 for a request, 21 for an extract).
 *
 * @example
 * try { parseXml('<a>') } catch (e) { if (e instanceof XmlError) console.log(e.kind) } // 'malformed'
 */
export class XmlError extends InputError {
  override readonly name = 'XmlError';
  readonly kind: XmlErrorKind;

  constructor(kind: XmlErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}
