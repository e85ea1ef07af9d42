import { resolve } from 'node:path';
import { MEDIAN_DOCUMENTS, type SimulationOptions, simulationProblems } from '../demo/simulation-options.ts';
import { CliError, type Command, parseCommandArgs } from './command.ts';

const USAGE = `Usage: gp2gp simulate --patients N [options]

Runs a Spine simulator and two practices in one go, registers N synthetic patients at the new practice,
transfers each record from the old practice end to end over HTTPS with mutual TLS, integrates it, and reports
what the practices' databases hold at the end:
  {transfers, completed, failed, lost, duplicated, p50_ms, p95_ms, bytes, peak_rss_mb}
p50/p95: registration to ready-to-integrate; bytes: attachment bytes moved; lost: no integrated record;
duplicated: integrated, or sent, more than once. Everything runs in a temporary folder, removed at the end.

Options:
  --patients N          patients to transfer (required)
  --attachments N       documents per record (default: the median synthetic record's 47, about 10 MB)
  --attachment-kb K     size of each document in KiB (default 213 with --attachments)
  --faults RATE         share of Spine messages faulted (0..1), spread over drop, duplicate, delay, reorder,
                        reset and 5xx
  --concurrency N       transfers in flight at once (default one per engine process: more only queue
                        behind the CPU and lengthen each transfer)
  --seed N              seed of the patients, records and faults (default 1)
  --database-url URL    the practices' store on this PostgreSQL (an empty database) instead of PGlite
  --engines N           engine processes sharing that PostgreSQL (default 1, in this process)
  --data-dir DIR        keep the run's databases, documents and certificates here (default: a temporary
                        folder, removed at the end)
  --transfer-timeout S  seconds a transfer may take before it counts as failed (default 300)
  --json                print the report as one JSON object on stdout

Progress goes to stderr when it is a terminal. Exit 0 when every transfer completed, 1 otherwise.`;

/** `gp2gp simulate`: a load generator and end-to-end check of the whole network. */
export const simulateCommand: Command = {
  summary: 'Transfer N synthetic patients end to end between two practices over a simulated Spine; report',
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseCommandArgs('simulate', args, {
      patients: { type: 'string' },
      attachments: { type: 'string' },
      'attachment-kb': { type: 'string' },
      faults: { type: 'string' },
      concurrency: { type: 'string' },
      seed: { type: 'string' },
      'database-url': { type: 'string' },
      engines: { type: 'string' },
      'transfer-timeout': { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new CliError(`unexpected argument "${positionals[0]}"`);
    if (values.patients === undefined)
      throw new CliError('--patients is required (see gp2gp simulate --help)');
    const attachments = optionalNumber(values.attachments, 'attachments');
    const kb = optionalNumber(values['attachment-kb'], 'attachment-kb');
    const timeout = optionalNumber(values['transfer-timeout'], 'transfer-timeout');
    const tty = process.stderr.isTTY === true;
    const options: SimulationOptions = {
      patients: number(values.patients, 'patients'),
      ...(attachments !== undefined || kb !== undefined
        ? {
            documents: {
              count: attachments ?? MEDIAN_DOCUMENTS.count,
              bytes: kb === undefined ? MEDIAN_DOCUMENTS.bytes : Math.round(kb * 1024),
            },
          }
        : {}),
      ...optional('faultRate', optionalNumber(values.faults, 'faults')),
      ...optional('concurrency', optionalNumber(values.concurrency, 'concurrency')),
      ...optional('seed', optionalNumber(values.seed, 'seed')),
      ...optional('databaseUrl', values['database-url']),
      ...optional('dataDir', values['data-dir'] === undefined ? undefined : resolve(values['data-dir'])),
      ...optional('engines', optionalNumber(values.engines, 'engines')),
      ...optional('transferTimeoutMs', timeout === undefined ? undefined : timeout * 1000),
      ...(tty ? { onProgress: progressLine() } : {}),
    };
    const problems = simulationProblems(options);
    if (problems.length > 0) throw new CliError(problems.join('; '));
    const { runSimulation } = await import('../demo/simulate.ts');
    // Ctrl-C ends the run early but cleanly: what is in flight is abandoned, the temporary folder removed.
    const stop = new AbortController();
    const abort = () => stop.abort();
    process.once('SIGINT', abort);
    process.once('SIGTERM', abort);
    let result: Awaited<ReturnType<typeof runSimulation>>;
    try {
      result = await runSimulation({ ...options, signal: stop.signal });
    } finally {
      process.off('SIGINT', abort);
      process.off('SIGTERM', abort);
    }
    if (tty) process.stderr.write('\r\x1b[K');
    const r = result.report;
    if (values.json) process.stdout.write(`${JSON.stringify(r)}\n`);
    else {
      const seconds = result.elapsedMs / 1000;
      const ms = (v: number | null) => (v === null ? '-' : `${v} ms`);
      const lines = [
        `${r.transfers} transfers on ${result.database} (${result.engines} engine process${result.engines > 1 ? 'es' : ''}): ${r.completed} completed, ${r.failed} failed, ${r.lost} lost, ${r.duplicated} duplicated`,
        `registration to ready-to-integrate: p50 ${ms(r.p50_ms)}, p95 ${ms(r.p95_ms)}`,
        `${(r.bytes / 1e6).toFixed(1)} MB of attachments in ${seconds.toFixed(1)} s: ${(r.completed / seconds).toFixed(2)} completed transfers/s, ${(r.bytes / 1e6 / seconds).toFixed(1)} MB/s (records filed beforehand in ${(result.seedMs / 1000).toFixed(1)} s)`,
        `faults injected: ${Object.entries(result.faults)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
        `peak RSS ${r.peak_rss_mb} MB`,
        ...result.problems.map((p) => `  ${p}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return r.completed === r.transfers ? 0 : 1;
  },
};

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}

function number(text: string, name: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n))
    throw new CliError(`--${name} must be a number, not "${text}"`);
  return n;
}

function optionalNumber(text: string | undefined, name: string): number | undefined {
  return text === undefined ? undefined : number(text, name);
}

/** Progress on one terminal line, redrawn at most ten times a second. */
function progressLine(): NonNullable<SimulationOptions['onProgress']> {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.done < p.total) return;
    last = now;
    const text =
      p.phase === 'seeding'
        ? `filing records at the old practice: ${p.done}/${p.total}`
        : `transfers: ${p.done}/${p.total} done, ${p.inFlight} in flight, ${p.failed} failed`;
    process.stderr.write(`\r\x1b[K${text}`);
  };
}
