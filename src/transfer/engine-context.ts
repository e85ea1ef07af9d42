import type { Clock } from '../common/clock.ts';
import type { PracticeAddress } from '../hl7/index.ts';
import type { InteractionReliability, MhsOutboundClient, PdsClient, SpineDirectory } from '../spine/index.ts';
import type { Database, DocumentStore } from '../store/index.ts';
import type { EngineSettings } from './engine-settings.ts';
import type { LargeMessagePolicy } from './large-message/index.ts';
import type { SendBudget } from './outbound/send-budget.ts';
import type { PracticeRecordStore } from './records/practice-record-store.ts';
import type { RecordSource } from './records/record-source.ts';
import type { TransferTx } from './transfer-tx.ts';

/** A practice this engine process acts for: its directory entry and its own clients (its certificate). */
export interface HostedPractice {
  readonly ods: string;
  readonly asid: string;
  readonly partyKey: string;
  readonly name: string;
  readonly supplier: string;
  /** Posts to Spine presenting this practice's certificate. */
  readonly outbound: MhsOutboundClient;
  /** PDS as this practice (a practice may only register patients to itself). */
  readonly pds: PdsClient;
  /** The practice's HL7 address. */
  readonly address: PracticeAddress;
}

/**
 * Everything the engine's handlers share: the store, the clock, the settings, Spine's directory, the hosted
 * practices and the record source. One per engine process.
 */
export interface EngineContext {
  readonly db: Database;
  readonly documents: DocumentStore;
  readonly clock: Clock;
  readonly settings: EngineSettings;
  readonly largeMessages: LargeMessagePolicy;
  readonly directory: SpineDirectory;
  readonly records: RecordSource;
  /** Bounds the bytes of messages being built and sent at once. */
  readonly sendBudget: SendBudget;
  /** The built-in record store, where integrated records are filed. */
  readonly practiceRecords: PracticeRecordStore;
  /** A hosted practice by ODS code. */
  practice(ods: string): HostedPractice | undefined;
  /** A new id (upper-case UUID, as GP2GP writes them). */
  newId(): string;
  /** Runs `work` in one database transaction; its effects (wakes, notices) follow the commit. */
  transaction<T>(work: (t: TransferTx) => Promise<T>): Promise<T>;
}

/** Reliability settings used where SDS has not said (a stray message's sender): five minutes, two retries. */
export const FALLBACK_RELIABILITY: InteractionReliability = {
  persistDurationSeconds: 300,
  retries: 2,
  retryIntervalSeconds: 30,
};
