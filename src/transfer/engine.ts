import { EventEmitter } from 'node:events';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { type Clock, systemClock } from '../common/clock.ts';
import {
  type InboundDelivery,
  MhsInboundEndpoint,
  MhsOutboundClient,
  PdsClient,
  SdsClient,
  type SpineDirectory,
  spineAgent,
  type TlsIdentity,
} from '../spine/index.ts';
import { PDS_BASE_PATH } from '../spine/pds/pds-routes.ts';
import { SDS_BASE_PATH } from '../spine/sds/sds-routes.ts';
import type { Store } from '../store/index.ts';
import { TransferCommands } from './commands.ts';
import type { EngineContext, HostedPractice } from './engine-context.ts';
import { type EngineSettings, engineSettings } from './engine-settings.ts';
import { applyInbound, claimInbound, renewInboundLease } from './inbound/inbox.ts';
import { receiveMessage } from './inbound/receive.ts';
import { DEFAULT_POLICY, type LargeMessagePolicy } from './large-message/index.ts';
import { claimOutbound, renewOutboundLease, sendOutbound } from './outbound/outbox.ts';
import { SendBudget } from './outbound/send-budget.ts';
import { upsertPractice } from './practice-settings.ts';
import { PracticeRecordStore } from './records/practice-record-store.ts';
import type { RecordSource } from './records/record-source.ts';
import { PracticeRecordSources, type RecordSourceChoice } from './records/record-source-choice.ts';
import { claimTimers, fireTimer, renewTimerLease } from './timers/timers.ts';
import { type CommitEffects, TransferTx, type TransitionNotice } from './transfer-tx.ts';
import { WorkLoop } from './work-loop.ts';

/** A practice to host: its ODS code and the certificate it presents (absent only with TLS switched off). */
export interface EnginePractice {
  readonly ods: string;
  readonly identity: TlsIdentity | undefined;
}

/** Where Spine's services are: the MHS forward-reliable URL, PDS and SDS. */
export interface SpineUrls {
  readonly mhs: string;
  readonly pds: string;
  readonly sds: string;
}

/**
 * The service URLs of a Spine at `base` (the simulator's layout).
 *
 * @example
 * spineUrls('https://127.0.0.1:8443').pds // 'https://127.0.0.1:8443/personal-demographics/FHIR/R4'
 */
export function spineUrls(base: string): SpineUrls {
  const root = base.replace(/\/+$/, '');
  return {
    mhs: `${root}/reliablemessaging/forwardreliable`,
    pds: root + PDS_BASE_PATH,
    sds: root + SDS_BASE_PATH,
  };
}

/** Options for {@link TransferEngine.start}. */
export interface EngineOptions {
  /** The open store: database and documents (shared by every engine process on PostgreSQL). */
  readonly store: Store;
  readonly spine: SpineUrls;
  readonly practices: readonly EnginePractice[];
  readonly clock?: Clock;
  readonly settings?: Partial<EngineSettings>;
  readonly largeMessages?: LargeMessagePolicy;
  /**
   * Where sending practices' records come from: one source for every practice, or a choice per practice
   * (a clinical system over GP Connect for some, say); default and fallback the built-in practice record store.
   */
  readonly records?: RecordSource | RecordSourceChoice;
  /** Interface the practices' MHS endpoints listen on (default 127.0.0.1, each on a free port). */
  readonly host?: string;
  /** Tells Spine where a practice's endpoint is (the simulator's admin route); not needed where SDS is fixed. */
  readonly registerEndpoint?: (practice: EnginePractice, url: string) => Promise<void>;
  /** Told of errors the workers met (default: written to stderr). */
  readonly onError?: (error: unknown) => void;
  /**
   * False: commands and queries only, no endpoints and no workers (a web server or a script beside engine
   * processes that do the work). Default true.
   */
  readonly serve?: boolean;
}

/** A state change of a transfer, as the engine announces it. */
export type EngineEvent = TransitionNotice;

/**
 * The transfer engine: one process hosting any number of practices, each with its MHS endpoint, working the
 * shared tables (inbound messages, outbound messages, timers) with leases so that any number of processes can
 * share one database and any of them can be killed at any point. Commands and queries are in `commands.ts` and
 * `queries.ts`; this class runs the machinery.
 *
 * @example
 * const engine = await TransferEngine.start({ store, spine: spineUrls('https://127.0.0.1:8443'), practices });
 * engine.on('transition', (e) => console.log(e.transferId, e.to));
 * await engine.stop();
 */
