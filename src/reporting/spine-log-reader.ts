import { createReadStream } from 'node:fs';
import { InputError } from '../common/input-error.ts';
import { CsvParser, CsvSyntaxError } from './csv-parser.ts';
import { parseLogTime } from './log-time.ts';
import { messageKind, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, type SpineMessage } from './spine-message.ts';

/** A Spine log export we cannot read: bad CSV, a missing column, a time or reason code that is not one. */
export class SpineLogError extends InputError {
  override readonly name = 'SpineLogError';
}

/** Receives each row of a Spine log, read. */
export type SpineMessageHandler = (message: SpineMessage) => void;

type Column = (typeof REQUIRED_COLUMNS)[number] | (typeof OPTIONAL_COLUMNS)[number];

/** Where each column sits in this file: exports differ in column order, so columns are found by name. */
type ColumnIndex = Readonly<Record<(typeof REQUIRED_COLUMNS)[number], number>> &
  Readonly<Partial<Record<(typeof OPTIONAL_COLUMNS)[number], number>>>;

/** Many rows share an ASID or a supplier name: one string per value keeps a month of rows small. */
class Interner {
  private readonly seen = new Map<string, string>();
  private readonly limit: number;

  constructor(limit: number) {
    this.limit = limit;
  }

  get(s: string): string {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    if (this.seen.size >= this.limit) this.seen.clear(); // a pathological file must not grow this without end
    this.seen.set(s, s);
    return s;
  }
}

/**
 * Turns CSV rows of one Spine log export into {@link SpineMessage}s: the header names the columns, each row
 * then must have as many fields. Used by {@link readSpineLogFile}; exposed for tests and in-memory logs.
 *
 * @example
 * const rows = new SpineLogRows('log.csv', (m) => messages.push(m));
 * const csv = new CsvParser((fields, line) => rows.row(fields, line));
 */
export class SpineLogRows {
  private readonly source: string;
  private readonly onMessage: SpineMessageHandler;
  private readonly strings = new Interner(100_000);
  /** Rows of a conversation then share its id: ten copies of a 36-character id per transfer add up. */
  private readonly conversationIds = new Interner(2_000_000);
  private columns: ColumnIndex | undefined;
  private width = 0;

  constructor(source: string, onMessage: SpineMessageHandler) {
    this.source = source;
    this.onMessage = onMessage;
  }

  /** True once a header has been read. */
  get hasHeader(): boolean {
    return this.columns !== undefined;
  }

  /** Takes one CSV row: the header first, then the log's rows. */
  row(fields: string[], line: number): void {
    if (this.columns === undefined) {
      this.columns = this.header(fields, line);
      this.width = fields.length;
      return;
    }
    if (fields.length !== this.width)
      throw this.error(line, `expected ${this.width} fields as in the header, found ${fields.length}`);
    this.onMessage(this.message(this.columns, fields, line));
  }

  private header(fields: string[], line: number): ColumnIndex {
    // a byte order mark from a spreadsheet export would otherwise hide the first column's name
    const names = fields.map((f, i) => (i === 0 ? f.replace(/^\uFEFF/, '') : f).trim());
    const at = (name: Column): number => names.indexOf(name);
    const missing = REQUIRED_COLUMNS.filter((c) => at(c) === -1);
    if (missing.length > 0)
      throw this.error(
        line,
        `not a Spine log export: the header lacks ${missing.join(', ')} (columns: ${REQUIRED_COLUMNS.join(',')})`,
      );
    const index = Object.fromEntries(
      [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS].map((c) => [c, at(c)]).filter(([, i]) => i !== -1),
    );
    return index as ColumnIndex;
  }

  private message(c: ColumnIndex, f: string[], line: number): SpineMessage {
    const timeText = f[c._time]!;
    const time = parseLogTime(timeText);
    if (time === undefined) throw this.error(line, `_time "${timeText}" is not a date and time`);
    const jdi = f[c.jdiEvent]!.trim();
    let reasonCode: number | undefined;
    if (jdi !== '' && jdi !== 'NONE') {
      // NHS England's classifier reads jdiEvent as an integer and stops on anything else: so do we
      if (!/^\d{1,4}$/.test(jdi))
        throw this.error(line, `jdiEvent "${jdi}" is neither NONE nor a reason code`);
      reasonCode = Number(jdi);
    }
    const ref = f[c.messageRef]!;
    const s = this.strings;
    const kind = messageKind(f[c.interactionID]!);
    // suppliers are reported from the request alone: other rows need not keep theirs
    const systems = kind === 'request';
    return {
      time,
      conversationId: this.conversationIds.get(f[c.conversationID]!),
      guid: f[c.GUID]!,
      kind,
      sender: s.get(f[c.messageSender]!),
      recipient: s.get(f[c.messageRecipient]!),
      messageRef: ref === '' || ref === 'NotProvided' ? undefined : ref,
      reasonCode,
      fromSystem: c.fromSystem === undefined || !systems ? '' : s.get(f[c.fromSystem]!),
      toSystem: c.toSystem === undefined || !systems ? '' : s.get(f[c.toSystem]!),
    };
  }

  /** An error naming the file and line, for the CLI's one-line message. */
  error(line: number, message: string): SpineLogError {
    return new SpineLogError(`${this.source}: line ${line}: ${message}`);
  }
}

/**
 * Streams one Spine log export (CSV) from disk, handing each row to `onMessage` as it is read: memory stays at
 * one chunk however large the file. Rejects with a {@link SpineLogError} naming file and line on bad input.
 *
 * @example
 * await readSpineLogFile('spine-message-log.csv', (m) => grouper.add(m));
 */
export async function readSpineLogFile(file: string, onMessage: SpineMessageHandler): Promise<void> {
  const rows = new SpineLogRows(file, onMessage);
  const csv = new CsvParser((fields, line) => rows.row(fields, line));
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) csv.push(chunk as Buffer);
    csv.end();
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new SpineLogError(`${file}: ${e.message}`);
    if (isErrno(e)) throw new SpineLogError(`cannot read ${file}: ${e.code}`);
    throw e;
  }
  if (!rows.hasHeader) throw rows.error(1, 'empty file: no header line');
}

/**
 * Reads a Spine log held in memory (tests, small logs).
 *
 * @example
 * const messages: SpineMessage[] = [];
 * readSpineLogText('_time,conversationID,…\n…', 'inline', (m) => messages.push(m));
 */
export function readSpineLogText(text: string, source: string, onMessage: SpineMessageHandler): void {
  const rows = new SpineLogRows(source, onMessage);
  const csv = new CsvParser((fields, line) => rows.row(fields, line));
  try {
    csv.push(Buffer.from(text, 'utf8'));
    csv.end();
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw new SpineLogError(`${source}: ${e.message}`);
    throw e;
  }
  if (!rows.hasHeader) throw rows.error(1, 'empty file: no header line');
}

function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}
