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
  if (form === 'soap') {
    const soap = parseXml(body);
    const envelope = parseSoapEnvelope(soap.root);
    return {
      form: 'soap',
      ...withHttp,
      envelope,
      soap,
      warnings: [...warnings, ...soap.warnings, ...envelope.warnings],
    };
  }
  return { form: 'hl7', ...withHttp, hl7: decodeXml(body), warnings };
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
  const first = firstNonSpace(body);
  if ((contentType && /^multipart\//i.test(contentType)) || first === 0x2d) return 'mime'; // '-': a boundary line
  if (first !== 0x3c) return undefined;
  return looksLikeSoap(body) ? 'soap' : 'hl7';
}

function firstNonSpace(buf: Buffer): number | undefined {
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xef && c !== 0xbb && c !== 0xbf)
      return c;
  }
  return undefined;
}

/** Looks at the first element name only, so a large bare HL7 message is not parsed twice. */
function looksLikeSoap(buf: Buffer): boolean {
  const head = buf.subarray(0, 4096).toString('latin1');
  const m = /<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(head);
  return m?.[2] === 'Envelope';
}