export class TransferEngine extends EventEmitter<{ transition: [EngineEvent]; quiet: [] }> {
  readonly context: EngineContext;
  /** Register, integrate, reject, post the Lloyd George envelope… */
  readonly commands: TransferCommands;
  readonly endpoints: ReadonlyMap<string, MhsInboundEndpoint>;
  private readonly loops: readonly WorkLoop<unknown>[];
  private readonly agents: readonly (HttpAgent | HttpsAgent)[];
  private receiving = 0;

  private constructor(
    context: EngineContext,
    endpoints: ReadonlyMap<string, MhsInboundEndpoint>,
    loops: readonly WorkLoop<unknown>[],
    agents: readonly (HttpAgent | HttpsAgent)[],
  ) {
    super();
    this.context = context;
    this.commands = new TransferCommands(context);
    this.endpoints = endpoints;
    this.loops = loops;
    this.agents = agents;
  }

  /** Looks the practices up in SDS, opens their endpoints and starts the workers. */
  static async start(options: EngineOptions): Promise<TransferEngine> {
    const clock = options.clock ?? systemClock;
    const serving = options.serve !== false;
    const settings = engineSettings(options.settings);
    const onError =
      options.onError ?? ((e: unknown) => process.stderr.write(`gp2gp engine: ${describe(e)}\n`));
    const agents = options.practices.map((p) => spineAgent(p.identity));
    const directory: SpineDirectory = new SdsClient({
      baseUrl: options.spine.sds,
      agent: agents[0] ?? spineAgent(undefined),
    });
    const hosted = new Map<string, HostedPractice>();
    const endpoints = new Map<string, MhsInboundEndpoint>();
    const db = options.store.db;
    const practiceRecords = new PracticeRecordStore(db, options.store.documents);
    const choose = typeof options.records === 'function' ? options.records : undefined;
    const chosenSources = choose ? new PracticeRecordSources(practiceRecords) : undefined;
    let engine: TransferEngine | undefined;
    const context: EngineContext = {
      db,
      documents: options.store.documents,
      clock,
      settings,
      largeMessages: options.largeMessages ?? DEFAULT_POLICY,
      directory,
      records: chosenSources ?? (options.records as RecordSource | undefined) ?? practiceRecords,
      sendBudget: new SendBudget(settings.sendBudgetBytes),
      practiceRecords,
      practice: (ods) => hosted.get(ods),
      newId: () => crypto.randomUUID().toUpperCase(),
      transaction: (work) =>
        runTransaction(db, clock, serving ? settings.leaseMs : undefined, work, (effects) =>
          engine?.afterCommit(effects),
        ),
    };
    const ods = () => [...hosted.keys()];
    const loops: WorkLoop<unknown>[] = [
      new WorkLoop({
        name: 'outbox',
        clock,
        pollIntervalMs: settings.pollIntervalMs,
        concurrency: settings.sendConcurrency,
        claim: (n) => claimOutbound(context, ods(), n),
        run: (row) => sendOutbound(context, row),
        renew: (row) => renewOutboundLease(context, row),
        renewEveryMs: settings.leaseMs / 3,
        onError: (e) => onError(e),
        onQuietChange: () => engine?.checkQuiet(),
      }) as WorkLoop<unknown>,
      new WorkLoop({
        name: 'inbox',
        clock,
        pollIntervalMs: settings.pollIntervalMs,
        concurrency: settings.applyConcurrency,
        claim: (n) => claimInbound(context, ods(), n),
        run: (row) => applyInbound(context, row),
        renew: (row) => renewInboundLease(context, row),
        renewEveryMs: settings.leaseMs / 3,
        onError: (e) => onError(e),
        onQuietChange: () => engine?.checkQuiet(),
      }) as WorkLoop<unknown>,
      new WorkLoop({
        name: 'timers',
        clock,
        pollIntervalMs: settings.pollIntervalMs,
        concurrency: settings.stepConcurrency,
        claim: (n) => claimTimers(context, ods(), n),
        run: (timer) => fireTimer(context, timer),
        renew: (timer) => renewTimerLease(context, timer),
        renewEveryMs: settings.leaseMs / 3,
        onError: (e) => onError(e),
        onQuietChange: () => engine?.checkQuiet(),
      }) as WorkLoop<unknown>,
      maintenanceLoop(context, options.store, onError, () => engine?.checkQuiet()),
    ];
    try {
      for (const [i, p] of options.practices.entries()) {
        const agent = agents[i]!;
        const found = await directory.byOds(p.ods);
        if (found.kind !== 'found') {
          throw new Error(
            `practice ${p.ods}: ${found.kind === 'unavailable' ? `SDS unavailable (${found.message})` : 'not in SDS'}`,
          );
        }
        const entry = found.entry;
        await upsertPractice(db, entry, new Date(clock.now()));
        const practice: HostedPractice = {
          ods: entry.ods,
          asid: entry.asid,
          partyKey: entry.partyKey,
          name: entry.name,
          supplier: entry.supplier,
          address: { asid: entry.asid, ods: entry.ods },
          outbound: new MhsOutboundClient({
            spineUrl: options.spine.mhs,
            agent,
            fromPartyKey: entry.partyKey,
            clock,
          }),
          pds: new PdsClient({ baseUrl: options.spine.pds, agent }),
        };
        hosted.set(entry.ods, practice);
        const source = (url: string | undefined) => {
          const chosen = choose?.(practice, url);
          if (chosen) chosenSources?.use(entry.ods, chosen);
        };
        if (options.serve === false) {
          source(undefined);
          continue;
        }
        const endpoint = await MhsInboundEndpoint.start({
          party: { ods: entry.ods, partyKey: entry.partyKey, asid: entry.asid },
          identity: p.identity,
          seen: options.store.seenMessageIds,
          directory,
          onMessage: (d) => engine!.receive(practice, d),
          ...(options.host ? { host: options.host } : {}),
        });
        endpoints.set(entry.ods, endpoint);
        source(endpoint.url);
        await options.registerEndpoint?.(p, endpoint.url);
      }
    } catch (e) {
      for (const endpoint of endpoints.values()) await endpoint.close();
      for (const a of agents) a.destroy();
      throw e;
    }
    engine = new TransferEngine(context, endpoints, options.serve === false ? [] : loops, agents);
    for (const loop of engine.loops) loop.start();
    return engine;
  }

