/**
 * The engine's tunable numbers. Protocol timers follow `docs/protocol.md#timers`; the rest are how hard the
 * workers run. Every field has a default; tests shrink the waits and drive time with a manual clock.
 */
export interface EngineSettings {
  /** `A` in the requester's timeout: A × persistDuration(extract) + B × parts × persistDuration(COPC). */
  readonly extractTimeoutWeight: number;
  /** `B` in the same formula. */
  readonly copcTimeoutWeight: number;
  /** How long the old practice waits for the final acknowledgement before the transfer has failed (8 days). */
  readonly finalAckTimeoutMs: number;
  /** Local end of the working day (hours, minutes): a request still unanswered then is flagged. */
  readonly workingDayEnds: { readonly hour: number; readonly minute: number };
  /** How often each worker looks for due work when nothing woke it, in ms. */
  readonly pollIntervalMs: number;
  /**
   * How long a claimed row is this process's before another may take it over, in ms: what a crash costs. A
   * process renews the leases of what it still holds every third of this, so long work keeps its rows.
   */
  readonly leaseMs: number;
  /** Messages sent at once per process. */
  readonly sendConcurrency: number;
  /** Bytes of messages being built and sent at once per process (large-message parts are ~4.5 MB each). */
  readonly sendBudgetBytes: number;
  /** Inbound messages applied at once per process. */
  readonly applyConcurrency: number;
  /** Deferred steps run at once per process. */
  readonly stepConcurrency: number;
  /** Longest one send attempt may take, in ms. */
  readonly attemptTimeoutMs: number;
  /** How often a process prunes forgotten MessageIds and abandoned document uploads, in ms. */
  readonly maintenanceIntervalMs: number;
  /** Wait before retrying a step that failed for a reason that may pass (PDS or a record source down), in ms. */
  readonly stepRetryMs: number;
  /** How many times a failing step or inbound message is retried before the transfer fails with reason 99. */
  readonly maxStepAttempts: number;
}

/** The defaults: the protocol's own figures where it has them. */
export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  extractTimeoutWeight: 1,
  copcTimeoutWeight: 1,
  finalAckTimeoutMs: 8 * 24 * 3600 * 1000,
  workingDayEnds: { hour: 18, minute: 30 },
  pollIntervalMs: 250,
  leaseMs: 30_000,
  sendConcurrency: 16,
  sendBudgetBytes: 64 * 1024 * 1024,
  applyConcurrency: 4,
  stepConcurrency: 2,
  attemptTimeoutMs: 120_000,
  stepRetryMs: 30_000,
  maintenanceIntervalMs: 3_600_000,
  maxStepAttempts: 10,
};

/**
 * Settings with the given overrides.
 *
 * @example
 * engineSettings({ pollIntervalMs: 50 }).finalAckTimeoutMs // 691_200_000
 */
export function engineSettings(overrides: Partial<EngineSettings> = {}): EngineSettings {
  return { ...DEFAULT_ENGINE_SETTINGS, ...overrides };
}
