// The transfer engine's public face: the CLI, the web app and reporting import from here, never its tables.
export { TransferCommands } from './commands.ts';
export {
  type EngineEvent,
  type EngineOptions,
  type EnginePractice,
  type SpineUrls,
  spineUrls,
  TransferEngine,
} from './engine.ts';
export type { EngineContext, HostedPractice } from './engine-context.ts';
export { DEFAULT_ENGINE_SETTINGS, type EngineSettings, engineSettings } from './engine-settings.ts';
export { type PracticeRecordEntry, practiceRecordEntry } from './practice-record-query.ts';
export * from './queries.ts';
export { countReceivedBefore, listByReceipt, type ReceiptFilter } from './receipt-queries.ts';
export type { GpConnectConsumer } from './records/gp-connect-request.ts';
export { GpConnectSource, type GpConnectSourceOptions } from './records/gp-connect-source.ts';
export {
  PracticeRecordStore,
  STORED_DOCUMENT_PREFIX,
  storedDocumentId,
  storedDocumentUrl,
} from './records/practice-record-store.ts';
export type { RecordLookup, RecordSource, SourceDocument } from './records/record-source.ts';
export { PracticeRecordSources, type RecordSourceChoice } from './records/record-source-choice.ts';
export type { DecisionOutcome, DecisionRefusal, RejectionReason } from './requesting/decide.ts';
export type { RecordRequest, RequestRecordOutcome, RequestRefusal } from './requesting/request-record.ts';
export type { SendingActionOutcome } from './sending/lloyd-george.ts';
export type { TransferDetails, TransferSummary } from './transfer-row.ts';
export {
  hasEnded,
  type RequestingState,
  type SendingState,
  type TransferRole,
  type TransferState,
} from './transfer-state.ts';
export { transfersById } from './transfers-by-id.ts';
