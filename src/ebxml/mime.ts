import { Base64Error, decodeBase64 } from './base64.ts';
import { EbxmlError } from './ebxml-error.ts';

/** One body part of a multipart/related message, its content decoded from its transfer encoding. */
export interface MimePart {
  /** Header values keyed by lower-cased name. */
  readonly headers: Readonly<Record<string, string>>;
  /** Content-Id without its angle brackets, if any. */
  readonly contentId?: string;
  readonly contentType?: string;
  /** Content-Transfer-Encoding as written (lower-cased), if any. */
  readonly transferEncoding?: string;
  readonly body: Buffer;
}

/** A parsed multipart body and what was off but tolerated. */
export interface MimeMultipart {
  readonly parts: readonly MimePart[];
  readonly warnings: readonly string[];
}

/** Most parts accepted in one message (real extracts carry up to ~1,500 attachments, usually fragmented). */
export const MAX_MIME_PARTS = 5000;

const HEADER_LINE = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*(.*)$/;

/** One body part as sent: its headers read, its content still in its transfer encoding. */
export interface RawMimePart {
  /** Header values keyed by lower-cased name. */
  readonly headers: Readonly<Record<string, string>>;
  /** Content-Id without its angle brackets, if any. */
  readonly contentId?: string;
  readonly contentType?: string;
  /** Content-Transfer-Encoding as written (lower-cased), if any. */
  readonly transferEncoding?: string;
  /** The content bytes as they stand in the message (a view, not a copy). */
  readonly raw: Buffer;
  /** Position of the part in the message (0 first), for error messages. */
  readonly index: number;
}

/**
 * Splits a multipart body on its boundary. Tolerates what suppliers send (no blank line after part headers,
 * `Content-Id:<x>` with no space, LF or CRLF); refuses what loses data (no closing boundary, bad base64).
 *
 * @example
 * parseMultipart(body, '--=_MIME-Boundary').parts[0].contentId // 'ebXMLHeader@spine.nhs.uk'
 */
export function parseMultipart(body: Buffer, boundary: string): MimeMultipart {
  const { parts, warnings } = splitMultipart(body, boundary);
  return { parts: parts.map(decodeMimePart), warnings };
}

/**
 * Splits a multipart body on its boundary as {@link parseMultipart} does, without decoding any content, so a
 * reader that needs only some parts (a router needs the envelope and payload) decodes only those.
 *
 * @example
 * const { parts } = splitMultipart(body, boundary); decodeMimePart(parts[0]).body // the SOAP envelope
 */
export function splitMultipart(
  body: Buffer,
  boundary: string,
): { readonly parts: readonly RawMimePart[]; readonly warnings: readonly string[] } {
  const warnings: string[] = [];
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  let at = findDelimiter(body, delimiter, 0);
  if (at < 0) throw new EbxmlError(`MIME boundary "${boundary}" not found in the message body`);
  const parts: RawMimePart[] = [];
  for (;;) {
    const afterDelimiter = at + delimiter.length;
    if (body[afterDelimiter] === 0x2d && body[afterDelimiter + 1] === 0x2d) break; // closing "--"
    const lineEnd = body.indexOf(0x0a, afterDelimiter);
    if (lineEnd < 0) throw new EbxmlError('MIME message is truncated after a boundary line');
    const next = findDelimiter(body, delimiter, lineEnd + 1);
    if (next < 0) throw new EbxmlError('MIME message is truncated: closing boundary not found');
    let end = next - 1; // drop the line break that belongs to the delimiter
    if (body[end - 1] === 0x0d) end--;
    parts.push(readPart(body.subarray(lineEnd + 1, Math.max(end, lineEnd + 1)), parts.length, warnings));
    if (parts.length > MAX_MIME_PARTS)
      throw new EbxmlError(`MIME message has more than ${MAX_MIME_PARTS} parts`);
    at = next;
  }
  if (parts.length === 0) throw new EbxmlError('MIME message has no parts');
  return { parts, warnings };
}

/** A part's content decoded from its transfer encoding; refuses bad base64 and encodings MIME does not define. */
export function decodeMimePart(part: RawMimePart): MimePart {
  const { raw: _raw, index: _index, ...labels } = part;
  return { ...labels, body: decodeBody(part.raw, part.transferEncoding, part.index) };
}

/** Finds the delimiter at the start of a line, at or after `from`. */
function findDelimiter(body: Buffer, delimiter: Buffer, from: number): number {
  let i = body.indexOf(delimiter, from);
  while (i >= 0) {
    if (i === 0 || body[i - 1] === 0x0a) return i;
    i = body.indexOf(delimiter, i + 1);
  }
  return -1;
}

