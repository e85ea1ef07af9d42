import { createCipheriv, createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { SeededRandom } from './random.ts';

/**
 * The bytes of a synthetic document, made on the fly from a key and never held whole: the magic and framing
 * its content type has (a PDF header and `%%EOF`, TIFF and JPEG markers, an RTF group), around a body of
 * pseudo-random bytes (an AES-256-CTR keystream: as incompressible as real scans, and made at several GB/s)
 * or, for text types, seeded prose. The same key always gives the same bytes.
 */

/** The content types synthetic documents come in. */
export type SyntheticContentType =
  | 'application/pdf'
  | 'image/tiff'
  | 'image/jpeg'
  | 'application/msword'
  | 'text/rtf'
  | 'text/plain';

/** How a content type is framed: its leading and trailing bytes, and whether its body is text. */
interface Framing {
  readonly head: Buffer;
  readonly tail: Buffer;
  readonly text: boolean;
}

const FRAMING: Readonly<Record<SyntheticContentType, Framing>> = {
  'application/pdf': {
    head: Buffer.from(
      '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /XObject /Subtype /Image /Filter /DCTDecode >>\nstream\n',
      'latin1',
    ),
    tail: Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'),
    text: false,
  },
  // Little-endian TIFF, first image directory at offset 8.
  'image/tiff': {
    head: Buffer.from([0x49, 0x49, 0x2a, 0x00, 0x08, 0, 0, 0]),
    tail: Buffer.alloc(0),
    text: false,
  },
  // Start of image and a JFIF APP0 segment; end of image.
  'image/jpeg': {
    head: Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
    tail: Buffer.from('ffd9', 'hex'),
    text: false,
  },
  // The OLE compound file signature of a Word 97–2003 document.
  'application/msword': { head: Buffer.from('d0cf11e0a1b11ae1', 'hex'), tail: Buffer.alloc(0), text: false },
  'text/rtf': { head: Buffer.from('{\\rtf1\\ansi\\deff0 '), tail: Buffer.from('}\n'), text: true },
  'text/plain': { head: Buffer.alloc(0), tail: Buffer.alloc(0), text: true },
};

/** How much is made at a time. */
export const CHUNK_BYTES = 64 * 1024;

const ZEROS = Buffer.alloc(CHUNK_BYTES);

/** What a document's bytes are made from. */
export interface DocumentBytesSpec {
  readonly contentType: SyntheticContentType;
  readonly bytes: number;
  /** Any text: documents with the same key and content type have the same bytes. */
  readonly key: string;
}

/**
 * The document's bytes in chunks of at most {@link CHUNK_BYTES}, exactly `bytes` of them in all.
 *
 * @example
 * let n = 0; for (const chunk of documentChunks({ contentType: 'application/pdf', bytes: 1e6, key: 'a' })) n += chunk.length;
 * // n === 1e6, and the first bytes are '%PDF-1.4'
 */
export function* documentChunks(spec: DocumentBytesSpec): Generator<Uint8Array> {
  const framing = FRAMING[spec.contentType];
  if (!framing) throw new RangeError(`no synthetic content for ${spec.contentType}`);
  const { head, tail } = framing;
  if (spec.bytes <= head.length + tail.length) {
    // Too small for its framing: as much of the framing as fits.
    if (spec.bytes > 0) yield Buffer.concat([head, tail]).subarray(0, spec.bytes);
    return;
  }
  if (head.length > 0) yield head;
  const body = spec.bytes - head.length - tail.length;
  yield* framing.text ? proseBody(spec.key, body) : randomBody(spec.key, body);
  if (tail.length > 0) yield tail;
}

function* randomBody(key: string, bytes: number): Generator<Uint8Array> {
  const aesKey = createHash('sha256').update(`gp2gp synthetic document\n${key}`).digest();
  const keystream = createCipheriv('aes-256-ctr', aesKey, Buffer.alloc(16));
  for (let left = bytes; left > 0; left -= CHUNK_BYTES)
    yield keystream.update(left >= CHUNK_BYTES ? ZEROS : ZEROS.subarray(0, left));
}

function* proseBody(key: string, bytes: number): Generator<Uint8Array> {
  const block = proseBlock(key);
  for (let left = bytes; left > 0; left -= block.length)
    yield left >= block.length ? block : block.subarray(0, left);
}

const WORDS = (
  'thank you for referring this patient who was seen in clinic today with a history of ' +
  'intermittent symptoms over several months examination was unremarkable and observations were ' +
  'within normal limits we have arranged blood tests and will review with the results I have ' +
  'advised the patient to continue current medication and to return if symptoms worsen ' +
  'plan follow up in three months discharged to the care of the general practitioner'
).split(' ');

/** A chunk of seeded prose (ASCII) that a text document's body repeats. */
function proseBlock(key: string): Buffer {
  let seed = 0;
  for (let i = 0; i < key.length; i++) seed = (Math.imul(seed, 31) + key.charCodeAt(i)) >>> 0;
  const random = new SeededRandom(seed);
  const parts: string[] = [];
  let length = 0;
  while (length < CHUNK_BYTES) {
    const words = Array.from({ length: random.int(6, 18) }, () => random.pick(WORDS));
    const sentence = `${words.join(' ')}. `;
    const text = sentence.charAt(0).toUpperCase() + sentence.slice(1);
    parts.push(text);
    length += text.length;
  }
  return Buffer.from(parts.join(''), 'ascii').subarray(0, CHUNK_BYTES);
}

/** The document's bytes as a stream, for HTTP responses and the document store. */
export function openDocument(spec: DocumentBytesSpec): Readable {
  return Readable.from(documentChunks(spec), { objectMode: false });
}
