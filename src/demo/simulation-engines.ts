import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const GP2GP = fileURLToPath(new URL('../../bin/gp2gp', import.meta.url));

/** Where engine processes find Spine, the certificates, the shared database and the shared documents. */
export interface EngineProcessOptions {
  readonly count: number;
  readonly practices: readonly string[];
  readonly spineUrl: string;
  readonly certsDir: string;
  readonly databaseUrl: string;
  readonly documentsDir: string;
  readonly dataDir: string;
}

/** One engine process and the MHS endpoint URL of each practice it hosts. */
interface Running {
  readonly child: ChildProcess;
  readonly endpoints: ReadonlyMap<string, string>;
  peakKb: number;
}

/** How long an engine process may take to start before the run gives up on it, in ms. */
const START_TIMEOUT_MS = 60_000;

/**
 * Engine processes (`gp2gp practice`) sharing one PostgreSQL and one documents folder, each hosting every
 * practice. They do not tell Spine their endpoints: the caller points each practice at one of them
 * ({@link endpointFor}), so inbound traffic is spread over the processes while any of them works any row.
 *
 * @example
 * const engines = await EngineProcesses.start({ count: 2, practices: ['SIMNEW', 'SIMOLD'], … });
 * await spine.registerEndpoint('SIMNEW', engines.endpointFor('SIMNEW', 0));
 * await engines.stop();
 */
export class EngineProcesses {
  private readonly running: readonly Running[];
  private readonly sampler: ReturnType<typeof setInterval>;

  private constructor(running: readonly Running[]) {
    this.running = running;
    // VmHWM is each process's own peak, so sampling only catches it before the process ends.
    this.sampler = setInterval(() => this.sample(), 1_000);
    this.sampler.unref();
  }

  /** Starts the processes and waits until each serves its endpoints. */
  static async start(options: EngineProcessOptions): Promise<EngineProcesses> {
    const started = await Promise.allSettled(Array.from({ length: options.count }, () => startOne(options)));
    const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(running.map((r) => stopOne(r.child)));
      throw failed.reason;
    }
    return new EngineProcesses(running);
  }

  /** The endpoint of `ods` served by engine process `index` (modulo how many there are). */
  endpointFor(ods: string, index: number): string {
    const url = this.running[index % this.running.length]?.endpoints.get(ods);
    if (!url) throw new Error(`no engine process serves ${ods}`);
    return url;
  }

  /** The processes' peak resident memory so far, each its own peak, summed, in KiB. */
  peakRssKb(): number {
    this.sample();
    return this.running.reduce((sum, r) => sum + r.peakKb, 0);
  }

  /** Stops every process (SIGTERM: each finishes what it holds), killing any that will not stop. */
  async stop(): Promise<void> {
    this.sample();
    clearInterval(this.sampler);
    await Promise.all(this.running.map((r) => stopOne(r.child)));
  }

  private sample(): void {
    for (const r of this.running) r.peakKb = Math.max(r.peakKb, highWaterKb(r.child.pid));
  }
}

async function startOne(options: EngineProcessOptions): Promise<Running> {
  const args = ['practice', '--ods', options.practices.join(','), '--spine', options.spineUrl];
  args.push('--certs', options.certsDir, '--database-url', options.databaseUrl);
  args.push('--documents-dir', options.documentsDir, '--data-dir', options.dataDir, '--no-register');
  const child = spawn(GP2GP, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoints = new Map<string, string>();
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill('SIGKILL'), START_TIMEOUT_MS);
  try {
    for await (const line of lines) {
      const endpoint = /^(\S+) MHS endpoint (\S+)$/.exec(line);
      if (endpoint) endpoints.set(endpoint[1]!, endpoint[2]!);
      if (line.startsWith('engine running')) break;
    }
  } finally {
    clearTimeout(timer);
  }
  if (child.exitCode !== null || child.signalCode !== null || endpoints.size !== options.practices.length) {
    await stopOne(child);
    throw new Error(`an engine process did not start (exit ${child.exitCode ?? child.signalCode})`);
  }
  // Its transition lines are not needed (the run reads the database): keep the pipe drained.
  lines.close();
  child.stdout!.resume();
  return { child, endpoints, peakKb: highWaterKb(child.pid) };
}

async function stopOne(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(killer);
}

/** A process's peak resident set (VmHWM) in KiB, or 0 where it cannot be read (gone, or not Linux). */
export function highWaterKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
