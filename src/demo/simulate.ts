import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { count } from 'drizzle-orm';
import { evenFaultPlan, SpineSimulator, samplePractice } from '../spine/index.ts';
import { GP2GP_INTERACTIONS } from '../spine/sds/sds-types.ts';
import type { FaultCounts } from '../spine/simulator/fault-injector.ts';
import { openStore, type Store, schema } from '../store/index.ts';
import { type TransferCommands, TransferEngine } from '../transfer/index.ts';
import { auditSimulation, percentile } from './simulation-audit.ts';
import { EngineProcesses } from './simulation-engines.ts';
import {
  concurrencyOf,
  DEFAULT_TRANSFER_TIMEOUT_MS,
  type SimulationOptions,
  simulationProblems,
} from './simulation-options.ts';
import { seedRecords } from './simulation-records.ts';
import { TransferWatcher } from './simulation-watcher.ts';

/** The new practice (registers the patients, requests and integrates) and the old one (holds and sends). */
export const NEW_PRACTICE = 'SIMNEW';
export const OLD_PRACTICE = 'SIMOLD';

/** The report `gp2gp simulate --json` prints, key for key (DESIGN.md §5). */
export interface SimulationReport {
  readonly transfers: number;
  readonly completed: number;
  readonly failed: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Registration to ready-to-integrate, median and 95th percentile, in ms; null where none got there. */
  readonly p50_ms: number | null;
  readonly p95_ms: number | null;
  /** Attachment bytes moved: the documents received with the integrated records. */
  readonly bytes: number;
  /** Peak resident memory of this process plus the engine processes' peaks. */
  readonly peak_rss_mb: number;
}

/** A run's report and what else it measured. */
export interface SimulationResult {
  readonly report: SimulationReport;
  /** From the first registration to the last transfer's end, in ms. */
  readonly elapsedMs: number;
  /** Filing the records at the old practice, before the clock of the run starts, in ms. */
  readonly seedMs: number;
  readonly database: 'pglite' | 'postgres';
  readonly engines: number;
  /** Bytes of the documents filed at the old practice. */
  readonly seededBytes: number;
  readonly faults: FaultCounts;
  /** What went wrong, transfer by transfer (the first few). */
  readonly problems: readonly string[];
}

// Spine's reliability for the simulated practices: retries a second apart, so a faulted message costs
// seconds, within a persist duration long enough to outlast any run of faults.
const RELIABILITY = { persistDurationSeconds: 600, retries: 60, retryIntervalSeconds: 1 };
const MAX_PROBLEMS = 10;

