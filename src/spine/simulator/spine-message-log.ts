import { closeSync, fstatSync, mkdirSync, openSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { SPINE_LOG_COLUMNS } from '../../common/spine-log-columns.ts';
import { logHeaderProblem, neutraliseCsvField } from './spine-log-safety.ts';

export { SPINE_LOG_COLUMNS };

/** One routed message, as Spine logs it. */
export interface SpineLogEntry {
  readonly time: Date;
  readonly conversationId: string;
  /** The ebXML MessageId. */
  readonly guid: string;
  /** Full interaction name, `urn:nhs:names:services:gp2gp/RCMR_IN010000UK05`. */
  readonly interactionId: string;
  /** Sender's ASID. */
  readonly messageSender: string;
  /** Recipient's ASID. */
  readonly messageRecipient: string;
  /** For an application ack, the GUID of the message it acknowledges; otherwise absent (`NotProvided`). */
  readonly messageRef?: string;
  /** The GP2GP reason code an ack carries; absent is `NONE`. */
  readonly jdiEvent?: string;
  /** Recipient's clinical system supplier. */
  readonly toSystem?: string;
  /** Sender's clinical system supplier. */
  readonly fromSystem?: string;
}

/**
 * `_time` as the Splunk export writes it: `2019-12-01T08:41:48.337+0000` (UTC, milliseconds).
 *
 * @example
 * formatLogTime(new Date(Date.UTC(2019, 11, 1, 8, 41, 48, 337))) // '2019-12-01T08:41:48.337+0000'
 */
export function formatLogTime(d: Date): string {
  return `${d.toISOString().slice(0, 23)}+0000`;
}

/** Quotes a CSV field where it holds a comma, quote or line break (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV line (with its newline) for an entry; no field can be taken for a spreadsheet formula. */
export function formatLogLine(e: SpineLogEntry): string {
  return `${[
    formatLogTime(e.time),
    e.conversationId,
    e.guid,
    e.interactionId,
    e.messageSender,
    e.messageRecipient,
    e.messageRef ?? 'NotProvided',
    e.jdiEvent ?? 'NONE',
    e.toSystem ?? '',
    e.fromSystem ?? '',
  ]
    .map((field) => csvField(neutraliseCsvField(field)))
    .join(',')}\n`;
}

/**
 * Appends routed messages to a CSV file in the Spine message log format (header written once, when the
 * file is new), so `gp2gp classify` and NHS England's classifier can read what the simulator routed. Each line
 * is handed to the operating system before {@link append} resolves: a simulator killed the moment after keeps it.
 */
export class SpineMessageLog {
  readonly file: string;
  private readonly fd: number;
  private tail: Promise<void> = Promise.resolve();
  private written = 0;
  private closing: Promise<void> | undefined;

  private constructor(file: string, fd: number) {
    this.file = file;
    this.fd = fd;
  }

  /** Opens (creating folders and header as needed) a log file for appending. */
  static open(file: string): SpineMessageLog {
    mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(file, 'a');
    if (fstatSync(fd).size === 0) writeSync(fd, `${SPINE_LOG_COLUMNS.join(',')}\n`);
    return new SpineMessageLog(file, fd);
  }

  /** Appends one entry; resolves once its line is written to the file (lines keep the order of the calls). */
  append(entry: SpineLogEntry): Promise<void> {
    if (this.closing) return Promise.reject(new Error(`${this.file} is closed`));
    const [service, action] = splitInteraction(entry.interactionId);
    const problem = logHeaderProblem({
      messageId: entry.guid,
      conversationId: entry.conversationId,
      service,
      action,
    });
    if (problem) return Promise.reject(new RangeError(`not logged: ${problem}`));
    const line = Buffer.from(formatLogLine(entry), 'utf8');
    const done = this.tail.then(() => writeFully(this.fd, line));
    this.tail = done.catch(() => undefined);
    this.written++;
    return done;
  }

  /** Entries appended since opening. */
  get count(): number {
    return this.written;
  }

  /** Waits for lines being written, then closes the file. */
  close(): Promise<void> {
    this.closing ??= this.tail.then(() => closeSync(this.fd));
    return this.closing;
  }
}

/** `urn:nhs:names:services:gp2gp/RCMR_IN010000UK05` → service and action. */
function splitInteraction(interactionId: string): [string, string] {
  const slash = interactionId.lastIndexOf('/');
  return [interactionId.slice(0, Math.max(0, slash)), interactionId.slice(slash + 1)];
}

/** Writes all of `bytes` at the end of the file (a write may take fewer bytes than asked). */
async function writeFully(fd: number, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    offset += await new Promise<number>((resolve, reject) =>
      write(fd, bytes, offset, bytes.length - offset, null, (e, n) => (e ? reject(e) : resolve(n))),
    );
  }
}
