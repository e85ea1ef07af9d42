import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Clock, systemClock } from '../../common/clock.ts';
import { DevPki } from '../certs/dev-pki.ts';
import { spineAgent } from '../http/agents.ts';
import { type ResolvedServerLimits, resolveServerLimits, type ServerLimits } from '../http/server-limits.ts';
import { createSpineFastify, pathOf, replyNotFound, type SpineFastify } from '../http/spine-fastify.ts';
import { PdsRegistry, versionOf } from '../pds/pds-registry.ts';
import { isPdsPatientPath, PDS_BASE_PATH, registerPdsRoutes, replyPdsBadPath } from '../pds/pds-routes.ts';
import type { PdsPatientRecord } from '../pds/pds-types.ts';
import { SdsDirectory } from '../sds/sds-directory.ts';
import { isSdsPracticePath, registerSdsRoutes, replySdsBadPath, SDS_BASE_PATH } from '../sds/sds-routes.ts';
import type { PracticeDirectoryEntry } from '../sds/sds-types.ts';
import { SPINE_PEER_NAME, type TlsIdentity, type TlsMode } from '../tls/tls-identity.ts';
import { type EndpointRegistration, registerControlRoutes } from './control-routes.ts';
import { FaultInjector, type FaultPlan } from './fault-injector.ts';
import { MhsRouter } from './mhs-router.ts';
import { InMemorySimulatorState, type SimulatorState } from './simulator-state.ts';
import { SpineMessageLog } from './spine-message-log.ts';

/** Options for {@link SpineSimulator.start}. */
export interface SpineSimulatorOptions {
  /** Folder for certificates and the message log (created when absent). */
  readonly dataDir: string;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** `mutual` (default): every caller needs a certificate from the simulator's CA. */
  readonly tls?: TlsMode;
  readonly practices?: readonly PracticeDirectoryEntry[];
  readonly patients?: readonly PdsPatientRecord[];
  readonly faults?: FaultPlan;
  /** Spine message log CSV (default `<dataDir>/spine-message-log.csv`); `false` writes none. */
  readonly logFile?: string | false;
  /** Longest a forward to a practice endpoint may take, in ms of real time (default 30 s). */
  readonly forwardTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  /**
   * Time for fault holds, log times and PDS registration dates (default the system clock). Certificates and
   * socket timeouts stay on real time: TLS checks certificates against the machine's clock.
   */
  readonly clock?: Clock;
  /** Connection cap, socket timeouts and the memory budget for bodies in flight (default 4096 connections, else as {@link ServerLimits}). */
  readonly limits?: ServerLimits;
  /**
   * Where registered endpoints, PDS registration changes and logged MessageIds are kept (default in memory:
   * gone at exit). `gp2gp spine` keeps them in the store, so they survive a crash.
   */
  readonly state?: SimulatorState;
}

export type { EndpointRegistration } from './control-routes.ts';

/** The paths of the MHS forward-reliable route (Spine uses both names). */
export const MHS_PATHS: readonly string[] = [
  '/reliablemessaging/forwardreliable',
  '/reliablemessaging/reliablerequest',
];

/** Certificate name allowed to use the `/_admin` routes for faults and other practices' endpoints. */
export const ADMIN_NAME = 'admin';

/**
 * Spine on one machine: PDS (FHIR Patient), SDS (practice directory) and the MHS hub that routes ebXML
 * messages between practice endpoints, over one HTTPS port with mutual TLS, certificates made on first run.
 *
 * @example
 * const spine = await SpineSimulator.start({ dataDir: '.data/spine', practices, patients });
 * const practice = spine.identityFor('SIMA01'); // key + cert + CA for a practice adaptor
 * await spine.stop();
 */
export class SpineSimulator {
  readonly pki: DevPki | undefined;
  readonly directory: SdsDirectory;
  readonly pds: PdsRegistry;
  readonly faults: FaultInjector;
  readonly log: SpineMessageLog | undefined;
  readonly router: MhsRouter;
  readonly clock: Clock;
  private readonly limits: ResolvedServerLimits;
  private readonly state: SimulatorState;
  private readonly app: SpineFastify;
  private readonly agent: ReturnType<typeof spineAgent>;
  private address = '';

  private constructor(parts: {
    pki: DevPki | undefined;
    directory: SdsDirectory;
    pds: PdsRegistry;
    faults: FaultInjector;
    log: SpineMessageLog | undefined;
    router: MhsRouter;
    clock: Clock;
    limits: ResolvedServerLimits;
    state: SimulatorState;
    own: TlsIdentity | undefined;
    agent: ReturnType<typeof spineAgent>;
  }) {
    this.pki = parts.pki;
    this.directory = parts.directory;
    this.pds = parts.pds;
    this.faults = parts.faults;
    this.log = parts.log;
    this.router = parts.router;
    this.clock = parts.clock;
    this.limits = parts.limits;
    this.state = parts.state;
    this.agent = parts.agent;
    this.app = createSpineFastify(parts.own, parts.limits, {
      onBadPath: (request, reply) => {
        // a path Fastify cannot decode reaches no route: answered as the service it names would
        const path = pathOf(request);
        if (isPdsPatientPath(path)) replyPdsBadPath(request, reply, path);
        else if (isSdsPracticePath(path)) replySdsBadPath(request, reply);
        else replyNotFound(request, reply);
      },
    });
    this.routes();
  }

  /** Where it listens, e.g. `https://127.0.0.1:8443`. */
  get url(): string {
    return this.address;
  }