  /** True when no worker has anything in hand or due, and no message is being received. */
  get quiet(): boolean {
    return this.receiving === 0 && this.loops.every((l) => l.quiet);
  }

  /**
   * Resolves once the engine is quiet: every due row worked and no message arriving. With a manual clock,
   * advance it and then wait for this to let every timer and retry that fell due run to the end.
   */
  async settled(): Promise<void> {
    for (const loop of this.loops) loop.wake();
    while (!this.quiet) await new Promise<void>((resolve) => this.once('quiet', () => resolve()));
  }

  /** Asks every worker to look for due work now (after another process changed the tables, say). */
  wake(): void {
    for (const loop of this.loops) loop.wake();
  }

  /** Stops the workers (waiting for what they hold), closes the endpoints and connection pools. */
  async stop(): Promise<void> {
    await Promise.all(this.loops.map((l) => l.stop()));
    for (const endpoint of this.endpoints.values()) await endpoint.close();
    for (const a of this.agents) a.destroy();
  }

  private async receive(practice: HostedPractice, delivery: InboundDelivery): Promise<void> {
    this.receiving++;
    try {
      const row = await receiveMessage(this.context, practice, delivery);
      if (row) this.loops[1]?.offer([row]);
    } finally {
      this.receiving--;
      this.checkQuiet();
    }
  }

  private afterCommit(effects: CommitEffects): void {
    this.loops[0]?.offer(effects.queued);
    if (effects.timerDueNow) this.loops[2]?.wake();
    for (const t of effects.transitions) this.emit('transition', t);
  }

  private checkQuiet(): void {
    if (this.quiet) this.emit('quiet');
  }
}

/**
 * Housekeeping on a timer of its own: MessageIds past their persist duration are forgotten, and uploads a
 * crashed writer abandoned are removed. Every process does it; the work is idempotent.
 */
function maintenanceLoop(
  ctx: EngineContext,
  store: Store,
  onError: (e: unknown) => void,
  onQuietChange: () => void,
): WorkLoop<unknown> {
  let next = ctx.clock.now() + ctx.settings.maintenanceIntervalMs;
  return new WorkLoop<number>({
    name: 'maintenance',
    clock: ctx.clock,
    pollIntervalMs: ctx.settings.pollIntervalMs,
    concurrency: 1,
    claim: async () => (ctx.clock.now() >= next ? [next] : []),
    run: async () => {
      next = ctx.clock.now() + ctx.settings.maintenanceIntervalMs;
      while ((await store.seenMessageIds.prune(10_000)) === 10_000) {}
      await store.documents.prune?.();
    },
    onError: (e) => onError(e),
    onQuietChange,
  }) as WorkLoop<unknown>;
}

async function runTransaction<T>(
  db: Store['db'],
  clock: Clock,
  leaseMs: number | undefined,
  work: (t: TransferTx) => Promise<T>,
  after: (effects: CommitEffects) => void,
): Promise<T> {
  const effects: CommitEffects = { transitions: [], queued: [], timerDueNow: false };
  const result = await db.transaction((tx) =>
    work(new TransferTx(tx, new Date(clock.now()), effects, leaseMs)),
  );
  after(effects);
  return result;
}

function describe(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}