function readPart(raw: Buffer, index: number, warnings: string[]): RawMimePart {
  const headers: Record<string, string> = {};
  let pos = 0;
  for (;;) {
    const lineEnd = raw.indexOf(0x0a, pos);
    const line = raw
      .subarray(pos, lineEnd < 0 ? raw.length : lineEnd)
      .toString('latin1')
      .replace(/\r$/, '');
    if (line === '') {
      pos = lineEnd < 0 ? raw.length : lineEnd + 1;
      break;
    }
    const m = HEADER_LINE.exec(line);
    if (!m) {
      // Some suppliers start the content straight after the headers with no blank line.
      warnings.push(`MIME part ${index + 1}: headers are not followed by a blank line`);
      break;
    }
    headers[m[1]!.toLowerCase()] = m[2]!.trim();
    if (lineEnd < 0) {
      pos = raw.length;
      break;
    }
    pos = lineEnd + 1;
  }
  const contentId = headers['content-id']?.replace(/^<|>$/g, '');
  const contentType = headers['content-type'];
  const transferEncoding = headers['content-transfer-encoding']?.toLowerCase();
  return {
    headers,
    ...(contentId ? { contentId } : {}),
    ...(contentType ? { contentType } : {}),
    ...(transferEncoding ? { transferEncoding } : {}),
    raw: raw.subarray(pos),
    index,
  };
}

function decodeBody(raw: Buffer, encoding: string | undefined, index: number): Buffer {
  switch (encoding) {
    case undefined:
    case '7bit':
    case '8bit':
    case 'binary':
      return raw;
    case 'base64':
      try {
        return decodeBase64(raw);
      } catch (e) {
        if (!(e instanceof Base64Error)) throw e;
        throw new EbxmlError(`MIME part ${index + 1}: content is not valid base64 (${e.message})`);
      }
    default:
      throw new EbxmlError(`MIME part ${index + 1}: unsupported Content-Transfer-Encoding "${encoding}"`);
  }
}

/** A part to write: content and how to label it. */
export interface MimePartSpec {
  readonly contentId: string;
  readonly contentType: string;
  /** base64 for binary attachments; 8bit for XML and text. */
  readonly transferEncoding: 'base64' | '8bit' | 'binary';
  readonly body: Buffer | string;
}

/**
 * Writes a multipart/related body with CRLF line ends; the first part is the root (`start`).
 *
 * @example
 * const { contentType, body } = buildMultipart([{ contentId: 'ebXMLHeader@gp2gp', contentType: 'text/xml', transferEncoding: '8bit', body: soap }]);
 */
export function buildMultipart(
  parts: readonly MimePartSpec[],
  boundary = `--=_MIME-Boundary-${crypto.randomUUID()}`,
): { contentType: string; body: Buffer } {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const content =
      p.transferEncoding === 'base64'
        ? base64Lines(typeof p.body === 'string' ? Buffer.from(p.body) : p.body)
        : typeof p.body === 'string'
          ? Buffer.from(p.body, 'utf8')
          : p.body;
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Id: <${p.contentId}>\r\nContent-Type: ${p.contentType}\r\n` +
          `Content-Transfer-Encoding: ${p.transferEncoding}\r\n\r\n`,
        'latin1',
      ),
      content,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  const start = parts[0] ? `; start="<${parts[0].contentId}>"` : '';
  return {
    contentType: `multipart/related; boundary="${boundary}"; type="text/xml"${start}`,
    body: Buffer.concat(chunks),
  };
}

/** Characters in a line of MIME base64 (RFC 2045). */
const BASE64_LINE = 76;

/**
 * Base64 of `data` with CRLF after every full 76-character line (the last too, when full), copied line by line
 * natively instead of through a regular expression over one long string.
 *
 * @example
 * base64Lines(Buffer.alloc(57)).toString('latin1') // 'AAAA…AAAA\r\n' (76 characters, then CRLF)
 */
export function base64Lines(data: Buffer): Buffer {
  const encoded = Buffer.from(data.toString('base64'), 'latin1');
  const fullLines = Math.floor(encoded.length / BASE64_LINE);
  const out = Buffer.allocUnsafe(encoded.length + 2 * fullLines);
  let at = 0;
  for (let line = 0; line < fullLines; line++) {
    at += encoded.copy(out, at, line * BASE64_LINE, (line + 1) * BASE64_LINE);
    out[at++] = 0x0d;
    out[at++] = 0x0a;
  }
  encoded.copy(out, at, fullLines * BASE64_LINE);
  return out;
}