  /** Creates certificates where needed, binds the port and starts serving. */
  static async start(options: SpineSimulatorOptions): Promise<SpineSimulator> {
    const tls = options.tls ?? 'mutual';
    const host = options.host ?? '127.0.0.1';
    const pki = tls === 'mutual' ? DevPki.open({ dir: join(options.dataDir, 'certs') }) : undefined;
    const own: TlsIdentity | undefined = pki?.identity(SPINE_PEER_NAME);
    if (pki) {
      pki.identity(ADMIN_NAME);
      for (const p of options.practices ?? []) pki.identity(p.ods);
    }
    const directory = new SdsDirectory(options.practices ?? []);
    const pds = new PdsRegistry();
    pds.load(options.patients ?? []);
    const state = options.state ?? new InMemorySimulatorState();
    for (const [ods, endpoint] of await state.endpoints()) directory.setEndpoint(ods, endpoint);
    for (const [nhsNumber, history] of await state.registrations())
      pds.restoreRegistrations(nhsNumber, history);
    const faults = new FaultInjector(options.faults ?? {});
    const log =
      options.logFile === false
        ? undefined
        : SpineMessageLog.open(options.logFile ?? join(options.dataDir, 'spine-message-log.csv'));
    const clock = options.clock ?? systemClock;
    const limits = resolveServerLimits({ maxConnections: 4096, ...options.limits });
    const agent = spineAgent(own, { maxSockets: 128 });
    const router = new MhsRouter({
      directory,
      faults,
      log,
      state,
      agent,
      checkSenderCertificate: tls === 'mutual',
      clock,
      limits,
      ...(options.forwardTimeoutMs ? { forwardTimeoutMs: options.forwardTimeoutMs } : {}),
      ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
    });
    const sim = new SpineSimulator({
      pki,
      directory,
      pds,
      faults,
      log,
      router,
      clock,
      limits,
      state,
      own,
      agent,
    });
    const server = sim.app.server;
    try {
      await sim.app.ready();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => resolve());
      });
    } catch (e) {
      await sim.app.close();
      await log?.close();
      agent.destroy();
      throw e;
    }
    const port = (server.address() as AddressInfo).port;
    sim.address = `${own ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return sim;
  }

  /** The simulator's routes, one set per service. */
  private routes(): void {
    const app = this.app;
    for (const path of MHS_PATHS)
      app.post(path, (request, reply) => {
        // the hub reads the (possibly large) ebXML body itself, under the body budget, and answers on the raw response
        reply.hijack();
        return this.router.handle(request.raw, reply.raw);
      });
    registerPdsRoutes(app, {
      registry: this.pds,
      baseUrl: () => this.urls.pds,
      callerOds: (request) => (request.peerName === ADMIN_NAME ? undefined : request.peerName),
      now: () => new Date(this.clock.now()),
      save: (record: PdsPatientRecord) =>
        this.state.saveRegistrations(
          record.nhsNumber,
          versionOf(record),
          record.registrations,
          new Date(this.clock.now()),
        ),
      bodyIdleTimeoutMs: this.limits.bodyIdleTimeoutMs,
    });
    registerSdsRoutes(app, this.directory);
    registerControlRoutes(app, {
      isAdmin: (peerName) => peerName === ADMIN_NAME || this.pki === undefined,
      registerEndpoint: (ods, endpoint) => this.registerEndpoint(ods, endpoint),
      faults: this.faults,
      status: () => this.status(),
      bodyIdleTimeoutMs: this.limits.bodyIdleTimeoutMs,
    });
  }

  /** URLs of the three services. */
  get urls(): { pds: string; sds: string; mhs: string } {
    return { pds: this.url + PDS_BASE_PATH, sds: this.url + SDS_BASE_PATH, mhs: this.url + MHS_PATHS[0] };
  }

  /** The TLS identity (issued on first request, kept in the data folder) for a practice or other peer. */
  identityFor(name: string): TlsIdentity | undefined {
    return this.pki?.identity(name);
  }

  /** Stops serving: held messages are released, connections closed, the log flushed. */
  async stop(): Promise<void> {
    const server = this.app.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await this.router.close();
    server.closeAllConnections();
    await closed;
    await this.app.close();
    this.agent.destroy();
    await this.log?.close();
  }

  /**
   * Points a practice at its MHS inbound URL in SDS. Under mutual TLS only an `https://` URL is taken: Spine
   * could not reach anything else.
   */
  async registerEndpoint(ods: string, endpoint: string): Promise<EndpointRegistration> {
    const protocol = URL.canParse(endpoint) ? new URL(endpoint).protocol : undefined;
    if (protocol !== 'https:' && (this.pki || protocol !== 'http:'))
      return { kind: 'invalid', problem: `expected {"endpoint": "${this.pki ? 'https' : 'http(s)'}://…"}` };
    if (!this.directory.odsSync(ods)) return { kind: 'unknown-practice' };
    await this.state.saveEndpoint(ods, endpoint, new Date(this.clock.now())); // kept before it is used
    this.directory.setEndpoint(ods, endpoint);
    const entry = this.directory.odsSync(ods);
    return entry ? { kind: 'registered', entry } : { kind: 'unknown-practice' };
  }

  /** Counters for health checks and tests. */
  status(): Record<string, unknown> {
    return {
      practices: this.directory.entries().length,
      patients: this.pds.size,
      mhs: this.router.stats,
      faults: this.faults.stats(),
      logged: this.log?.count ?? 0,
    };
  }
}
