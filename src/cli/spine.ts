import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseSimulatorState } from '../spine/simulator/database-simulator-state.ts';
import { evenFaultPlan, type FaultPlan } from '../spine/simulator/fault-injector.ts';
import { samplePatients, samplePractices } from '../spine/simulator/sample-network.ts';
import { loadSimulatorConfig, type SimulatorConfig } from '../spine/simulator/simulator-config.ts';
import { SpineSimulator } from '../spine/simulator/spine-simulator.ts';
import { openStore, StoreError } from '../store/index.ts';
import { CliError, type Command } from './command.ts';

const USAGE = `Usage: gp2gp spine [options]

Runs the Spine simulator (PDS, SDS and the MHS hub) as its own process until SIGINT or SIGTERM.
On first run it creates a local CA and a certificate for every practice under DATA/certs.
Registered endpoints, PDS registration changes and which messages were logged are kept in the
store (PGlite in DATA/db, or PostgreSQL at DATABASE_URL), so a restart, even after a crash,
carries on where the simulator stood.

Options:
  --config FILE     simulator config (JSON: sds.practices, pds.patients, faults, host, port, tls);
                    without one, a sample network of four practices and five patients
  --data-dir DIR    certificates, message log and database (default .data/spine)
  --host HOST       address to listen on (default 127.0.0.1)
  --port N          port (default 8443; 0 picks a free one)
  --tls MODE        mutual (default) or off
  --faults RATE     inject transmission faults on this share of messages (0..1), spread over
                    drop, duplicate, delay, reorder, reset and 5xx
  --seed N          seed for fault injection (default 1)
  --log FILE        Spine message log CSV (default DATA/spine-message-log.csv)
  --json            print one JSON line describing the endpoints instead of text`;

/** `gp2gp spine`: runs the Spine simulator until it is told to stop. */
export const spineCommand: Command = {
  summary: 'Run the Spine simulator (PDS, SDS, MHS routing with fault injection) over mutual TLS',
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        tls: { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        log: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    });
    const config = readConfig(values.config);
    const port = values.port === undefined ? (config.port ?? 8443) : integer(values.port, 'port', 0, 65_535);
    const tls = values.tls ?? config.tls ?? 'mutual';
    if (tls !== 'mutual' && tls !== 'off') throw new CliError('--tls must be "mutual" or "off"');
    const seed = values.seed === undefined ? 1 : integer(values.seed, 'seed', 0, 2 ** 32 - 1);
    const faults: FaultPlan | undefined =
      values.faults === undefined ? config.faults : evenFaultPlan(rate(values.faults), seed);
    const dataDir = resolve(values['data-dir'] ?? '.data/spine');

    const store = await openStore({ dataDir }).catch((e: unknown) => {
      throw e instanceof StoreError ? new CliError(`spine: ${e.message}`) : e;
    });
    const spine = await SpineSimulator.start({
      dataDir,
      state: new DatabaseSimulatorState(store.db),
      host: values.host ?? config.host ?? '127.0.0.1',
      port,
      tls,
      practices: config.practices,
      patients: config.patients,
      ...(faults ? { faults } : {}),
      ...(values.log ? { logFile: resolve(values.log) } : {}),
    }).catch(async (e: unknown) => {
      await store.close();
      throw e;
    });
    const info = {
      url: spine.url,
      ...spine.urls,
      certificates: spine.pki?.dir ?? null,
      log: spine.log?.file ?? null,
      database: store.kind,
      practices: spine.directory.entries().map((e) => e.ods),
      patients: spine.pds.size,
      faults: faults?.rates ?? null,
    };
    process.stdout.write(values.json ? `${JSON.stringify(info)}\n` : describe(info));

    const signal = await new Promise<NodeJS.Signals>((done) => {
      process.once('SIGINT', () => done('SIGINT'));
      process.once('SIGTERM', () => done('SIGTERM'));
    });
    await spine.stop();
    await store.close();
    if (!values.json)
      process.stdout.write(`spine simulator stopped (${signal}); ${spine.log?.count ?? 0} messages logged\n`);
    return 0;
  },
};

function readConfig(file: string | undefined): SimulatorConfig {
  if (file === undefined) return { practices: samplePractices(), patients: samplePatients() };
  const r = loadSimulatorConfig(file);
  if (!r.ok) throw new CliError(`${file}: ${r.errors.join('; ')}`);
  return r.config;
}

function integer(text: string, name: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CliError(`--${name} must be a whole number ${min}..${max}`);
  return n;
}

function rate(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new CliError('--faults must be a rate between 0 and 1');
  return n;
}

function describe(info: {
  url: string;
  pds: string;
  sds: string;
  mhs: string;
  certificates: string | null;
  log: string | null;
  database: string;
  practices: string[];
  patients: number;
  faults: FaultPlan['rates'] | null;
}): string {
  return [
    `spine simulator listening on ${info.url}`,
    `  PDS  ${info.pds}`,
    `  SDS  ${info.sds}`,
    `  MHS  ${info.mhs}`,
    info.certificates
      ? `  certificates in ${info.certificates} (CA ca.cert.pem; <ODS>.cert.pem/.key.pem per practice; admin.cert.pem)`
      : '  TLS off: plain HTTP',
    `  message log ${info.log ?? '(none)'}; endpoints, PDS changes and logged ids kept in ${info.database}`,
    `  ${info.practices.length} practices (${info.practices.join(', ')}), ${info.patients} patients; faults ${info.faults ? JSON.stringify(info.faults) : 'off'}`,
    '  stop with Ctrl-C (SIGINT) or SIGTERM',
    '',
  ].join('\n');
}
