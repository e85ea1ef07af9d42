import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Clock, systemClock } from '../../common/clock.ts';
import { DevPki } from '../certs/dev-pki.ts';
import { spineAgent } from '../http/agents.ts';
import { readBody, sendJson } from '../http/http-io.ts';
import {
  createLimitedServer,
  type ResolvedServerLimits,
  resolveServerLimits,
  type ServerLimits,
} from '../http/server-limits.ts';
import { PdsRegistry, versionOf } from '../pds/pds-registry.ts';
import { handlePdsRequest, PDS_BASE_PATH } from '../pds/pds-routes.ts';
import type { PdsPatientRecord } from '../pds/pds-types.ts';
import { SdsDirectory } from '../sds/sds-directory.ts';
import { handleSdsRequest, SDS_BASE_PATH } from '../sds/sds-routes.ts';
import type { PracticeDirectoryEntry } from '../sds/sds-types.ts';
import { peerCommonName, SPINE_PEER_NAME, type TlsIdentity, type TlsMode } from '../tls/tls-identity.ts';
import { FaultInjector, type FaultKind, type FaultPlan } from './fault-injector.ts';
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

/** The outcome of {@link SpineSimulator.registerEndpoint}. */
export type EndpointRegistration =
  | { readonly kind: 'registered'; readonly entry: PracticeDirectoryEntry }
  | { readonly kind: 'unknown-practice' }
  | { readonly kind: 'invalid'; readonly problem: string };

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
  readonly url: string;
  readonly pki: DevPki | undefined;
  readonly directory: SdsDirectory;
  readonly pds: PdsRegistry;
  readonly faults: FaultInjector;
  readonly log: SpineMessageLog | undefined;
  readonly router: MhsRouter;
  readonly clock: Clock;
  private readonly limits: ResolvedServerLimits;
  private readonly state: SimulatorState;
  private readonly server: Server;
  private readonly agent: ReturnType<typeof spineAgent>;

  private constructor(parts: {
    url: string;
    pki: DevPki | undefined;
    directory: SdsDirectory;
    pds: PdsRegistry;
    faults: FaultInjector;
    log: SpineMessageLog | undefined;
    router: MhsRouter;
    clock: Clock;
    limits: ResolvedServerLimits;
    state: SimulatorState;
    server: Server;
    agent: ReturnType<typeof spineAgent>;
  }) {
    this.url = parts.url;
    this.pki = parts.pki;
    this.directory = parts.directory;
    this.pds = parts.pds;
    this.faults = parts.faults;
    this.log = parts.log;
    this.router = parts.router;
    this.clock = parts.clock;
    this.limits = parts.limits;
    this.state = parts.state;
    this.server = parts.server;
    this.agent = parts.agent;
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
    let sim: SpineSimulator | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      sim?.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent)
          sendJson(res, 500, { error: e instanceof Error ? e.message : String(e) }, {}, 'application/json');
        else res.destroy();
      });
    };
    const server = createLimitedServer(own, limits, handler);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port ?? 0, host, () => resolve());
      });
    } catch (e) {
      await log?.close();
      agent.destroy();
      throw e;
    }
    const port = (server.address() as AddressInfo).port;
    const url = `${own ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    sim = new SpineSimulator({
      url,
      pki,
      directory,
      pds,
      faults,
      log,
      router,
      clock,
      limits,
      state,
      server,
      agent,
    });
    return sim;
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
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.router.close();
    this.server.closeAllConnections();
    await closed;
    this.agent.destroy();
    await this.log?.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const caller = peerCommonName(req.socket);
    if (req.method === 'POST' && MHS_PATHS.includes(url.pathname)) return this.router.handle(req, res);
    if (url.pathname.startsWith(PDS_BASE_PATH)) {
      const ctx = {
        registry: this.pds,
        baseUrl: this.urls.pds,
        callerOds: caller === ADMIN_NAME ? undefined : caller,
        now: () => new Date(this.clock.now()),
        save: (record: PdsPatientRecord) =>
          this.state.saveRegistrations(
            record.nhsNumber,
            versionOf(record),
            record.registrations,
            new Date(this.clock.now()),
          ),
        bodyIdleTimeoutMs: this.limits.bodyIdleTimeoutMs,
      };
      if (await handlePdsRequest(req, res, url, ctx)) return;
    }
    if (url.pathname.startsWith(SDS_BASE_PATH) && handleSdsRequest(req, res, url, this.directory)) return;
    if (url.pathname === '/_status' && req.method === 'GET') {
      req.resume();
      sendJson(res, 200, this.status(), {}, 'application/json');
      return;
    }
    if (url.pathname.startsWith('/_admin/')) return this.admin(req, res, url, caller);
    req.resume();
    sendJson(res, 404, { error: `nothing at ${url.pathname}` }, {}, 'application/json');
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

  /**
   * `PUT /_admin/practices/{ods}/endpoint {"endpoint": url}`: a practice registers its inbound URL (only its
   * own, unless the caller is {@link ADMIN_NAME}). `POST /_admin/faults` (a plan) and
   * `POST /_admin/faults/next {"kind", "count"}`: admin only.
   */
  private async admin(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    caller: string | undefined,
  ): Promise<void> {
    const read = await readBody(req, 64 * 1024, { idleTimeoutMs: this.limits.bodyIdleTimeoutMs });
    let body: Record<string, unknown> = {};
    try {
      body =
        read.ok && read.body.length
          ? (JSON.parse(read.body.toString('utf8')) as Record<string, unknown>)
          : {};
    } catch {
      sendJson(res, 400, { error: 'body is not JSON' }, {}, 'application/json');
      return;
    }
    const isAdmin = caller === ADMIN_NAME || this.pki === undefined;
    const endpoint = /^\/_admin\/practices\/([A-Z0-9]{3,10})\/endpoint$/.exec(url.pathname);
    if (endpoint?.[1] && req.method === 'PUT') {
      const ods = endpoint[1];
      if (!isAdmin && caller !== ods)
        return sendJson(
          res,
          403,
          { error: `${caller ?? 'caller'} may not set ${ods}'s endpoint` },
          {},
          'application/json',
        );
      const r = await this.registerEndpoint(ods, typeof body.endpoint === 'string' ? body.endpoint : '');
      switch (r.kind) {
        case 'registered':
          return sendJson(res, 200, r.entry, {}, 'application/json');
        case 'invalid':
          return sendJson(res, 400, { error: r.problem }, {}, 'application/json');
        case 'unknown-practice':
          return sendJson(res, 404, { error: `no practice ${ods}` }, {}, 'application/json');
      }
    }
    if (!isAdmin) return sendJson(res, 403, { error: 'admin certificate required' }, {}, 'application/json');
    try {
      if (url.pathname === '/_admin/faults' && req.method === 'POST') {
        this.faults.configure(body as FaultPlan);
        return sendJson(res, 200, { ok: true }, {}, 'application/json');
      }
      if (url.pathname === '/_admin/faults/next' && req.method === 'POST') {
        this.faults.inject(body.kind as FaultKind, typeof body.count === 'number' ? body.count : 1);
        return sendJson(res, 200, { ok: true }, {}, 'application/json');
      }
    } catch (e) {
      return sendJson(
        res,
        400,
        { error: e instanceof Error ? e.message : String(e) },
        {},
        'application/json',
      );
    }
    sendJson(res, 404, { error: `nothing at ${url.pathname}` }, {}, 'application/json');
  }
}
