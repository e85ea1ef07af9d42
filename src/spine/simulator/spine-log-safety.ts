import { GP2GP_SERVICE } from '../../ebxml/index.ts';

// A stop-gap in the simulator: `common/spine-log-columns.ts` is to gain shared versions of these checks.

const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/i;
const ACTION = /^[A-Z]{4}_IN\d{6}UK\d{2}$/;

/**
 * A CSV field a spreadsheet will show as text, never run as a formula: one starting with `=`, `+`, `-`, `@` (or a
 * tab or carriage return, which some spreadsheets skip before looking) gets a `'` in front.
 *
 * @example
 * neutraliseCsvField('=HYPERLINK("…")') // "'=HYPERLINK(\"…\")"
 */
export function neutraliseCsvField(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The ebXML header fields a Spine log line is keyed on. */
export interface LoggedHeader {
  readonly messageId: string;
  readonly conversationId: string;
  readonly service: string;
  readonly action: string;
}

/**
 * Why a message cannot go in the Spine message log (and so is not taken by the hub), or undefined: MessageId and
 * ConversationId must be UUIDs, the service GP2GP's, the action an interaction ID (`RCMR_IN010000UK05`).
 */
export function logHeaderProblem(header: LoggedHeader): string | undefined {
  if (!UUID.test(header.messageId)) return `MessageId ${JSON.stringify(header.messageId)} is not a UUID`;
  if (!UUID.test(header.conversationId))
    return `ConversationId ${JSON.stringify(header.conversationId)} is not a UUID`;
  if (header.service !== GP2GP_SERVICE)
    return `Service ${JSON.stringify(header.service)} is not ${GP2GP_SERVICE}`;
  if (!ACTION.test(header.action)) return `Action ${JSON.stringify(header.action)} is not an interaction ID`;
  return undefined;
}
