import { XmlError } from './xml-error.ts';

const DECLARED_ENCODING = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;
/** Bytes of a document's start that decide its encoding (BOM and XML declaration). */
export const ENCODING_HEAD_BYTES = 200;

/** Encodings we accept besides UTF-8 and BOM-marked UTF-16; anything else is refused rather than guessed. */
const OTHER_ENCODINGS: Readonly<Record<string, string>> = {
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
  'windows-1252': 'windows-1252',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
};

/** How a document's bytes become text: the encoding's name and where the text starts (after any BOM). */
export interface XmlEncoding {
  /** A WHATWG encoding label for `TextDecoder`. */
  readonly label: string;
  /** Bytes of byte order mark to skip. */
  readonly start: number;
}

/**
 * Tells a document's encoding from its byte order mark, else its XML declaration, else UTF-8. Declarations
 * are read as ASCII, so a UTF-16 document must carry its BOM (as the XML specification requires).
 *
 * @example
 * xmlEncoding(Buffer.from([0xff, 0xfe, 0x3c, 0x00])) // { label: 'utf-16le', start: 2 }
 */
export function xmlEncoding(bytes: Uint8Array): XmlEncoding {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { label: 'utf-8', start: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', start: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', start: 2 };
  const head = Buffer.from(
    bytes.buffer,
    bytes.byteOffset,
    Math.min(bytes.byteLength, ENCODING_HEAD_BYTES),
  ).toString('latin1');
  const declared = DECLARED_ENCODING.exec(head)?.[1]?.toLowerCase();
  if (declared === undefined || declared === 'utf-8' || declared === 'utf8')
    return { label: 'utf-8', start: 0 };
  const label = OTHER_ENCODINGS[declared];
  if (label === undefined) throw new XmlError('encoding', `unsupported XML encoding "${declared}"`);
  return { label, start: 0 };
}

/**
 * Turns the bytes of an XML document into text, in pieces of about `chunkBytes`, honouring a BOM or the
 * declared encoding and refusing bytes that are not valid in it (a UTF-8 message with a stray Latin-1 byte is
 * corrupt, not "nearly right"). A reader that stops early never decodes, or holds, the rest.
 *
 * @example
 * [...decodeXmlChunks(Buffer.from('<a/>'))] // ['<a/>', '']
 */
export function* decodeXmlChunks(bytes: Uint8Array, chunkBytes = 1 << 20): Generator<string> {
  const encoding = xmlEncoding(bytes);
  const decoder = new XmlTextDecoder(encoding);
  for (let at = encoding.start; at < bytes.byteLength; at += chunkBytes) {
    yield decoder.decode(bytes.subarray(at, Math.min(at + chunkBytes, bytes.byteLength)));
  }
  yield decoder.decode();
}

/**
 * Decodes a document's bytes piece by piece in its encoding (a character split between pieces is kept whole),
 * refusing bytes that are not valid in it with an `XmlError`.
 *
 * @example
 * const d = new XmlTextDecoder({ label: 'utf-8', start: 0 }); d.decode(Buffer.from([0xc3])) + d.decode(Buffer.from([0xa9])) + d.decode() // 'é'
 */
export class XmlTextDecoder {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  private readonly label: string;

  constructor(encoding: XmlEncoding) {
    this.label = encoding.label;
    this.decoder = new TextDecoder(encoding.label, { fatal: true, ignoreBOM: true });
  }

  /** The text of the next piece; without one, whatever the last piece left incomplete (the end). */
  decode(piece?: Uint8Array): string {
    try {
      return piece ? this.decoder.decode(piece, { stream: true }) : this.decoder.decode();
    } catch {
      throw new XmlError('encoding', `document is not valid ${this.label.toUpperCase()}`);
    }
  }
}

/**
 * Turns the bytes of an XML document into one string, as {@link decodeXmlChunks} does.
 *
 * @example
 * decodeXml(Buffer.from('<a/>')) // '<a/>'
 */
export function decodeXml(bytes: Uint8Array): string {
  let text = '';
  for (const piece of decodeXmlChunks(bytes, Math.max(bytes.byteLength, 1))) text += piece;
  return text;
}
