import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gunzipSync } from 'node:zlib';
import { DEFAULT_XML_LIMITS } from '../xml/index.ts';
import type { AttachmentDescription } from './attachment-description.ts';
import { Base64Decoder, Base64Error, decodeBase64 } from './base64.ts';
import { EbxmlError } from './ebxml-error.ts';
import type { EbxmlAttachment, EbxmlMessage } from './ebxml-message.ts';

/**
 * Largest document decoded in memory from one attachment by default: the XML reader's own limit, so a gzip
 * bomb is refused before it costs more than a document we would read anyway.
 */
export const MAX_ATTACHMENT_BYTES = DEFAULT_XML_LIMITS.maxBytes;

/** What was wrong with an attachment's content: not base64, not gzip, or larger than allowed once decoded. */
export type AttachmentProblem = 'base64' | 'gzip' | 'size';

/**
 * An attachment whose content cannot be decoded. The transfer engine branches on `problem` (a document over the
 * size limit is not the same failure as a corrupt one).
 *
 * @example
 * try { decodeAttachment(part) } catch (e) { if (e instanceof AttachmentError && e.problem === 'size') … }
 */
export class AttachmentError extends EbxmlError {
  override readonly name = 'AttachmentError';
  readonly problem: AttachmentProblem;

  constructor(problem: AttachmentProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** Size limit for decoding one attachment. */
export interface AttachmentDecodeOptions {
  /** Most bytes the decoded document may have; decoding stops with an `AttachmentError` past it. */
  readonly maxBytes: number;
}

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;
/** Bytes looked at to tell base64 text from a binary document. */
const DETECT_BYTES = 4096;

/**
 * The original document an attachment carries: transfer encoding is already undone by the MIME reader; this
 * undoes what GP2GP adds on top, base64 text (OriginalBase64) and gzip (Compressed), both detected from the
 * content too, since suppliers do not always describe it truthfully. Held in memory: for inline parts; a large
 * document goes through {@link decodeAttachmentStream}.
 *
 * @example
 * decodeAttachment(message.attachments[0]) // the PDF, XML or image bytes
 */
export function decodeAttachment(
  attachment: Pick<EbxmlAttachment, 'body' | 'description'>,
  options: AttachmentDecodeOptions = { maxBytes: MAX_ATTACHMENT_BYTES },
): Buffer {
  const d = attachment.description;
  let bytes = attachment.body;
  if (!isGzip(bytes) && looksLikeBase64(bytes, d)) {
    try {
      bytes = decodeBase64(bytes);
    } catch (e) {
      throw asAttachmentError(e, d);
    }
  }
  // A document that is itself a .gz file is sent with Compressed=No: only what the sender compressed is inflated.
  if (d?.compressed !== false && isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: options.maxBytes });
    } catch (e) {
      const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw tooBig ? tooLarge(d, options.maxBytes) : notGzip(d);
    }
  }
  if (bytes.length > options.maxBytes) throw tooLarge(d, options.maxBytes);
  return bytes;
}

/**
 * Decodes an attachment as it arrives (base64 text → bytes → inflated document), by the same rules as
 * {@link decodeAttachment}, holding only a few pieces at a time: for documents streamed into the document store.
 * Stops with an {@link AttachmentError} (an `EbxmlError`) on bad base64 or gzip, or once the document passes
 * `maxBytes`, and closes the source.
 *
 * @example
 * await pipeline(decodeAttachmentStream(fragments, description, { maxBytes: 1 << 30 }), createWriteStream(path));
 */
export function decodeAttachmentStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Readable,
  description: AttachmentDescription | undefined,
  options: AttachmentDecodeOptions,
): Readable {
  return Readable.from(decodedPieces(source, description, options.maxBytes), { objectMode: false });
}

async function* decodedPieces(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Readable,
  d: AttachmentDescription | undefined,
  maxBytes: number,
): AsyncGenerator<Buffer> {
  const text = await peek(asBuffers(source), DETECT_BYTES);
  let pieces = text.all;
  if (!isGzip(text.head) && looksLikeBase64(text.head, d)) pieces = base64Decoded(pieces, d);
  if (d?.compressed !== false) {
    const bytes = await peek(pieces, 3);
    pieces = isGzip(bytes.head) ? inflated(bytes.all, d) : bytes.all;
  }
  let total = 0;
  for await (const piece of pieces) {
    total += piece.length;
    if (total > maxBytes) throw tooLarge(d, maxBytes);
    yield piece;
  }
}