/**
 * Runs a Spine simulator and two practices, transfers `patients` synthetic records from the old practice to the
 * new one over HTTPS with mutual TLS, integrates each, and counts what the databases hold at the end.
 *
 * @example
 * const { report } = await runSimulation({ patients: 5, documents: { count: 2, bytes: 8192 } });
 * report.completed // 5
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationResult> {
  const problems = simulationProblems(options);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  const seed = options.seed ?? 1;
  const engineCount = options.engines ?? 1;
  const dir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'gp2gp-simulate-')));
  const stops: (() => unknown)[] = options.dataDir ? [] : [() => rm(dir, { recursive: true, force: true })];
  try {
    const interactions = Object.fromEntries(GP2GP_INTERACTIONS.map((i) => [i, RELIABILITY]));
    const spine = await SpineSimulator.start({
      dataDir: join(dir, 'spine'),
      practices: [
        samplePractice(NEW_PRACTICE, 1, { interactions }),
        samplePractice(OLD_PRACTICE, 2, { interactions }),
      ],
      logFile: false,
      ...(options.faultRate ? { faults: evenFaultPlan(options.faultRate, seed) } : {}),
    });
    stops.unshift(() => spine.stop());
    const documentsDir = join(dir, 'documents');
    const store = await openStore({
      dataDir: join(dir, 'practices'),
      database: options.databaseUrl ? { kind: 'postgres', url: options.databaseUrl } : { kind: 'pglite' },
      documentsDir,
    });
    stops.unshift(() => store.close());
    await refuseUsedDatabase(store);

    const seedStarted = Date.now();
    const progress = (phase: 'seeding' | 'transferring', done: number, inFlight = 0, failed = 0) =>
      options.onProgress?.({ phase, done, total: options.patients, inFlight, failed });
    const seeded = await seedRecords(store, {
      seed,
      count: options.patients,
      practiceOds: OLD_PRACTICE,
      ...(options.documents ? { documents: options.documents } : {}),
      onSeeded: (done) => progress('seeding', done),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    spine.pds.load(seeded.patients);
    const seedMs = Date.now() - seedStarted;

    const practices = [NEW_PRACTICE, OLD_PRACTICE].map((ods) => ({ ods, identity: spine.identityFor(ods) }));
    let commands: TransferCommands;
    let watcher: TransferWatcher;
    let children: EngineProcesses | undefined;
    if (engineCount === 1) {
      const engine = await TransferEngine.start({
        store,
        spine: spine.urls,
        practices,
        registerEndpoint: async (p, url) => {
          const registered = await spine.registerEndpoint(p.ods, url);
          if (registered.kind !== 'registered') throw new Error(`Spine refused ${p.ods}'s endpoint`);
        },
      });
      stops.unshift(() => engine.stop());
      commands = engine.commands;
      // This process moves the transfers: its announcements say when to look, the poll is a safety net.
      watcher = new TransferWatcher(store.db, { sendingOds: OLD_PRACTICE, pollMs: 1_000 });
      engine.on('transition', (t) => {
        if (t.to === 'ready-to-integrate' || t.role === 'sending') watcher.nudge();
      });
    } else {
      children = await EngineProcesses.start({
        count: engineCount,
        practices: [NEW_PRACTICE, OLD_PRACTICE],
        spineUrl: spine.url,
        certsDir: join(dir, 'spine', 'certs'),
        databaseUrl: options.databaseUrl!,
        documentsDir,
        dataDir: join(dir, 'engines'),
      });
      const engines = children;
      stops.unshift(() => engines.stop());
      // Each practice's inbound traffic goes to a different process; any process works any row.
      for (const [k, p] of practices.entries())
        await spine.registerEndpoint(p.ods, children.endpointFor(p.ods, k));
      const front = await TransferEngine.start({ store, spine: spine.urls, practices, serve: false });
      stops.unshift(() => front.stop());
      commands = front.commands;
      watcher = new TransferWatcher(store.db, { sendingOds: OLD_PRACTICE, pollMs: 100 });
    }
    stops.unshift(() => watcher.stop());

    const startedAt = new Map<string, number>();
    const notes: string[] = [];
    const note = (nhs: string, what: string) =>
      void (notes.length < MAX_PROBLEMS && notes.push(`${nhs}: ${what}`));
    const timeout = options.transferTimeoutMs ?? DEFAULT_TRANSFER_TIMEOUT_MS;
    let done = 0;
    let failed = 0;
    let inFlight = 0;
    /** One patient's journey; what went wrong, or undefined when the transfer completed. */
    const drive = async (nhs: string): Promise<string | undefined> => {
      const started = Date.now();
      startedAt.set(nhs, started);
      const deadline = started + timeout;
      const asked = await commands.requestRecord({
        practiceOds: NEW_PRACTICE,
        nhsNumber: nhs,
        actor: 'simulate',
      });
      if (asked.kind !== 'requested') return `request ${asked.kind}: ${asked.message}`;
      const ready = await watcher.untilReady(asked.transfer.id, deadline);
      if (ready.state !== 'ready-to-integrate') return `requesting transfer ${ready.state}`;
      const by = { practiceOds: NEW_PRACTICE, transferId: asked.transfer.id, actor: 'simulate' };
      const integrated = await commands.integrate(by);
      if (integrated.kind !== 'done') return `integrate ${integrated.reason}: ${integrated.message}`;
      const sent = await watcher.untilSent(asked.transfer.conversationId, deadline);
      if (sent.state !== 'completed') return `sending transfer ${sent.state}`;
      return undefined;
    };
    const queue = options.signal?.aborted ? [] : seeded.patients.map((p) => p.nhsNumber);
    const abandon = () => {
      queue.length = 0;
      watcher.stop();
    };
    options.signal?.addEventListener('abort', abandon, { once: true });
    stops.unshift(() => options.signal?.removeEventListener('abort', abandon));
    const runStarted = Date.now();
    const worker = async (): Promise<void> => {
      for (let nhs = queue.shift(); nhs; nhs = queue.shift()) {
        inFlight++;
        progress('transferring', done, inFlight, failed);
        let problem: string | undefined;
        try {
          problem = await drive(nhs);
        } catch (e) {
          problem = e instanceof Error ? e.message : String(e);
        }
        inFlight--;
        done++;
        if (problem !== undefined) {
          failed++;
          note(nhs, options.signal?.aborted ? `${problem} (the run was stopped)` : problem);
        }
        progress('transferring', done, inFlight, failed);
      }
    };
    const workers = Math.min(concurrencyOf(options), options.patients);
    await Promise.all(Array.from({ length: workers }, worker));
    const elapsedMs = Date.now() - runStarted;

    const audit = await auditSimulation(store.db, {
      newOds: NEW_PRACTICE,
      oldOds: OLD_PRACTICE,
      nhsNumbers: seeded.patients.map((p) => p.nhsNumber),
    });
    const latencies = [...audit.readyAt].map(([nhs, at]) => at.getTime() - startedAt.get(nhs)!);
    const childKb = children?.peakRssKb() ?? 0;
    return {
      report: {
        transfers: audit.transfers,
        completed: audit.completed,
        failed: audit.failed,
        lost: audit.lost,
        duplicated: audit.duplicated,
        p50_ms: percentile(latencies, 0.5),
        p95_ms: percentile(latencies, 0.95),
        bytes: audit.bytes,
        peak_rss_mb: Math.round((process.resourceUsage().maxRSS + childKb) / 1024),
      },
      elapsedMs,
      seedMs,
      database: store.kind === 'postgres' ? 'postgres' : 'pglite',
      engines: engineCount,
      seededBytes: seeded.documentBytes,
      faults: spine.faults.stats(),
      problems: notes,
    };
  } finally {
    for (const stop of stops) await stop();
  }
}

/** A database that already holds transfers would blur the count of lost and duplicated ones: refused. */
async function refuseUsedDatabase(store: Store): Promise<void> {
  const [row] = await store.db.select({ n: count() }).from(schema.transfers);
  if ((row?.n ?? 0) > 0)
    throw new Error(
      `the database already holds ${row?.n} transfers: give simulate an empty database (it counts lost and duplicated transfers from what the database holds)`,
    );
}
