import type { GpRegistration } from '../pds/pds-types.ts';

/**
 * What the Spine simulator keeps across a restart: endpoints practices registered, PDS registration changes, and
 * the MessageIds it has logged (so a message resent after a restart is not logged twice). In memory for tests
 * and throwaway runs ({@link InMemorySimulatorState}); in the store's `spine_*` tables for `gp2gp spine`
 * (`DatabaseSimulatorState`).
 *
 * @example
 * const spine = await SpineSimulator.start({ dataDir, state: new DatabaseSimulatorState(store.db) });
 */
export interface SimulatorState {
  /** Every registered endpoint, by ODS code. */
  endpoints(): Promise<ReadonlyMap<string, string>>;
  /** Records a practice's endpoint (replacing any earlier one). */
  saveEndpoint(ods: string, endpoint: string, at: Date): Promise<void>;
  /** Every changed registration history, by NHS number. */
  registrations(): Promise<ReadonlyMap<string, readonly GpRegistration[]>>;
  /**
   * Records a patient's registration history at `version`, only over an older one: false when a version as new
   * is already saved (another change won the race).
   */
  saveRegistrations(
    nhsNumber: string,
    version: number,
    registrations: readonly GpRegistration[],
    at: Date,
  ): Promise<boolean>;
  /** Claims `messageId` for the message log: true the first time, false for every copy after. */
  claimLogged(messageId: string, at: Date): Promise<boolean>;
}

/** Options for {@link InMemorySimulatorState}. */
export interface InMemorySimulatorStateOptions {
  /** Most logged MessageIds remembered; past it the oldest are forgotten (default 200,000). */
  readonly maxLoggedIds?: number;
}

/** {@link SimulatorState} in maps: gone when the process ends. */
export class InMemorySimulatorState implements SimulatorState {
  private readonly endpointsByOds = new Map<string, string>();
  private readonly histories = new Map<
    string,
    { version: number; registrations: readonly GpRegistration[] }
  >();
  private readonly logged = new Set<string>();
  private readonly maxLoggedIds: number;

  constructor(options: InMemorySimulatorStateOptions = {}) {
    this.maxLoggedIds = options.maxLoggedIds ?? 200_000;
  }

  async endpoints(): Promise<ReadonlyMap<string, string>> {
    return new Map(this.endpointsByOds);
  }

  async saveEndpoint(ods: string, endpoint: string): Promise<void> {
    this.endpointsByOds.set(ods, endpoint);
  }

  async registrations(): Promise<ReadonlyMap<string, readonly GpRegistration[]>> {
    return new Map([...this.histories].map(([nhs, h]) => [nhs, h.registrations]));
  }

  async saveRegistrations(
    nhsNumber: string,
    version: number,
    registrations: readonly GpRegistration[],
  ): Promise<boolean> {
    if ((this.histories.get(nhsNumber)?.version ?? 0) >= version) return false;
    this.histories.set(nhsNumber, { version, registrations });
    return true;
  }

  async claimLogged(messageId: string): Promise<boolean> {
    const key = messageId.toUpperCase();
    if (this.logged.has(key)) return false;
    if (this.logged.size >= this.maxLoggedIds) {
      const oldest = this.logged.values().next().value;
      if (oldest !== undefined) this.logged.delete(oldest);
    }
    this.logged.add(key);
    return true;
  }
}
