import { SPINE_LOG_COLUMNS } from '../common/spine-log-columns.ts';
import { INTERACTION } from '../hl7/oids.ts';

/** Optional columns: reporting only uses them to name the suppliers. */
export const OPTIONAL_COLUMNS = ['toSystem', 'fromSystem'] as const;

type RequiredColumn = Exclude<(typeof SPINE_LOG_COLUMNS)[number], (typeof OPTIONAL_COLUMNS)[number]>;

/** The columns classification cannot do without. */
export const REQUIRED_COLUMNS: readonly RequiredColumn[] = SPINE_LOG_COLUMNS.filter(
  (c): c is RequiredColumn => !(OPTIONAL_COLUMNS as readonly string[]).includes(c),
);

/** What a row is for GP2GP reporting, decided from its interaction id. */
export type MessageKind = 'request' | 'extract' | 'copc' | 'ack' | 'other';

/** Spine writes interaction ids as service URN + action, e.g. `urn:nhs:names:services:gp2gp/RCMR_IN010000UK05`. */
export const GP2GP_SERVICE = 'urn:nhs:names:services:gp2gp';

/**
 * The interaction ids reporting recognises. A NOPAT extract (RCMR_IN030000UK07) is an extract like UK06: NHS
 * England's classifier does not know UK07 and would call such a transfer "Core extract not sent", which is
 * simply wrong for a record that was sent (docs/reporting.md lists this difference).
 */
const KINDS: ReadonlyMap<string, MessageKind> = new Map<string, MessageKind>([
  [`${GP2GP_SERVICE}/${INTERACTION.ehrRequest}`, 'request'],
  [`${GP2GP_SERVICE}/${INTERACTION.ehrExtract}`, 'extract'],
  [`${GP2GP_SERVICE}/${INTERACTION.ehrExtractNopat}`, 'extract'],
  [`${GP2GP_SERVICE}/${INTERACTION.commonContent}`, 'copc'],
  [`${GP2GP_SERVICE}/${INTERACTION.ack}`, 'ack'],
]);

/**
 * The kind of a logged interaction id.
 *
 * @example
 * messageKind('urn:nhs:names:services:gp2gp/MCCI_IN010000UK13') // 'ack'
 */
export function messageKind(interactionId: string): MessageKind {
  return KINDS.get(interactionId) ?? 'other';
}

/** One message within a conversation: what classification reads of a Spine log row (the id is the conversation's). */
export interface LoggedMessage {
  /** `_time`, as epoch milliseconds (UTC). */
  readonly time: number;
  /** The ebXML MessageId. */
  readonly guid: string;
  readonly kind: MessageKind;
  /** Sender's ASID (kept as text: ASIDs may start with a zero). */
  readonly sender: string;
  /** Recipient's ASID. */
  readonly recipient: string;
  /** For an application ack, the GUID of the message it acknowledges. */
  readonly messageRef: string | undefined;
  /** `jdiEvent` as a number (the classifier reads it as an integer: `06` and `6` are the same); absent for `NONE`. */
  readonly reasonCode: number | undefined;
  readonly fromSystem: string;
  readonly toSystem: string;
}

/**
 * One row of a Spine message log export, read.
 *
 * @example
 * const m: SpineMessage = { conversationId: 'C1', time: Date.UTC(2024, 0, 1), guid: 'G1', kind: 'request',
 *   sender: '999000000001', recipient: '999000000002', messageRef: undefined, reasonCode: undefined,
 *   fromSystem: 'SupplierA', toSystem: 'SupplierB' };
 */
export interface SpineMessage extends LoggedMessage {
  readonly conversationId: string;
}
