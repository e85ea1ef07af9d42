import { Transform, type TransformCallback } from 'node:stream';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const BASE64_BATCH = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const BASE64_TAIL = /^[A-Za-z0-9+/]{2,3}$/;
// Escapes a JSON writer may put in a base64 string: an escaped slash, and line breaks some encoders wrap with.
const ESCAPED_IN_BASE64: Readonly<Record<number, string>> = { 47: '/', 110: '', 114: '' };

/**
 * Turns a FHIR `Binary` resource in JSON (as GP Connect's document read answers) into the document's bytes as
 * they arrive: the top-level `content` string is base64-decoded on the way through, never held whole. The
 * stream fails where the JSON is not a Binary, has no content, or the content is not base64, so a consumer
 * storing it keeps nothing from a bad answer.
 *
 * @example
 * await pipeline(response, binaryContentStream(), createWriteStream('letter.pdf'));
 */
export function binaryContentStream(): Transform {
  return new BinaryContentDecoder();
}

class BinaryContentDecoder extends Transform {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Inside the top-level object: the next string is a key. */
  private expectKey = false;
  /** Inside the top-level object: a ':' was passed and the value has not started. */
  private expectValue = false;
  private capture: string | undefined;
  private capturing: 'key' | 'value' | undefined;
  private key = '';
  private readonly values = new Map<string, string>();
  private inContent = false;
  private contentEscape = false;
  private sawContent = false;
  private padded = false;
  private pending = '';
  private ended = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.scan(chunk);
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    done(this.incompleteness());
  }

  /** Why the JSON read so far is not a whole Binary with content, or null where it is. */
  private incompleteness(): Error | null {
    if (this.inContent || this.depth !== 0 || !this.ended) return new Error('the Binary resource ends early');
    const type = this.values.get('resourceType');
    if (type !== 'Binary') return new Error(`the answer is a ${type ?? 'JSON value'}, not a Binary`);
    if (!this.sawContent) return new Error('the Binary resource has no content');
    return null;
  }

  private scan(chunk: Buffer): void {
    let i = 0;
    while (i < chunk.length) {
      if (this.inContent) {
        i = this.scanContent(chunk, i);
        continue;
      }
      const b = chunk[i++]!;
      if (this.ended) {
        if (!isSpace(b)) throw new Error('text after the Binary resource');
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (b === BACKSLASH) this.escaped = true;
        else if (b === QUOTE) {
          this.inString = false;
          this.endCapture();
          continue;
        }
        // Keys and the short values worth keeping are ASCII; longer text is not kept.
        if (this.capture !== undefined && this.capture.length < 256) this.capture += String.fromCharCode(b);
        continue;
      }
      if (isSpace(b)) continue;
      if (b === QUOTE) {
        this.inString = true;
        if (this.depth !== 1) continue;
        if (this.expectKey) {
          this.capturing = 'key';
          this.capture = '';
          this.expectKey = false;
        } else if (this.expectValue) {
          this.expectValue = false;
          if (this.key === 'content') {
            if (this.sawContent) throw new Error('the Binary resource has two contents');
            this.inString = false;
            this.inContent = true;
            this.sawContent = true;
          } else {
            this.capturing = 'value';
            this.capture = '';
          }
        }
        continue;
      }
      if (this.depth === 0 && b !== 0x7b) throw new Error('the answer is not a JSON object');
      if (this.depth === 1) {
        if (b === 0x3a) {
          this.expectValue = true;
          continue;
        }
        if (b === 0x2c) {
          this.expectKey = true;
          continue;
        }
        this.expectValue = false;
      }
      if (b === 0x7b || b === 0x5b) {
        this.depth++;
        if (this.depth === 1) this.expectKey = true;
      } else if (b === 0x7d || b === 0x5d) {
        this.depth--;
        if (this.depth === 0) this.ended = true;
        if (this.depth < 0) throw new Error('the answer is not JSON');
      }
    }
  }

  /** Decodes content up to its closing quote (or the chunk's end); returns where scanning goes on. */
  private scanContent(chunk: Buffer, from: number): number {
    let i = from;
    let text = '';
    while (i < chunk.length) {
      if (this.contentEscape) {
        const replaced = ESCAPED_IN_BASE64[chunk[i]!];
        if (replaced === undefined) throw new Error('the Binary content is not base64');
        text += replaced;
        this.contentEscape = false;
        i++;
        continue;
      }
      const quote = chunk.indexOf(QUOTE, i);
      const slash = chunk.indexOf(BACKSLASH, i);
      const stop = quote === -1 ? slash : slash === -1 ? quote : Math.min(quote, slash);
      const end = stop === -1 ? chunk.length : stop;
      text += chunk.toString('latin1', i, end);
      i = end;
      if (stop === -1) break;
      i++;
      if (stop === slash) {
        this.contentEscape = true;
        continue;
      }
      this.decode(text, true);
      this.inContent = false;
      return i;
    }
    this.decode(text, false);
    return i;
  }

  private decode(text: string, last: boolean): void {
    const all = this.pending + text;
    const whole = all.length - (all.length % 4);
    const batch = all.slice(0, whole);
    this.pending = all.slice(whole);
    if (batch.length > 0) {
      if (this.padded || !BASE64_BATCH.test(batch)) throw new Error('the Binary content is not base64');
      this.padded = batch.endsWith('=');
      this.push(Buffer.from(batch, 'base64'));
    }
    if (!last) return;
    if (this.pending.length > 0) {
      // Unpadded base64 leaves two or three characters at the end.
      if (this.padded || !BASE64_TAIL.test(this.pending)) throw new Error('the Binary content is not base64');
      this.push(Buffer.from(this.pending, 'base64'));
      this.pending = '';
    }
  }

  private endCapture(): void {
    if (this.capturing === 'key') this.key = this.capture ?? '';
    else if (this.capturing === 'value') this.values.set(this.key, this.capture ?? '');
    this.capturing = undefined;
    this.capture = undefined;
  }
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}
