import { XmlError } from './xml-error.ts';

const DECLARED_ENCODING = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

/** Encodings we accept besides UTF-8; anything else is refused rather than guessed. */
const OTHER_ENCODINGS: Readonly<Record<string, string>> = {
  'iso-8859-1': 'latin1',
  latin1: 'latin1',
  'windows-1252': 'windows-1252',
  'us-ascii': 'utf-8',
  ascii: 'utf-8',
};

/**
 * Turns the bytes of an XML document into text, honouring a BOM or the declared encoding, and refusing
 * bytes that are not valid in it (a UTF-8 message with a stray Latin-1 byte is corrupt, not "nearly right").
 *
 * @example
 * decodeXml(Buffer.from('<a/>')) // '<a/>'
 */
export function decodeXml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return strictUtf8(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
  const declared = DECLARED_ENCODING.exec(head)?.[1]?.toLowerCase();
  if (declared === undefined || declared === 'utf-8' || declared === 'utf8') return strictUtf8(bytes);
  const label = OTHER_ENCODINGS[declared];
  if (label === undefined) throw new XmlError('encoding', `unsupported XML encoding "${declared}"`);
  return label === 'utf-8' ? strictUtf8(bytes) : new TextDecoder(label).decode(bytes);
}

function strictUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new XmlError('encoding', 'document is not valid UTF-8');
  }
}
