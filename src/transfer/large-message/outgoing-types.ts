import type { AttachmentDescription } from '../../ebxml/index.ts';
import type { LargeMessagePolicy } from './policy.ts';

// The sending side's contract. Everything here is plain JSON (strings, numbers, booleans, arrays, objects) so
// the engine can keep a plan in a database row and rebuild any message from it after a restart.

/** A document the extract references, as the engine hands it over. */
export interface OutgoingDocument {
  /** HL7 id of the ExternalDocument; written as the manifest reference's `eb:id`. */
  readonly documentId: string;
  /** The file name the extract refers to (`file://localhost/<filename>`). */
  readonly filename: string;
  readonly contentType: string;
  /** SHA-256 id of its bytes in the DocumentStore; absent documents have none. */
  readonly storedId?: string;
  /** Its length in bytes (0 for an absent document). */
  readonly bytes: number;
  /** Why the document could not be fetched: set, it is sent as an `AbsentAttachment…txt` placeholder. */
  readonly absentReason?: string;
}

/** What {@link prepareOutgoingTransfer} needs: the built extract and what it references. */
export interface OutgoingTransferInput {
  /** The RCMR_IN030000UK06/07 message the engine built. */
  readonly extractXml: string | Uint8Array;
  /** The ebXML MessageId the core message is sent with (the one the requester's Continue names). */
  readonly extractMessageId: string;
  readonly documents: readonly OutgoingDocument[];
  readonly policy?: LargeMessagePolicy;
  /** Makes message ids and Content-Ids; defaults to upper-case random UUIDs. */
  readonly newId?: () => string;
}

/** Some bytes of a stored document: `bytes` from `offset` (a fragment), or all of it. */
export interface StoredSlice {
  readonly storedId: string;
  readonly offset: number;
  readonly bytes: number;
}

/** A document carried inline (`cid:`) in a message, base64 transfer-encoded. */
export interface PlannedPart {
  readonly contentId: string;
  readonly contentType: string;
  /** The manifest reference's `eb:id`, where it has one. */
  readonly ebId?: string;
  readonly description: AttachmentDescription;
  readonly content: StoredSlice;
}

/** A manifest reference (`mid:`) to a part that travels in a COPC message of its own. */
export interface PlannedExternalReference {
  readonly messageId: string;
  readonly ebId?: string;
  readonly description: AttachmentDescription;
}

/** The message that carries the extract (or its skeleton). */
export interface PlannedCoreMessage {
  readonly kind: 'core';
  readonly messageId: string;
  readonly interactionId: 'RCMR_IN030000UK06' | 'RCMR_IN030000UK07';
  /** The HL7 payload as stored: the extract itself, or the skeleton standing in for it. */
  readonly payload: StoredSlice;
  readonly attachments: readonly PlannedPart[];
  readonly externalAttachments: readonly PlannedExternalReference[];
}

/** What a COPC message carries: a whole document, a fragment index, or one fragment. */
export type CopcRole = 'document' | 'fragment-index' | 'fragment';

/** A COPC_IN000001UK01 message sent after the requester's Continue. */
export interface PlannedCopcMessage {
  readonly kind: 'copc';
  readonly role: CopcRole;
  readonly messageId: string;
  /** The document it belongs to (the compressed extract's id for the skeleton's parts). */
  readonly documentId: string;
  /** Gp2gpfragment subject, `Attachment: <filename>`. */
  readonly subject: string;
  /** The file names the HL7 payload lists. */
  readonly references: readonly string[];
  /** The document or fragment (none for an index). */
  readonly attachments: readonly PlannedPart[];
  /** The fragments, in order (index only). */
  readonly externalAttachments: readonly PlannedExternalReference[];
}

/** Any planned message. */
export type PlannedMessage = PlannedCoreMessage | PlannedCopcMessage;

/** How one document travels. */
export type DocumentRoute = 'inline' | 'copc' | 'fragments';

/** One document's place in the plan, for the engine's bookkeeping. */
export interface PlannedDocument {
  readonly documentId: string;
  readonly filename: string;
  readonly contentType: string;
  readonly storedId: string;
  readonly bytes: number;
  /** Sent as an AbsentAttachment placeholder. */
  readonly absent: boolean;
  /** The gzipped extract of a skeleton core message. */
  readonly skeletonExtract: boolean;
  readonly route: DocumentRoute;
  /** The COPC messages that carry it (index first), empty when inline. */
  readonly messageIds: readonly string[];
}

/** Everything the engine sends for one extract, in send order. */
export interface OutgoingTransferPlan {
  readonly core: PlannedCoreMessage;
  /** Sent after the requester's Continue; empty means no Continue is needed. */
  readonly copcMessages: readonly PlannedCopcMessage[];
  readonly documents: readonly PlannedDocument[];
  /** True when the core message carries a skeleton and the real extract is a gzipped attachment. */
  readonly skeleton: boolean;
  readonly policy: LargeMessagePolicy;
  /** What was off but sent anyway (a placeholder renamed, say). */
  readonly warnings: readonly string[];
}
