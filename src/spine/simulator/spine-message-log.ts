import { createWriteStream, existsSync, mkdirSync, statSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { SPINE_LOG_COLUMNS } from '../../common/spine-log-columns.ts';

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

/** One CSV line (with its newline) for an entry. */
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
    .map(csvField)
    .join(',')}\n`;
}

/**
 * Appends routed messages to a CSV file in the Spine message log format (header written once, when the
 * file is new), so `gp2gp classify` and NHS England's classifier can read what the simulator routed.
 */
export class SpineMessageLog {
  readonly file: string;
  private readonly out: WriteStream;
  private written = 0;

  private constructor(file: string, out: WriteStream) {
    this.file = file;
    this.out = out;
  }

  /** Opens (creating folders and header as needed) a log file for appending. */
  static open(file: string): SpineMessageLog {
    mkdirSync(dirname(file), { recursive: true });
    const fresh = !existsSync(file) || statSync(file).size === 0;
    const out = createWriteStream(file, { flags: 'a' });
    if (fresh) out.write(`${SPINE_LOG_COLUMNS.join(',')}\n`);
    return new SpineMessageLog(file, out);
  }

  /** Appends one entry (buffered; flushed by the stream and on {@link close}). */
  append(entry: SpineLogEntry): void {
    this.out.write(formatLogLine(entry));
    this.written++;
  }

  /** Entries appended since opening. */
  get count(): number {
    return this.written;
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.out.closed || this.out.destroyed) {
        resolve();
        return;
      }
      this.out.end(() => resolve());
    });
  }
}
