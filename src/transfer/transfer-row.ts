import type { FidelityReport } from '../record/fidelity.ts';
import type { InteractionReliability } from '../spine/index.ts';
import type { schema } from '../store/index.ts';
import type { TransferRole, TransferState } from './transfer-state.ts';

/** A transfer as stored. */
export type TransferRow = typeof schema.transfers.$inferSelect;

/** What the engine keeps in a transfer's `details` JSON, by role; every field is optional and plain JSON. */
export interface TransferDetails {
  /** The peer practice's reliability per interaction, read from SDS when the transfer began. */
  readonly peerReliability?: Readonly<Record<string, InteractionReliability>>;
  /** The peer's supplier, as SDS names it. */
  readonly peerSupplier?: string;
  /** Requesting: the practice member who registered the patient. */
  readonly registeredBy?: string;
  /** Requesting: when the extract arrived (ISO), from which the large-message timeout runs. */
  readonly extractArrivedAt?: string;
  /** Requesting: how many large-message parts the extract announced (for the timeout formula). */
  readonly expectedParts?: number;
  /** Requesting: how many large-message parts have arrived so far. */
  readonly receivedParts?: number;
  /** Requesting: MessageIds of large-message parts still awaited (upper-case), to place a part sent under another ConversationId. */
  readonly awaitedParts?: readonly string[];
  /** Requesting: the translated record's Bundle JSON, in the document store. */
  readonly bundleDocumentId?: string;
  /** Requesting: the record translation's account of every statement (mapped, degraded, skipped). */
  readonly fidelity?: FidelityReport;
  /** Requesting: how many entries were degraded or skipped, with the translator's words. */
  readonly warnings?: readonly string[];
  /** Sending: how the extract travels: parts sent after Continue, as a skeleton or not, documents attached. */
  readonly largeMessage?: { readonly parts: number; readonly skeleton: boolean; readonly documents: number };
  /** Sending: documents that could not be fetched and went as AbsentAttachment placeholders. */
  readonly absentAttachments?: readonly string[];
  /** Sending: a request that could not be read, refused with this code when the answer step runs. */
  readonly refusal?: { readonly code: string; readonly text: string };
  /** Set when a request was not answered by the end of its working day. */
  readonly overdueSince?: string;
}

/** The parts of a transfer a caller outside the engine may see. */
export interface TransferSummary {
  readonly id: string;
  readonly practiceOds: string;
  readonly role: TransferRole;
  readonly conversationId: string;
  readonly nhsNumber: string;
  readonly peerOds: string;
  readonly state: TransferState;
  readonly reasonCode: string | null;
  readonly reasonText: string | null;
  readonly createdAt: Date;
  readonly stateChangedAt: Date;
  readonly receivedAt: Date | null;
  readonly endedAt: Date | null;
  readonly lloydGeorgePostedAt: Date | null;
  readonly details: TransferDetails;
}

/**
 * The caller-facing view of a stored transfer.
 *
 * @example
 * summarise(row).state // 'awaiting-extract'
 */
export function summarise(row: TransferRow): TransferSummary {
  return {
    id: row.id,
    practiceOds: row.practiceOds,
    role: row.role,
    conversationId: row.conversationId,
    nhsNumber: row.nhsNumber,
    peerOds: row.peerOds,
    state: row.state as TransferState,
    reasonCode: row.reasonCode,
    reasonText: row.reasonText,
    createdAt: row.createdAt,
    stateChangedAt: row.stateChangedAt,
    receivedAt: row.receivedAt,
    endedAt: row.endedAt,
    lloydGeorgePostedAt: row.lloydGeorgePostedAt,
    details: row.details as TransferDetails,
  };
}

/** The details of a row, typed. */
export function detailsOf(row: TransferRow): TransferDetails {
  return row.details as TransferDetails;
}
