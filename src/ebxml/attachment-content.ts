import { gunzipSync } from 'node:zlib';
import type { AttachmentDescription } from './attachment-description.ts';
import { EbxmlError } from './ebxml-error.ts';
import type { EbxmlAttachment, EbxmlMessage } from './ebxml-message.ts';

/** Largest document we will inflate from one attachment: guards against a gzip bomb. */
export const MAX_ATTACHMENT_BYTES = 1024 * 1024 * 1024;

const BASE64_TEXT = /^[A-Za-z0-9+/=\s]+$/;

/**
 * The original document an attachment carries: transfer encoding is already undone by the MIME reader; this
 * undoes what GP2GP adds on top, base64 text (OriginalBase64) and gzip (Compressed), both detected from the
 * content too, since suppliers do not always describe it truthfully.
 *
 * @example
 * decodeAttachment(message.attachments[0]) // the PDF, XML or image bytes
 */
export function decodeAttachment(attachment: Pick<EbxmlAttachment, 'body' | 'description'>): Buffer {
  const d = attachment.description;
  let bytes = attachment.body;
  if (!isGzip(bytes) && looksLikeBase64(bytes, d)) bytes = Buffer.from(bytes.toString('latin1'), 'base64');
  // A document that is itself a .gz file is sent with Compressed=No: only what the sender compressed is inflated.
  if (d?.compressed !== false && isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_ATTACHMENT_BYTES });
    } catch (e) {
      const tooBig = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      const name = d?.filename ? `attachment ${d.filename}` : 'an attachment';
      throw new EbxmlError(`${name} ${tooBig ? 'inflates past the size limit' : 'is not valid gzip'}`);
    }
  }
  return bytes;
}

function isGzip(b: Buffer): boolean {
  return b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
}

/** Base64 text where the description says the original was base64, or the content can only be base64. */
function looksLikeBase64(b: Buffer, d: AttachmentDescription | undefined): boolean {
  if (b.length === 0 || b[0] === 0x3c) return false; // '<': XML as it is
  const head = b.subarray(0, 4096).toString('latin1');
  if (!BASE64_TEXT.test(head)) return false;
  return d?.originalBase64 === true || d?.compressed === true;
}

/** Where the real extract of a large-message skeleton is: inline in this message, or sent separately. */
export type SkeletonExtract =
  | { readonly kind: 'inline'; readonly xml: Buffer; readonly filename?: string }
  | { readonly kind: 'external'; readonly href: string; readonly filename?: string };

/**
 * Finds the extract a skeleton core message stands in for (the attachment described with
 * `DomainData="X-GP2GP-Skeleton: Yes"`), or undefined when the message carries its extract itself.
 *
 * @example
 * const s = skeletonExtract(message); if (s?.kind === 'inline') translate(s.xml);
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
  return { kind: 'inline', xml: decodeAttachment(inline), ...named };
}
