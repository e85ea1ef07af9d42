/** What `gp2gp simulate` is asked to do; everything but `patients` has a default. */
export interface SimulationOptions {
  /** Patients registered at the new practice, each one transfer. */
  readonly patients: number;
  /**
   * Each record's documents: the median synthetic record's own (47, about 10 MB) when absent, otherwise
   * `count` documents of `bytes` bytes each.
   */
  readonly documents?: { readonly count: number; readonly bytes: number };
  /** Share of Spine messages the simulator faults (0..1), spread evenly over its fault kinds. */
  readonly faultRate?: number;
  /** Transfers in flight at once (default: {@link concurrencyOf}). */
  readonly concurrency?: number;
  /** Seed of the synthetic patients, records and faults (default 1). */
  readonly seed?: number;
  /** PostgreSQL for the practices' store instead of PGlite in a temporary folder. */
  readonly databaseUrl?: string;
  /** Engine processes sharing `databaseUrl` (default 1: the engine runs in this process). */
  readonly engines?: number;
  /** How long one transfer may take, registration to final acknowledgement, before it counts as failed, in ms. */
  readonly transferTimeoutMs?: number;
  /**
   * Where the run keeps Spine's certificates, the practices' PGlite database and documents, left in place at the
   * end (default a temporary folder, removed).
   */
  readonly dataDir?: string;
  /** Aborted: no more patients are registered, waits end, and the run reports what the databases hold. */
  readonly signal?: AbortSignal;
  /** Told how far the run has got (progress for a terminal). */
  readonly onProgress?: (progress: SimulationProgress) => void;
}

/** How far a run has got. */
export interface SimulationProgress {
  readonly phase: 'seeding' | 'transferring';
  readonly done: number;
  readonly total: number;
  readonly inFlight: number;
  readonly failed: number;
}

/**
 * Transfers in flight at once per engine process when not told. Measured on two cores, a second transfer in
 * flight per process adds ~10% throughput and triples p50 (npm run bench: 0.61 vs 0.68 transfers/s, p50 1.6 s vs
 * 5.8 s on PGlite): beyond one, transfers only queue behind the CPU, a median record being ~70 messages.
 */
export const DEFAULT_CONCURRENCY_PER_ENGINE = 1;

/** Transfers in flight for a run: as asked, or one per engine process. */
export function concurrencyOf(o: Pick<SimulationOptions, 'concurrency' | 'engines'>): number {
  return o.concurrency ?? DEFAULT_CONCURRENCY_PER_ENGINE * (o.engines ?? 1);
}

/** A transfer's deadline when not told: generous, so only a stuck transfer misses it. */
export const DEFAULT_TRANSFER_TIMEOUT_MS = 300_000;

/** Documents of a record when only one of `--attachments` and `--attachment-kb` is given: the median's. */
export const MEDIAN_DOCUMENTS = { count: 47, bytes: 213 * 1024 } as const;

/**
 * The options' problems, as messages fit for a command line (empty when there are none).
 *
 * @example
 * simulationProblems({ patients: 0 }) // ['patients must be 1 to 100000']
 */
export function simulationProblems(o: SimulationOptions): string[] {
  const problems: string[] = [];
  const whole = (v: number | undefined, name: string, min: number, max: number): void => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max))
      problems.push(`${name} must be ${min} to ${max}`);
  };
  whole(o.patients, 'patients', 1, 100_000);
  whole(o.documents?.count, 'attachments', 0, 1_500);
  whole(o.documents?.bytes, 'attachment size', 0, 500 * 1024 * 1024);
  whole(o.concurrency, 'concurrency', 1, 1_000);
  whole(o.seed, 'seed', 0, 1_000_000_000);
  whole(o.engines, 'engines', 1, 16);
  if (o.faultRate !== undefined && !(o.faultRate >= 0 && o.faultRate <= 1))
    problems.push('faults must be a rate from 0 to 1');
  if (o.transferTimeoutMs !== undefined && !(o.transferTimeoutMs > 0))
    problems.push('the transfer timeout must be positive');
  if ((o.engines ?? 1) > 1 && !o.databaseUrl)
    problems.push(
      'more than one engine needs --database-url: engine processes share a PostgreSQL (PGlite is one process’s)',
    );
  return problems;
}
