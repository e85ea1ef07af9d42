import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startDemo } from '../demo/demo-start.ts';
import { demoSummary } from '../demo/demo-summary.ts';
import { TransitionPrinter } from '../demo/demo-transitions.ts';
import { DataFolderLock } from '../store/data-folder-lock.ts';
import { StoreError } from '../store/index.ts';
import { CliError, type Command, parseCommandArgs } from './command.ts';

const USAGE = `Usage: gp2gp demo [options]

Starts the whole network on this machine, in one process, with nothing to install: the Spine simulator (PDS,
SDS, MHS routing over mutual TLS), five practices (three suppliers' styles, one not large-message compliant,
one not live with GP2GP) with synthetic patients and their records, one transfer engine for the live practices,
and the practice web app. At the first start a few patients move practice, so records are on their way; the
web app's address and a sign-in for every role at every practice are printed. Stop with Ctrl-C (SIGINT) or
SIGTERM. A later start carries on with the same data folder; --reset starts afresh.

Options:
  --data-dir DIR   embedded database, documents, certificates, message log and sign-ins (default .data/demo)
  --host HOST      address the web app listens on (default 127.0.0.1)
  --port N         the web app's port (default 8080; 0 picks a free one)
  --reset          delete the data folder first

The web app speaks plain HTTP. On a loopback address (the default) that is fine; on any other its cookies are
marked Secure, so put it behind a TLS-terminating proxy.`;

// What a folder the demo made holds; --reset deletes nothing else.
const DEMO_FILES = ['db', 'documents', 'spine', 'demo-sign-ins.json', 'db.lock'];

/** `gp2gp demo`: the main job, everything in one process. */
export const demoCommand: Command = {
  summary: 'Run the demo: Spine simulator, practices with synthetic patients and the web app, in one go',
  usage: USAGE,
  async run(args) {
    const { values } = parseCommandArgs('demo', args, {
      'data-dir': { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      reset: { type: 'boolean' },
    });
    const port = Number(values.port ?? 8080);
    if (values.port === '' || !Number.isInteger(port) || port < 0 || port > 65_535)
      throw new CliError(`--port: "${values.port}" is not a port`);
    const dataDir = resolve(values['data-dir'] ?? '.data/demo');
    if (values.reset) await reset(dataDir);

    // Listened for from the first moment: a Ctrl-C while the database is being made stops once it is whole.
    let requested: NodeJS.Signals | undefined;
    let wake: (() => void) | undefined;
    let stopping = false;
    const handler = (s: NodeJS.Signals) => {
      if (stopping) forceQuit();
      requested ??= s;
      wake?.();
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    try {
      const printer = new TransitionPrinter();
      const started = Date.now();
      process.stdout.write(`gp2gp demo: starting in ${dataDir}…\n`);
      const demo = await startDemo({
        dataDir,
        port,
        ...(values.host ? { host: values.host } : {}),
        onTransition: (e) => printer.add(e),
      }).catch((e: unknown) => {
        if (e instanceof StoreError && e.code === 'locked')
          throw new CliError(`${e.message}: is another demo running on ${dataDir}?`);
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
          throw new CliError(`port ${port} is in use: choose another with --port N (0 picks a free one)`);
        throw e;
      });
      process.stdout.write(`started in ${((Date.now() - started) / 1000).toFixed(1)} s\n\n`);
      process.stdout.write(demoSummary(demo, dataDir));
      printer.attach(demo.store.db, (line) => process.stdout.write(line));
      if (!requested)
        await new Promise<void>((done) => {
          wake = done;
        });
      stopping = true;
      process.stdout.write(`\ngp2gp demo: stopping (${requested}); Ctrl-C again to quit at once…\n`);
      await printer.flushed();
      await demo.stop();
      await printer.flushed();
      process.stdout.write('gp2gp demo: stopped\n');
      return 0;
    } finally {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    }
  },
};

function forceQuit(): never {
  process.stderr.write('gp2gp demo: quit before stopping cleanly\n');
  process.exit(1);
}

/** Deletes the demo's data folder, unless a demo is using it or it holds things the demo did not make. */
async function reset(dataDir: string): Promise<void> {
  if (!existsSync(dataDir)) return;
  const strangers = readdirSync(dataDir).filter((f) => !DEMO_FILES.includes(f));
  if (strangers.length > 0)
    throw new CliError(
      `--reset: ${dataDir} holds ${strangers.slice(0, 3).join(', ')}, which the demo did not make; not deleting it`,
    );
  const lock = await DataFolderLock.acquire(join(dataDir, 'db.lock'));
  if (!lock.ok) throw new CliError(`--reset: a demo (process ${lock.heldBy}) is using ${dataDir}`);
  await rm(dataDir, { recursive: true, force: true });
}
