// Large messaging (docs/large-messages.md): what the transfer engine calls to send and receive an extract whose
// documents, or itself, are too large for one message.

// Receiving
export {
  type AssembledDocument,
  type AssemblyLimits,
  type AssemblyRefusal,
  assembleDocument,
  DEFAULT_MAX_DOCUMENT_BYTES,
} from './assemble-document.ts';
export { type AssembledExtract, assembleExtract, type CorePayload } from './assemble-extract.ts';
export type * from './assembly-types.ts';
export { assessAssembly } from './assess.ts';
// Sending
export {
  type BuildContext,
  type BuiltMessage,
  buildPlannedMessage,
  type MessageParty,
  MissingDocumentError,
} from './build-message.ts';
export type * from './outgoing-types.ts';
export {
  type PlanInput,
  planOutgoingTransfer,
  type ResolvedDocument,
  SKELETON_DOMAIN_DATA,
} from './plan-outgoing.ts';
export { base64WireBytes, DEFAULT_POLICY, type LargeMessagePolicy } from './policy.ts';
export { needsSkeleton, prepareOutgoingTransfer } from './prepare-outgoing.ts';
export {
  type ReceivedCopcContent,
  type ReceivedPart,
  type ReceivedPartSummary,
  type ReceivedReference,
  storeReceivedParts,
  summariseReceivedMessage,
} from './received-summary.ts';
