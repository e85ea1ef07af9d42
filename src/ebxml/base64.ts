/** Base64 text that is not base64: a character outside the alphabet, misplaced padding, or a cut-off end. */
export class Base64Error extends Error {
  override readonly name = 'Base64Error';
}

const SPACE = /[\t\n\v\f\r ]+/g;
const NOT_BASE64 = /[^A-Za-z0-9+/=]/;
/** Text decoded per push: a string this long is cheap, and far below V8's longest string. */
const PIECE_BYTES = 1 << 20;

/**
 * Decodes base64 text that arrives in pieces (MIME line breaks and other whitespace ignored), keeping at most
 * three characters between pieces. Stricter than `Buffer.from(text, 'base64')`, which silently drops whatever
 * follows a padded group and ignores stray characters: here base64 joined from separately padded pieces is
 * decoded whole, and anything else that is not base64 is refused.
 *
 * @example
 * const d = new Base64Decoder();
 * Buffer.concat([d.push(Buffer.from('QU')), d.push(Buffer.from('JD\r\nRA==')), d.end()]).toString() // 'ABCD'
 */
export class Base64Decoder {
  /** Characters of an incomplete four-character group. */
  private carry = '';

  /** Decodes every complete group in `chunk` (with what was carried), keeping the incomplete tail. */
  push(chunk: Uint8Array): Buffer {
    const out: Buffer[] = [];
    for (let at = 0; at < chunk.byteLength; at += PIECE_BYTES) {
      const piece = Buffer.from(
        chunk.buffer,
        chunk.byteOffset + at,
        Math.min(PIECE_BYTES, chunk.byteLength - at),
      );
      out.push(this.decodeText(this.carry + piece.toString('latin1').replace(SPACE, '')));
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** Decodes what is left: two or three characters without padding are accepted, as most decoders do. */
  end(): Buffer {
    const rest = this.carry;
    this.carry = '';
    if (rest.length === 1) throw new Base64Error('base64 text ends in the middle of a character group');
    return Buffer.from(rest, 'base64');
  }

  private decodeText(text: string): Buffer {
    if (NOT_BASE64.test(text)) throw new Base64Error('text is not base64');
    const out: Buffer[] = [];
    let from = 0;
    // A padded group ends one run of base64; another may follow it (pieces encoded separately, then joined).
    for (let pad = text.indexOf('=', from); pad !== -1; pad = text.indexOf('=', from)) {
      const groupStart = pad - ((pad - from) % 4);
      const inGroup = pad - groupStart;
      if (inGroup < 2) throw new Base64Error('misplaced base64 padding');
      if (groupStart + 4 > text.length) break; // the rest of the padded group is still to come
      if (inGroup === 2 && text[groupStart + 3] !== '=') throw new Base64Error('misplaced base64 padding');
      out.push(Buffer.from(text.slice(from, groupStart + 4), 'base64'));
      from = groupStart + 4;
    }
    const end = from + Math.floor((text.length - from) / 4) * 4;
    out.push(Buffer.from(text.slice(from, end), 'base64'));
    this.carry = text.slice(end);
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }
}

/**
 * Decodes a whole base64 text held in memory, as {@link Base64Decoder} does, without ever making one string of
 * it.
 *
 * @example
 * decodeBase64(Buffer.from('QUJD')).toString() // 'ABC'
 */
export function decodeBase64(text: Uint8Array): Buffer {
  const decoder = new Base64Decoder();
  const out = Buffer.allocUnsafe(Math.ceil(text.byteLength / 4) * 3);
  let length = 0;
  const append = (piece: Buffer): void => {
    out.set(piece, length);
    length += piece.length;
  };
  for (let at = 0; at < text.byteLength; at += PIECE_BYTES)
    append(decoder.push(text.subarray(at, at + PIECE_BYTES)));
  append(decoder.end());
  return out.subarray(0, length);
}
