import type { AttachmentDescription } from '../../ebxml/index.ts';

// What assessAssembly decides and assembleDocument/assembleExtract carry out. Plain JSON.

/** The reason codes a large-message failure is reported with (docs/large-messages.md#reason-codes). */
export type LargeMessageReasonCode = '29' | '30' | '31';

/** A failure: which code to send back, and why in words. */
export interface AssemblyFailure {
  readonly reasonCode: LargeMessageReasonCode;
  readonly detail: string;
}

/** One stored piece of a document, from the message that carried it. */
export interface AssemblyPiece {
  readonly storedId: string;
  readonly bytes: number;
  readonly messageId: string;
}

/** How to put one document back together: its pieces in order, and how it is described. */
export interface AssemblyPlan {
  /** The core manifest reference it answers (`cid:…`, `mid:…`). */
  readonly href: string;
  readonly ebId?: string;
  readonly filename: string;
  readonly contentType: string;
  /** The core manifest's description (Compressed, OriginalBase64… decide the decoding, with the content). */
  readonly description: AttachmentDescription;
  /** Where it came: inline in the core message, a COPC of its own, or fragments behind an index. */
  readonly route: 'inline' | 'copc' | 'fragments';
  readonly pieces: readonly AssemblyPiece[];
}

/** Where the real extract is: the core message's payload, or a skeleton's gzipped attachment. */
export type ExtractAssembly =
  | { readonly kind: 'payload' }
  | {
      readonly kind: 'skeleton';
      readonly document: AssemblyPlan;
      /** The document id the skeleton's payload refers to (the `eb:id` without its leading `_`). */
      readonly skeletonDocumentId?: string;
    };

/** The state of a conversation's large-message parts. */
export type Assessment =
  | {
      readonly kind: 'waiting';
      /** COPC message ids named but not received yet, as written in the references. */
      readonly missingMessageIds: readonly string[];
      /** COPC messages known to be needed (index and fragments included): feeds the timeout. */
      readonly expectedCopcCount: number;
    }
  | {
      readonly kind: 'complete';
      readonly documents: readonly AssemblyPlan[];
      readonly extract: ExtractAssembly;
      readonly expectedCopcCount: number;
      /** COPC messages received that nothing refers to (left alone). */
      readonly unusedMessageIds: readonly string[];
      readonly warnings: readonly string[];
    }
  | {
      readonly kind: 'failed';
      readonly reasonCode: LargeMessageReasonCode;
      readonly detail: string;
      /** Every failure found; `reasonCode` and `detail` are the first by precedence 29, 31, 30. */
      readonly failures: readonly AssemblyFailure[];
    };
