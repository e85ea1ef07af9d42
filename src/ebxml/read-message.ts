import { decodeXml, parseXml, type XmlDocument } from '../xml/index.ts';
import { EbxmlError } from './ebxml-error.ts';
import { type EbxmlMessage, parseEbxmlMessage } from './ebxml-message.ts';
import { parseSoapEnvelope, type SoapEnvelope } from './envelope.ts';
import { type HttpPreamble, headerParam, readHttpPreamble } from './http-preamble.ts';

/** How the message came: bare HL7, a bare SOAP envelope, or a MIME ebXML message. */
export type MessageForm = 'hl7' | 'soap' | 'mime';

/** Largest message accepted; GP2GP splits anything near Spine's limit into fragments well below this. */
export const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;

/** A received message in whatever form it came, unwrapped down to its HL7 payload text. */
export interface ReceivedMessage {
  readonly form: MessageForm;
  readonly http?: HttpPreamble;
  readonly envelope?: SoapEnvelope;
  readonly ebxml?: EbxmlMessage;
  /** The HL7v3 payload text; absent for a bare envelope or a signal message. */
  readonly hl7?: string;
  /** The parsed root, for a bare SOAP envelope (bare HL7 is left as text so callers can stream it). */
  readonly soap?: XmlDocument;
  readonly warnings: readonly string[];
}

/**
 * Unwraps a captured or received message: optional HTTP request line and headers, then MIME multipart,
 * a bare SOAP envelope, or bare HL7. Content-Length is checked against the limit but not trusted.
 *
 * @example
 * readMessageBytes(readFileSync('RCMR_IN010000UK05-ebxml-mime.txt')).hl7 // '<RCMR_IN010000UK05 ...'
 */
export function readMessageBytes(bytes: Uint8Array): ReceivedMessage {
  if (bytes.byteLength > MAX_MESSAGE_BYTES) {
    throw new EbxmlError(`message is ${bytes.byteLength} bytes, over the ${MAX_MESSAGE_BYTES}-byte limit`);
  }
  if (firstContentOffset(bytes) < 0)
    throw new EbxmlError('message is empty (no content, or only whitespace)');
  const http = readHttpPreamble(bytes);
  const body = Buffer.from(
    bytes.buffer,
    bytes.byteOffset + http.bodyOffset,
    bytes.byteLength - http.bodyOffset,
  );
  const warnings: string[] = [];
  const withHttp = http.bodyOffset > 0 ? { http } : {};
  checkContentLength(http, body.byteLength, warnings);

  const contentType = http.headers['content-type'];
  const form = formOf(body, contentType);
  if (form === 'mime') {
    if (contentType && !headerParam(contentType, 'boundary')) {
      throw new EbxmlError('Content-Type is multipart but names no boundary');
    }
    const ebxml = parseEbxmlMessage(body, contentType);
    return {
      form: 'mime',
      ...withHttp,
      envelope: ebxml.envelope,
      ebxml,
      ...(ebxml.payload !== undefined ? { hl7: ebxml.payload } : {}),
      warnings: [...warnings, ...ebxml.warnings],
    };
  }
  if (form === undefined) throw new EbxmlError('message is neither XML nor MIME multipart');
  // Whitespace before the root is left out, so a large run of it is skipped natively rather than parsed; a
  // byte order mark right before the content is kept, as it decides the encoding.
  const start = firstContentOffset(body);
  const xml = isUtf16(body) || start <= UTF8_BOM.length ? body : body.subarray(start);
  if (form === 'soap') {
    const soap = parseXml(xml);
    const envelope = parseSoapEnvelope(soap.root);
    return {
      form: 'soap',
      ...withHttp,
      envelope,
      soap,
      warnings: [...warnings, ...soap.warnings, ...envelope.warnings],
    };
  }
  return { form: 'hl7', ...withHttp, hl7: decodeXml(xml), warnings };
}

function checkContentLength(http: HttpPreamble, actual: number, warnings: string[]): void {
  const claimed = http.headers['content-length'];
  if (claimed === undefined) return;
  if (!/^\d+$/.test(claimed)) {
    warnings.push(`Content-Length "${claimed}" is not a number; ignored`);
    return;
  }
  const n = Number(claimed);
  if (n > MAX_MESSAGE_BYTES) {
    throw new EbxmlError(`Content-Length ${n} is over the ${MAX_MESSAGE_BYTES}-byte message limit`);
  }
  if (n !== actual) warnings.push(`Content-Length ${n} differs from the ${actual} bytes present`);
}

/**
 * Tells the form of a message from its first bytes (64 KB is plenty), or undefined if it is none of them.
 * Lets a caller stream a large bare HL7 extract instead of loading it.
 *
 * @example
 * detectMessageForm(Buffer.from('<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3">')) // 'hl7'
 */
export function detectMessageForm(head: Uint8Array): MessageForm | undefined {
  const http = readHttpPreamble(head);
  const body = Buffer.from(head.buffer, head.byteOffset + http.bodyOffset, head.byteLength - http.bodyOffset);
  return formOf(body, http.headers['content-type']);
}

function formOf(body: Buffer, contentType: string | undefined): MessageForm | undefined {
  if (contentType && /^multipart\//i.test(contentType)) return 'mime';
  // A UTF-16 file (on disk; HL7 over Spine is UTF-8) is read only as a bare XML document.
  if (isUtf16(body)) {
    // detection only: a head cut inside a character must not fail here (the full read checks every byte)
    const label = body[0] === 0xff ? 'utf-16le' : 'utf-16be';
    return xmlForm(new TextDecoder(label).decode(body.subarray(0, HEAD_CHARS * 2)));
  }
  const start = firstContentOffset(body);
  if (start < 0) return undefined;
  if (body[start] === 0x2d) return 'mime'; // '-': a boundary line
  return xmlForm(body.subarray(start, start + HEAD_CHARS).toString('latin1'));
}

/** Characters looked at to tell SOAP from HL7: the first element name is within them. */
const HEAD_CHARS = 4096;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function isUtf16(body: Uint8Array): boolean {
  return (body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff);
}

/** The form of a document from its start: SOAP if its first element is an Envelope, else HL7; undefined if not XML. */
function xmlForm(head: string): MessageForm | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('<')) return undefined;
  // Looks at the first element name only, so a large bare HL7 message is not parsed twice.
  const m = /<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text);
  return m?.[2] === 'Envelope' ? 'soap' : 'hl7';
}

/**
 * Offset of the first byte that is not XML whitespace (space, tab, CR, LF), after a UTF-8 byte order mark at
 * the start (unless `bytes` are a later piece of a file); -1 where there is none. Searched a megabyte at a time
 * natively, so a message behind hundreds of megabytes of whitespace is found, not taken for empty, and quickly.
 *
 * @example
 * firstContentOffset(Buffer.from('  \n<a/>')) // 3
 */
export function firstContentOffset(
  bytes: Uint8Array,
  where: { readonly atFileStart: boolean } = { atFileStart: true },
): number {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  if (where.atFileStart && UTF8_BOM.every((b, i) => buf[i] === b)) at = 3;
  for (; at < buf.length; at += 1 << 20) {
    const found = buf.toString('latin1', at, Math.min(at + (1 << 20), buf.length)).search(/[^ \t\r\n]/);
    if (found >= 0) return at + found;
  }
  return -1;
}
