import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DemoSignIn } from '../practice/demo-accounts.ts';
import { DatabaseSimulatorState, SpineSimulator } from '../spine/index.ts';
import { openStore, type Store } from '../store/index.ts';
import { type EngineEvent, TransferEngine } from '../transfer/index.ts';
import { startWebApp, type WebApp } from '../web/server.ts';
import { type DemoNetwork, demoNetwork } from './demo-network.ts';
import { type MoveOutcome, type SeedOutcome, seedRecords, startMoves } from './demo-seed.ts';
import { demoSignIns } from './demo-sign-ins.ts';

/** Options for {@link startDemo}. */
export interface DemoOptions {
  /** The demo's data folder: the database and documents, the simulator's certificates and log, the sign-ins. */
  readonly dataDir: string;
  /** Where the web app listens (default 127.0.0.1). */
  readonly host?: string;
  /** The web app's port (0 picks a free one). */
  readonly port: number;
  /** Told of every transfer state change from before the first move is made. */
  readonly onTransition?: (event: EngineEvent) => void;
  /** Told of errors the engine's workers met (default: written to stderr). */
  readonly onError?: (error: unknown) => void;
}

/** The running demo. */
export interface Demo {
  readonly network: DemoNetwork;
  readonly store: Store;
  readonly spine: SpineSimulator;
  readonly engine: TransferEngine;
  readonly app: WebApp;
  readonly seed: SeedOutcome;
  readonly moves: readonly MoveOutcome[];
  /** One per role at each hosted practice, as far as the passwords are known. */
  readonly signIns: readonly DemoSignIn[];
  /** Hosted practices whose accounts exist but whose passwords were lost (the sign-ins file was deleted). */
  readonly signInsUnknown: readonly string[];
  /** Stops the web app, the engine, the simulator and the store, in that order. */
  stop(): Promise<void>;
}

/**
 * Starts the whole demo in this process on the embedded store: the Spine simulator (PDS with the demo's patients,
 * SDS with its practices), one transfer engine hosting every practice live with GP2GP, and the practice web app;
 * seeds the records and makes the first moves where a previous start in the same folder has not.
 *
 * @example
 * const demo = await startDemo({ dataDir: '.data/demo', port: 8080 });
 * console.log(demo.app.url); await demo.stop();
 */
export async function startDemo(options: DemoOptions): Promise<Demo> {
  const network = demoNetwork();
  const hosted = network.practices.filter((p) => p.hosted).map((p) => p.entry.ods);
  await mkdir(options.dataDir, { recursive: true });
  // Opened in this order and closed in the reverse, also when a later step fails to start.
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    const errors: unknown[] = [];
    for (const close of closers.splice(0).reverse()) await close().catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  };
  try {
    // One embedded database for the simulator's state (its spine_* tables) and the practices': a second PGlite
    // in the same process would cost about 500 MB more.
    const store = await openStore({ dataDir: options.dataDir, database: { kind: 'pglite' } });
    closers.push(() => store.close());
    const spine = await SpineSimulator.start({
      dataDir: join(options.dataDir, 'spine'),
      state: new DatabaseSimulatorState(store.db),
      practices: network.practices.map((p) => p.entry),
      patients: network.patients.map((p) => p.patient),
    });
    closers.push(() => spine.stop());
    const seed = await seedRecords(store, network, new Date());
    const engine = await TransferEngine.start({
      store,
      spine: spine.urls,
      practices: hosted.map((ods) => ({ ods, identity: spine.identityFor(ods) })),
      registerEndpoint: async (p, url) => {
        const r = await spine.registerEndpoint(p.ods, url);
        if (r.kind !== 'registered') throw new Error(`Spine refused ${p.ods}'s endpoint (${r.kind})`);
      },
      ...(options.onError ? { onError: options.onError } : {}),
    });
    closers.push(() => engine.stop());
    if (options.onTransition) engine.on('transition', options.onTransition);
    const host = options.host ?? '127.0.0.1';
    const app = await startWebApp({
      engine,
      store,
      host,
      port: options.port,
      // Plain HTTP on this machine only; anywhere else the app belongs behind a TLS-terminating proxy.
      secureCookies: !isLoopback(host),
    });
    closers.push(() => app.stop());
    const signIns = await demoSignIns(
      join(options.dataDir, 'demo-sign-ins.json'),
      hosted,
      app.createDemoSignIns,
    );
    const moves = await startMoves(engine, store, network.moves);
    return {
      network,
      store,
      spine,
      engine,
      app,
      seed,
      moves,
      signIns: signIns.signIns,
      signInsUnknown: signIns.unknown,
      stop: closeAll,
    };
  } catch (e) {
    await closeAll().catch(() => undefined);
    throw e;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
