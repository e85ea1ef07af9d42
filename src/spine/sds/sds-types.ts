/** Reliability settings SDS holds per interaction (nhsMhsPersistDuration, nhsMhsRetries, nhsMhsRetryInterval). */
export interface InteractionReliability {
  /** How long the sender keeps trying, and the receiver remembers MessageIds, in seconds. */
  readonly persistDurationSeconds: number;
  /** Retries after the first attempt. */
  readonly retries: number;
  /** Wait before the first retry, in seconds (later waits back off from it). */
  readonly retryIntervalSeconds: number;
}

/** UK countries; GP2GP runs only between practices in England. */
export type Country = 'England' | 'Wales' | 'Scotland' | 'Northern Ireland';

/** One practice's entry in the Spine Directory Service. */
export interface PracticeDirectoryEntry {
  /** ODS code (nhsIDCode). */
  readonly ods: string;
  readonly name: string;
  /** Clinical system supplier, as the Spine message log's toSystem/fromSystem name it. */
  readonly supplier: string;
  readonly country: Country;
  /** Accredited System ID of the practice's GP2GP system (12 digits). */
  readonly asid: string;
  /** MHS party key (nhsMHSPartyKey), `ODS-nnnnnn`. */
  readonly partyKey: string;
  /** The practice MHS's inbound URL (nhsMhsEndPoint); absent until the practice's adaptor is running. */
  readonly endpoint?: string;
  /** Whether the practice is live with GP2GP. */
  readonly gp2gpLive: boolean;
  /** Whether the practice's system can send and receive large (multi-part) messages. */
  readonly largeMessageCompliant: boolean;
  /** Reliability per interaction ID (e.g. RCMR_IN030000UK06), filled from defaults where not set. */
  readonly interactions: Readonly<Record<string, InteractionReliability>>;
}

/** The outcome of a directory lookup. */
export type DirectoryLookup =
  | { readonly kind: 'found'; readonly entry: PracticeDirectoryEntry }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'unavailable'; readonly message: string };

/** Whether a practice can take part in GP2GP, and why not. */
export type Gp2gpReadiness =
  | { readonly ready: true }
  | { readonly ready: false; readonly reason: 'not-england' | 'not-live' | 'no-endpoint' };

/** Directory lookups, answered from memory (the simulator) or over HTTP ({@link SdsClient}). */
export interface SpineDirectory {
  /** The entry for an ODS code. */
  byOds(ods: string): Promise<DirectoryLookup>;
  /** The entry owning an MHS party key. */
  byPartyKey(partyKey: string): Promise<DirectoryLookup>;
  /** The entry owning an ASID. */
  byAsid(asid: string): Promise<DirectoryLookup>;
}

/** The GP2GP interactions, whose reliability settings every entry carries. */
export const GP2GP_INTERACTIONS = [
  'RCMR_IN010000UK05',
  'RCMR_IN030000UK06',
  'RCMR_IN030000UK07',
  'COPC_IN000001UK01',
  'MCCI_IN010000UK13',
] as const;
