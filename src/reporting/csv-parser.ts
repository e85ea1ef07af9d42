import { InputError } from '../common/input-error.ts';

/** A CSV file that breaks RFC 4180 in a way that would lose or invent data. */
export class CsvSyntaxError extends InputError {
  override readonly name = 'CsvSyntaxError';
  /** The 1-based line where the broken record starts. */
  readonly line: number;

  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

/** Receives each record (its fields, unquoted) and the line it starts on. */
export type CsvRecordHandler = (fields: string[], line: number) => void;

const QUOTE = 0x22;
const COMMA = 0x2c;
const CR = 0x0d;
const LF = 0x0a;

/**
 * The next comma, line feed, carriage return and quote at or after the parse position in one buffer (its length
 * where there is none): each is searched for once and reused by every field before it, so a file without
 * quotes or CRs is not searched to its end for each field.
 */
interface NextBytes {
  comma: number;
  lf: number;
  cr: number;
  quote: number;
}

/** Where a record ended, or that the buffer ran out first. */
type Parsed = { readonly fields: string[]; readonly next: number; readonly lines: number } | undefined;

/**
 * A streaming RFC 4180 reader over bytes: quoted fields (with `""` escapes, commas and line breaks inside),
 * CRLF or LF line ends, a missing final line end. Blank lines are skipped. Fields are decoded as UTF-8 straight
 * from the bytes so no record holds on to the chunk it came from.
 *
 * @example
 * const p = new CsvParser((fields, line) => console.log(line, fields));
 * p.push(Buffer.from('a,"b,c"\n1,2'));
 * p.end(); // 1 ['a', 'b,c'] then 2 ['1', '2']
 */
export class CsvParser {
  private readonly onRecord: CsvRecordHandler;
  /** Bytes of a record not yet complete at the end of the last chunk. */
  private rest: Buffer = Buffer.alloc(0);
  private line = 1;

  constructor(onRecord: CsvRecordHandler) {
    this.onRecord = onRecord;
  }

  /** Reads every complete record in `chunk` (plus what was left over), keeping the incomplete tail. */
  push(chunk: Uint8Array): void {
    const buf = this.rest.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.rest, chunk]);
    this.rest = Buffer.from(buf.subarray(this.parse(buf, false)));
  }

  /** Reads the last record, which may lack a line end. Throws {@link CsvSyntaxError} on an open quote. */
  end(): void {
    if (this.rest.length > 0) this.parse(this.rest, true);
    this.rest = Buffer.alloc(0);
  }

  /** Parses whole records from `buf`, returning the offset of the first byte not consumed. */
  private parse(buf: Buffer, final: boolean): number {
    let p = 0;
    const next: NextBytes = { comma: -1, lf: -1, cr: -1, quote: -1 };
    while (p < buf.length) {
      const r = readRecord(buf, p, final, this.line, next);
      if (r === undefined) return p;
      if (r.fields.length > 1 || r.fields[0] !== '') this.onRecord(r.fields, this.line);
      this.line += r.lines;
      p = r.next;
    }
    return p;
  }
}

/**
 * One record starting at `start`. Scans with `indexOf`, which runs natively, rather than byte by byte: on a
 * month of Spine log (hundreds of MB) that is most of the reading time.
 */
function readRecord(buf: Buffer, start: number, final: boolean, line: number, next: NextBytes): Parsed {
  const fields: string[] = [];
  let lines = 0;
  let p = start;
  for (;;) {
    if (buf[p] === QUOTE) {
      // quoted field: runs to the next quote not doubled
      let from = p + 1;
      let value = '';
      for (;;) {
        const q = buf.indexOf(QUOTE, from);
        if (q === -1 || (q + 1 >= buf.length && !final)) {
          if (final && q === -1) throw new CsvSyntaxError('a quoted field is never closed', line);
          return undefined;
        }
        if (buf[q + 1] === QUOTE) {
          value += buf.toString('utf8', from, q + 1);
          from = q + 2;
          continue;
        }
        value += buf.toString('utf8', from, q);
        lines += countLineFeeds(buf, p, q);
        p = q + 1;
        break;
      }
      fields.push(value);
      const c = buf[p];
      if (c !== undefined && c !== COMMA && c !== LF && c !== CR)
        throw new CsvSyntaxError(`unexpected "${String.fromCharCode(c)}" after a closing quote`, line);
    } else {
      // unquoted field: runs to the next comma or line end (LF, CRLF or a lone CR), found natively
      if (next.comma < p) next.comma = indexOrEnd(buf, COMMA, p);
      if (next.lf < p) next.lf = indexOrEnd(buf, LF, p);
      if (next.cr < p) next.cr = indexOrEnd(buf, CR, p);
      if (next.quote < p) next.quote = indexOrEnd(buf, QUOTE, p);
      const end = Math.min(next.comma, next.lf, next.cr);
      if (next.quote < end) throw new CsvSyntaxError('a quote inside an unquoted field', line);
      if (end >= buf.length && !final) return undefined;
      fields.push(buf.toString('utf8', p, end));
      p = end;
    }
    const c = buf[p];
    if (c === COMMA) {
      p++;
      continue;
    }
    if (c === CR) {
      if (p + 1 >= buf.length && !final) return undefined;
      p += buf[p + 1] === LF ? 2 : 1;
    } else if (c === LF) {
      p++;
    } else if (!final) {
      return undefined;
    }
    return { fields, next: p, lines: lines + 1 };
  }
}

function indexOrEnd(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i === -1 ? buf.length : i;
}

function countLineFeeds(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(LF, from); i !== -1 && i < to; i = buf.indexOf(LF, i + 1)) n++;
  return n;
}