async function* asBuffers(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    yield typeof chunk === 'string'
      ? Buffer.from(chunk, 'latin1')
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/**
 * Reads pieces until at least `bytes` are seen (or the source ends): `head` is what was read, joined, and `all`
 * gives every piece again, that head first. Closing `all` early closes the source.
 */
async function peek(
  source: AsyncGenerator<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
  const seen: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const next = await source.next();
    if (next.done) break;
    seen.push(next.value);
    length += next.value.length;
  }
  const head = seen.length === 1 ? seen[0]! : Buffer.concat(seen);
  async function* all(): AsyncGenerator<Buffer> {
    try {
      if (head.length > 0) yield head;
      yield* { [Symbol.asyncIterator]: () => source };
    } finally {
      await source.return(undefined);
    }
  }
  return { head, all: all() };
}

async function* base64Decoded(
  text: AsyncGenerator<Buffer>,
  d: AttachmentDescription | undefined,
): AsyncGenerator<Buffer> {
  const decoder = new Base64Decoder();
  try {
    for await (const piece of text) {
      const bytes = decoder.push(piece);
      if (bytes.length > 0) yield bytes;
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  } catch (e) {
    throw asAttachmentError(e, d);
  }
}

async function* inflated(
  compressed: AsyncGenerator<Buffer>,
  d: AttachmentDescription | undefined,
): AsyncGenerator<Buffer> {
  const gunzip = createGunzip();
  // Fed with backpressure: gunzip takes more input only as its output is read.
  const feeding = pipeline(Readable.from(compressed), gunzip);
  feeding.catch(() => {}); // its failure is seen below, through gunzip
  try {
    for await (const piece of gunzip) yield piece as Buffer;
    await feeding;
  } catch (e) {
    throw e instanceof EbxmlError ? e : notGzip(d);
  } finally {
    gunzip.destroy();
  }
}

function attachmentName(d: AttachmentDescription | undefined): string {
  return d?.filename ? `attachment ${d.filename}` : 'an attachment';
}

function tooLarge(d: AttachmentDescription | undefined, maxBytes: number): AttachmentError {
  return new AttachmentError('size', `${attachmentName(d)} decodes to more than the ${maxBytes}-byte limit`);
}

function notGzip(d: AttachmentDescription | undefined): AttachmentError {
  return new AttachmentError('gzip', `${attachmentName(d)} is not valid gzip`);
}

function asAttachmentError(e: unknown, d: AttachmentDescription | undefined): unknown {
  if (!(e instanceof Base64Error)) return e;
  return new AttachmentError('base64', `${attachmentName(d)} is not valid base64: ${e.message}`);
}

function isGzip(b: Buffer): boolean {
  return b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Base64 text where the description says the original was base64, or the content can only be base64. */
function looksLikeBase64(b: Buffer, d: AttachmentDescription | undefined): boolean {
  if (b.length === 0 || b[0] === 0x3c) return false; // '<': XML as it is
  const head = b.subarray(0, DETECT_BYTES).toString('latin1');
  if (!BASE64_TEXT.test(head)) return false;
  return d?.originalBase64 === true || d?.compressed === true;
}

/**
 * Where the real extract of a large-message skeleton is: an attachment of this message (still compressed: decode
 * it with {@link decodeAttachmentStream} or {@link decodeAttachment}), or sent in separate messages.
 */
export type SkeletonExtract =
  | { readonly kind: 'inline'; readonly attachment: EbxmlAttachment; readonly filename?: string }
  | { readonly kind: 'external'; readonly href: string; readonly filename?: string };

/**
 * Finds the extract a skeleton core message stands in for (the attachment described with
 * `DomainData="X-GP2GP-Skeleton: Yes"`), or undefined when the message carries its extract itself.
 *
 * @example
 * const s = skeletonExtract(message); if (s?.kind === 'inline') translate(decodeAttachment(s.attachment));
 */
export function skeletonExtract(message: EbxmlMessage): SkeletonExtract | undefined {
  const ref = message.manifest.find(
    (r) => !r.isPayload && /X-GP2GP-Skeleton:\s*Yes/i.test(r.attachment?.domainData ?? ''),
  );
  if (!ref) return undefined;
  const filename = ref.attachment?.filename;
  const named = filename ? { filename } : {};
  const id = ref.href.replace(/^cid:/i, '').toLowerCase();
  const inline = ref.href.toLowerCase().startsWith('cid:')
    ? message.attachments.find((a) => a.contentId.toLowerCase() === id)
    : undefined;
  if (!inline) return { kind: 'external', href: ref.href, ...named };
  return { kind: 'inline', attachment: inline, ...named };
}
