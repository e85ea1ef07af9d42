import { InputError } from '../common/input-error.ts';

/** A CSV file that breaks RFC 4180 in a way that would lose or invent data, or has a row past the length limit. */
export class CsvSyntaxError extends InputError {
  override readonly name = 'CsvSyntaxError';
  /** The 1-based line where the broken row starts. */
  readonly line: number;

  constructor(message: string, line: number) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

/** Receives each row (its fields, unquoted) and the line it starts on. */
export type CsvRowHandler = (fields: string[], line: number) => void;

/** Limits on what one CSV file may hold. */
export interface CsvLimits {
  /** Longest row accepted, in bytes, line breaks inside quoted fields included. */
  readonly maxRowBytes: number;
}

/** A Spine log row is about 300 bytes: a row hundreds of times longer is not a log row. */
export const DEFAULT_CSV_LIMITS: CsvLimits = { maxRowBytes: 64 * 1024 };

const QUOTE = 0x22;
const COMMA = 0x2c;
const CARRIAGE_RETURN = 0x0d;
const LINE_FEED = 0x0a;

/** Where the reader is within a row; kept between chunks so no byte is read twice. */
const Place = {
  /** At the start of a field (or of a row). */
  FieldStart: 0,
  /** Inside an unquoted field. */
  Unquoted: 1,
  /** Inside a quoted field. */
  Quoted: 2,
  /** Just after a quote inside a quoted field: a second quote escapes it, anything else ends the field. */
  QuoteInQuoted: 3,
  /** Just after a field, before its comma or line end. */
  FieldEnd: 4,
  /** Just after a CR ending a row, at the end of a chunk: an LF may follow in the next. */
  AfterCr: 5,
} as const;
type Place = (typeof Place)[keyof typeof Place];

/**
 * The next comma, line feed, carriage return and quote at or after the read position in one chunk (its length
 * where there is none): each is searched for natively once and reused by every field before it.
 */
interface NextBytes {
  comma: number;
  lf: number;
  cr: number;
  quote: number;
}

/**
 * A streaming RFC 4180 reader over bytes: quoted fields (with `""` escapes, commas and line breaks inside),
 * CRLF, LF or CR line ends, a missing final line end. Blank lines are skipped. Where a chunk ends mid-row the
 * reader keeps its place, so each byte is read once however the file is cut (a row that spans many chunks
 * costs no more than one that does not), and a row over the length limit is refused as soon as it passes it.
 * Fields are decoded as UTF-8 straight from the bytes, so no row holds on to the chunk it came from.
 *
 * @example
 * const p = new CsvParser((fields, line) => console.log(line, fields));
 * p.push(Buffer.from('a,"b,c"\n1,2'));
 * p.end(); // 1 ['a', 'b,c'] then 2 ['1', '2']
 */
export class CsvParser {
  private readonly onRow: CsvRowHandler;
  private readonly maxRowBytes: number;
  private at: Place = Place.FieldStart;
  /** Fields of the row being read. */
  private fields: string[] = [];
  /** Bytes of the field being read that came in earlier chunks (copied: the chunks themselves are not kept). */
  private fieldPieces: Buffer[] = [];
  /** Line the row being read starts on, and line feeds read inside its quoted fields. */
  private line = 1;
  private lineFeedsInRow = 0;
  private rowBytes = 0;

  constructor(onRow: CsvRowHandler, limits: CsvLimits = DEFAULT_CSV_LIMITS) {
    this.onRow = onRow;
    this.maxRowBytes = limits.maxRowBytes;
  }

