import { EbxmlError } from './ebxml-error.ts';

/** The HTTP request line and headers found before a captured message body, if any. */
export interface HttpPreamble {
  /** `POST /reliablemessaging/forwardreliable HTTP/1.1`, where the capture has one. */
  readonly requestLine?: string;
  /** Header values keyed by lower-cased name. */
  readonly headers: Readonly<Record<string, string>>;
  /** Offset of the body within the input. */
  readonly bodyOffset: number;
}

const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/\d(\.\d)?$/;
const HEADER_LINE = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*(.*)$/;
/** Headers are short; a "header block" longer than this is not one. */
const MAX_PREAMBLE = 64 * 1024;

/**
 * Splits an optional HTTP request line and header block off a captured message. Input that starts with
 * a MIME boundary or `<` has no preamble.
 *
 * @example
 * readHttpPreamble(Buffer.from('POST / HTTP/1.1\r\nContent-Type: text/xml\r\n\r\n<a/>')).bodyOffset // 44
 */
export function readHttpPreamble(bytes: Uint8Array): HttpPreamble {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const head = buf.subarray(0, Math.min(buf.length, MAX_PREAMBLE)).toString('latin1');
  // A preamble starts within the first bytes; a head of only whitespace has none (the message may still not be
  // empty: whether it is, is the reader's question, not this one's).
  const start = head.search(/\S/);
  if (start < 0) return { headers: {}, bodyOffset: 0 };
  const first = head.slice(start, head.indexOf('\n', start) >>> 0).replace(/\r$/, '');
  const isRequest = REQUEST_LINE.test(first);
  if (!isRequest && !HEADER_LINE.test(first)) return { headers: {}, bodyOffset: 0 };

  const headers: Record<string, string> = {};
  let pos = start;
  let requestLine: string | undefined;
  for (;;) {
    const lineEnd = head.indexOf('\n', pos);
    if (lineEnd < 0) throw new EbxmlError('HTTP headers are not followed by a body');
    const line = head.slice(pos, lineEnd).replace(/\r$/, '');
    pos = lineEnd + 1;
    if (line === '') break;
    if (
      requestLine === undefined &&
      isRequest &&
      Object.keys(headers).length === 0 &&
      REQUEST_LINE.test(line)
    ) {
      requestLine = line;
      continue;
    }
    const m = HEADER_LINE.exec(line);
    if (m) headers[m[1]!.toLowerCase()] = m[2]!.trim();
    else if (/^[ \t]/.test(line))
      continue; // folded continuation: ignored, no GP2GP header folds
    else throw new EbxmlError(`malformed HTTP header line: ${JSON.stringify(line.slice(0, 60))}`);
  }
  return { ...(requestLine ? { requestLine } : {}), headers, bodyOffset: pos };
}

/**
 * Reads a MIME header parameter (`boundary`, `start`, `type`) from a Content-Type value.
 *
 * @example
 * headerParam('multipart/related; boundary="--=_MIME-Boundary"; type="text/xml"', 'boundary') // '--=_MIME-Boundary'
 */
export function headerParam(value: string, name: string): string | undefined {
  const pattern = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i');
  const m = pattern.exec(value);
  return m ? (m[1] ?? m[2]) : undefined;
}
