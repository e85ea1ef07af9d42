/**
 * Classifier benchmark: writes a synthetic Spine message log of a month (200,000 transfers, about 2 million
 * rows by default) and times `gp2gp classify --cutoff-days 14` on it in a fresh process (the V8 flags
 * `bin/gp2gp` uses), reporting wall time and peak RSS. Prints one JSON line.
 *
 *   node bench/classify.ts [--transfers 200000] [--runs 3] [--keep]
 *
 * Synthetic ASIDs and ids only; the mix of outcomes is made up to exercise every path, not to match real figures.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../src/cli/main.ts';
import { seededRng } from '../src/spine/simulator/seeded-rng.ts';
import {
  formatLogLine,
  SPINE_LOG_COLUMNS,
  type SpineLogEntry,
} from '../src/spine/simulator/spine-message-log.ts';

const MEASURE = '--measure';

async function bench(): Promise<void> {
  const { values } = parseArgs({
    options: {
      transfers: { type: 'string', default: '200000' },
      runs: { type: 'string', default: '3' },
      keep: { type: 'boolean', default: false },
    },
  });
  const transfers = Number(values.transfers);
  const runs = Number(values.runs);
  const dir = mkdtempSync(join(tmpdir(), 'gp2gp-bench-classify-'));
  const file = join(dir, 'spine-message-log.csv');
  try {
    const generateStart = performance.now();
    const rows = await writeSyntheticMonth(file, transfers);
    const generateMs = Math.round(performance.now() - generateStart);
    const times: number[] = [];
    let peakRssMb = 0;
    let outputBytes = 0;
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(
        process.execPath,
        ['--max-semi-space-size=8', import.meta.filename, MEASURE, file],
        { encoding: 'utf8', maxBuffer: 1 << 30 },
      );
      const m = JSON.parse(r.stderr.trim().split('\n').at(-1) ?? '{}') as {
        code: number;
        elapsedMs: number;
        peakRssMb: number;
      };
      if (r.status !== 0 || m.code !== 0) throw new Error(`classify failed: ${r.stderr}`);
      times.push(m.elapsedMs);
      peakRssMb = Math.max(peakRssMb, m.peakRssMb);
      outputBytes = r.stdout.length;
      if (i === 0) checkOutput(r.stdout, transfers);
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
    process.stdout.write(
      `${JSON.stringify({
        transfers,
        rows,
        fileMb: Number((statSync(file).size / 1024 / 1024).toFixed(1)),
        generateMs,
        classifyMs: times,
        medianMs: median,
        rowsPerSecond: Math.round(rows / (median / 1000)),
        peakRssMb,
        outputMb: Number((outputBytes / 1024 / 1024).toFixed(1)),
        ...(values.keep ? { file } : {}),
      })}\n`,
    );
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** Every transfer must come back, with statuses in the made-up mix's proportions. */
function checkOutput(stdout: string, transfers: number): void {
  const out = JSON.parse(stdout) as { status: string }[];
  if (out.length !== transfers) throw new Error(`expected ${transfers} transfers, got ${out.length}`);
  const counts: Record<string, number> = {};
  for (const t of out) counts[t.status] = (counts[t.status] ?? 0) + 1;
  process.stderr.write(`statuses: ${JSON.stringify(counts)}\n`);
}

const SERVICE = 'urn:nhs:names:services:gp2gp';
const MIN = 60_000;
const DAY = 86_400_000;
const PRACTICES = 7_000;

/**
 * Writes a month of synthetic transfers, rows ordered by time within windows of 5,000 conversations (a real
 * export interleaves conversations; full ordering would only cost the generator memory). Returns the row count.
 */
async function writeSyntheticMonth(file: string, transfers: number): Promise<number> {
  const random = seededRng(20_240_601);
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve));
  await write(`${SPINE_LOG_COLUMNS.join(',')}\n`);
  const monthStart = Date.UTC(2024, 5, 1);
  const asid = (n: number) => `99900${String(n).padStart(7, '0')}`;
  const supplier = (n: number) => (n % 3 === 0 ? 'SupplierA' : n % 3 === 1 ? 'SupplierB' : 'SupplierC');
  let rows = 0;
  let window: SpineLogEntry[] = [];
  const flush = async () => {
    window.sort((a, b) => a.time.getTime() - b.time.getTime());
    let text = '';
    for (const e of window) {
      text += formatLogLine(e);
      if (text.length > 1 << 20) {
        await write(text);
        text = '';
      }
    }
    await write(text);
    rows += window.length;
    window = [];
  };

  for (let i = 0; i < transfers; i++) {
    const requester = Math.floor(random() * PRACTICES);
    const sender = (requester + 1 + Math.floor(random() * (PRACTICES - 1))) % PRACTICES;
    const start = monthStart + Math.floor((i / transfers) * 30 * DAY);
    const conversationId = crypto.randomUUID().toUpperCase();
    const add = (at: number, action: string, fromRequester: boolean, ref?: string, code?: string): string => {
      const guid = crypto.randomUUID().toUpperCase();
      const [from, to] = fromRequester ? [requester, sender] : [sender, requester];
      window.push({
        time: new Date(start + at),
        conversationId,
        guid,
        interactionId: `${SERVICE}/${action}`,
        messageSender: asid(from),
        messageRecipient: asid(to),
        ...(ref ? { messageRef: ref } : {}),
        ...(code ? { jdiEvent: code } : {}),
        toSystem: supplier(to),
        fromSystem: supplier(from),
      });
      return guid;
    };
    const kind = random();
    const request = add(0, 'RCMR_IN010000UK05', true);
    if (kind < 0.01) continue; // request never acknowledged
    if (kind < 0.04) {
      add(MIN, 'MCCI_IN010000UK13', false, request, '06'); // fatal sender error
      continue;
    }
    add(MIN, 'MCCI_IN010000UK13', false, request);
    const extract = add(2 * MIN, 'RCMR_IN030000UK06', false);
    if (kind < 0.05) continue; // never integrated
    let t = 3 * MIN;
    if (kind > 0.75) {
      // large message: Continue, then 8-16 fragments each acknowledged
      add(t, 'COPC_IN000001UK01', true);
      const fragments = 8 + Math.floor(random() * 9);
      for (let f = 0; f < fragments; f++) {
        t += 5_000;
        const guid = add(t, 'COPC_IN000001UK01', false);
        add(t + 1_000, 'MCCI_IN010000UK13', true, guid);
      }
    }
    const late = random() < 0.05;
    const ackAt = t + (late ? 9 * DAY : Math.floor(random() * 3 * DAY));
    const code = random() < 0.02 ? '11' : random() < 0.01 ? '15' : undefined;
    add(ackAt, 'MCCI_IN010000UK13', true, extract, code);
    if (window.length >= 50_000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return rows;
}

// dispatched last: the constants above must be initialised before top-level await runs anything
if (process.argv[2] === MEASURE) {
  // child mode: classify one file in this process so its peak RSS is the classifier's alone
  const file = process.argv[3]!;
  const started = performance.now();
  const code = await main(['classify', '--cutoff-days', '14', file]);
  const elapsedMs = performance.now() - started;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  process.stderr.write(`${JSON.stringify({ code, elapsedMs: Math.round(elapsedMs), peakRssMb })}\n`);
} else {
  await bench();
}