  /** Reads every complete row in `chunk`, keeping its place in an incomplete last one. */
  push(chunk: Uint8Array): void {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const next: NextBytes = { comma: -1, lf: -1, cr: -1, quote: -1 };
    let p = 0;
    while (p < buf.length) {
      const at = this.at;
      if (at === Place.FieldStart || at === Place.Unquoted) {
        if (at === Place.FieldStart && buf[p] === QUOTE) {
          this.at = Place.Quoted;
          p = this.consume(p, p + 1);
          continue;
        }
        // unquoted: runs to the next comma or line end (LF, CRLF or a lone CR), found natively
        if (next.comma < p) next.comma = indexOrEnd(buf, COMMA, p);
        if (next.lf < p) next.lf = indexOrEnd(buf, LINE_FEED, p);
        if (next.cr < p) next.cr = indexOrEnd(buf, CARRIAGE_RETURN, p);
        if (next.quote < p) next.quote = indexOrEnd(buf, QUOTE, p);
        const end = Math.min(next.comma, next.lf, next.cr);
        if (next.quote < end) throw this.error('a quote inside an unquoted field');
        if (end === buf.length) {
          this.keepPiece(buf, p, end);
          this.at = Place.Unquoted;
          p = this.consume(p, end);
        } else {
          this.endField(buf, p, end);
          p = this.delimiter(buf, this.consume(p, end));
        }
      } else if (at === Place.Quoted) {
        if (next.quote < p) next.quote = indexOrEnd(buf, QUOTE, p);
        const q = next.quote;
        // line feeds inside the field count towards the lines of the file, found from the same cache
        if (next.lf < p) next.lf = indexOrEnd(buf, LINE_FEED, p);
        while (next.lf < q) {
          this.lineFeedsInRow++;
          next.lf = indexOrEnd(buf, LINE_FEED, next.lf + 1);
        }
        this.keepPiece(buf, p, q);
        p = this.consume(p, Math.min(q + 1, buf.length));
        if (q < buf.length) this.at = Place.QuoteInQuoted;
      } else if (at === Place.QuoteInQuoted) {
        if (buf[p] === QUOTE) {
          this.fieldPieces.push(Buffer.from('"'));
          this.at = Place.Quoted;
          p = this.consume(p, p + 1);
        } else {
          this.endField(buf, p, p);
          p = this.delimiter(buf, p);
        }
      } else if (at === Place.FieldEnd) {
        p = this.delimiter(buf, p);
      } else {
        // after a CR that ended a row, an LF belongs to the same line end
        if (buf[p] === LINE_FEED) p = this.consume(p, p + 1);
        this.endRow();
      }
    }
  }

  /** Reads what follows a field at `p`: a comma, a line end (a CR may be the chunk's last byte) or an error. */
  private delimiter(buf: Buffer, p: number): number {
    const c = buf[p];
    if (c === undefined) {
      this.at = Place.FieldEnd;
      return p;
    }
    const after = this.consume(p, p + 1);
    if (c === COMMA) {
      this.at = Place.FieldStart;
      return after;
    }
    if (c === LINE_FEED) {
      this.endRow();
      return after;
    }
    if (c !== CARRIAGE_RETURN)
      throw this.error(`unexpected "${String.fromCharCode(c)}" after a closing quote`);
    if (after === buf.length) {
      this.at = Place.AfterCr;
      return after;
    }
    const end = buf[after] === LINE_FEED ? this.consume(after, after + 1) : after;
    this.endRow();
    return end;
  }

  /** Reads the last row, which may lack a line end. Throws {@link CsvSyntaxError} on an open quote. */
  end(): void {
    switch (this.at) {
      case Place.Quoted:
        throw this.error('a quoted field is never closed');
      case Place.FieldStart:
        // after a comma, the row's last field is empty; at a row's start there is no row
        if (this.fields.length > 0) {
          this.fields.push('');
          this.endRow();
        }
        break;
      case Place.Unquoted:
      case Place.QuoteInQuoted:
        this.endField(Buffer.alloc(0), 0, 0);
        this.endRow();
        break;
      case Place.FieldEnd:
      case Place.AfterCr:
        this.endRow();
        break;
    }
  }

  /** Counts bytes `from`..`to` against the row's limit and returns `to`. */
  private consume(from: number, to: number): number {
    this.rowBytes += to - from;
    if (this.rowBytes > this.maxRowBytes) throw this.error(`a row is longer than ${this.maxRowBytes} bytes`);
    return to;
  }

  private keepPiece(buf: Buffer, from: number, to: number): void {
    if (to > from) this.fieldPieces.push(Buffer.from(buf.subarray(from, to)));
  }

  /** Ends the field whose last bytes are `from`..`to` of this chunk. */
  private endField(buf: Buffer, from: number, to: number): void {
    if (this.fieldPieces.length === 0) {
      this.fields.push(buf.toString('utf8', from, to));
      return;
    }
    this.keepPiece(buf, from, to);
    this.fields.push(Buffer.concat(this.fieldPieces).toString('utf8'));
    this.fieldPieces = [];
  }

  private endRow(): void {
    const fields = this.fields;
    if (fields.length > 1 || fields[0] !== '') this.onRow(fields, this.line);
    this.line += this.lineFeedsInRow + 1;
    this.fields = [];
    this.lineFeedsInRow = 0;
    this.rowBytes = 0;
    this.at = Place.FieldStart;
  }

  private error(message: string): CsvSyntaxError {
    return new CsvSyntaxError(message, this.line);
  }
}

function indexOrEnd(buf: Buffer, byte: number, from: number): number {
  const i = buf.indexOf(byte, from);
  return i === -1 ? buf.length : i;
}
