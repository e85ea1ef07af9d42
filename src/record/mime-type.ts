/**
 * Attachment content types: a real MIME type, never `unknown`. The declared type is kept where it is one; else the
 * file name's extension says, else the document's first bytes; `application/octet-stream` only where nothing does.
 */

/** File extensions of the document types GP records hold, and their MIME types. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  htm: 'text/html',
  html: 'text/html',
  rtf: 'application/rtf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
  gif: 'image/gif',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xml: 'application/xml',
  msg: 'application/vnd.ms-outlook',
  eml: 'message/rfc822',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  zip: 'application/zip',
  csv: 'text/csv',
  odt: 'application/vnd.oasis.opendocument.text',
};

/** Leading bytes of the formats GP records hold. */
const SIGNATURES: readonly { readonly bytes: readonly number[]; readonly type: string }[] = [
  { bytes: [0x25, 0x50, 0x44, 0x46], type: 'application/pdf' }, // %PDF
  { bytes: [0x89, 0x50, 0x4e, 0x47], type: 'image/png' },
  { bytes: [0xff, 0xd8, 0xff], type: 'image/jpeg' },
  { bytes: [0x47, 0x49, 0x46, 0x38], type: 'image/gif' }, // GIF8
  { bytes: [0x49, 0x49, 0x2a, 0x00], type: 'image/tiff' }, // II*
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], type: 'image/tiff' }, // MM*
  { bytes: [0x42, 0x4d], type: 'image/bmp' }, // BM
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], type: 'application/rtf' }, // {\rtf
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], type: 'application/msword' }, // OLE compound file (Word 97-2003)
  { bytes: [0x3c, 0x3f, 0x78, 0x6d, 0x6c], type: 'application/xml' }, // <?xml
];

const MIME = /^[a-z]+\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i;

/** What is known of an attachment. */
export interface AttachmentFacts {
  /** The content type the sender declared, if any. */
  readonly declared?: string | undefined;
  /** A file name or URL. */
  readonly fileName?: string | undefined;
  /** The document's first bytes, where they are to hand. */
  readonly bytes?: Uint8Array | undefined;
}

/**
 * A real MIME type for an attachment.
 *
 * @example
 * mimeTypeOf({ declared: 'unknown', fileName: 'letter.PDF' }) // 'application/pdf'
 * mimeTypeOf({ bytes: new TextEncoder().encode('%PDF-1.7') }) // 'application/pdf'
 */
export function mimeTypeOf(facts: AttachmentFacts): string {
  const declared = facts.declared?.trim();
  if (declared && MIME.test(declared) && declared.toLowerCase() !== 'application/octet-stream')
    return declared;
  const extension = /\.([a-z0-9]{2,5})(?:[?#].*)?$/i.exec(facts.fileName?.trim() ?? '')?.[1]?.toLowerCase();
  const byName = extension ? BY_EXTENSION[extension] : undefined;
  if (byName) return byName;
  const bytes = facts.bytes;
  const bySignature = bytes
    ? SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[i] === b))?.type
    : undefined;
  if (bySignature) return bySignature;
  return declared && MIME.test(declared) ? declared : 'application/octet-stream';
}

/** The first bytes of base64 data (enough for {@link mimeTypeOf}); undefined where there is none. */
export function leadingBytes(base64: string | undefined): Uint8Array | undefined {
  if (!base64) return undefined;
  const head = base64.replace(/\s+/g, '').slice(0, 24);
  return head ? Uint8Array.from(Buffer.from(head, 'base64')) : undefined;
}
