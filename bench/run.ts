import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sharedPath } from '../src/common/testing/shared-corpus.ts';
import { MEDIAN_DOCUMENTS } from '../src/demo/simulation-options.ts';
import { createTestDatabase } from '../src/store/testing/test-databases.ts';
import { lastJson, machineLine, type SummaryRow, summaryMarkdown, writeSummary } from './summary.ts';
import { copyOverMutualTls } from './tls-copy.ts';

/**
 * `npm run bench`: every benchmark of docs/BENCHMARKS.md in turn, each in its own process with the V8 flag
 * `bin/gp2gp` uses, printing what each prints; then writes the summary table at the top of docs/BENCHMARKS.md:
 * parse, translate, classify and end-to-end figures, each beside a baseline measured in the same run.
 * `--quick` runs smaller sizes (for trying the script, not for figures).
 */
const quick = process.argv.includes('--quick');
const dir = mkdtempSync(join(tmpdir(), 'gp2gp-bench-'));
const node = process.execPath;
const flags = ['--max-semi-space-size=8'];
const here = import.meta.dirname;
const repo = join(here, '..');
const rows: SummaryRow[] = [];
const loadAtStart = loadavg();

/** Runs one benchmark, echoing its output; returns its last JSON line. */
function run(title: string, args: string[]): Record<string, unknown> | undefined {
  process.stdout.write(`\n## ${title}\n`);
  const r = spawnSync(node, [...flags, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 28,
    // As bin/gp2gp runs: two malloc arenas.
    env: { ...process.env, FORCE_COLOR: '0', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
  });
  process.stdout.write(r.stdout);
  if (r.status !== 0) {
    process.exitCode = 1;
    return undefined;
  }
  return lastJson(r.stdout);
}

/** Median wall time of `xmllint --noout` on a file, in ms. */
function xmllintMs(file: string, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync('xmllint', ['--noout', '--nonet', '--huge', file]);
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

const ms = (n: number) => `${Math.round(n).toLocaleString('en-GB')} ms`;
const num = (v: unknown) => Number(v ?? Number.NaN);

try {
  const mb = quick ? '5' : '30';
  const parse = run(`Reading a large EHR extract (${mb} MB)`, [join(here, 'parse-extract.ts'), mb, '3']);
  if (parse)
    rows.push({
      what: `read a ${parse.fileMb} MB EHR extract (gp2gp inspect's path)`,
      figure: ms(num(parse.gp2gpMs)),
      baseline: `xmllint --noout ${ms(num(parse.xmllintMs))}`,
      ratio: `${parse.ratio}×`,
      memory: `${parse.peakRssMb} MB`,
      command: `node bench/parse-extract.ts ${mb} 3`,
    });

  const large = join(dir, `large-${mb}.xml`);
  if (sharedPath('corpus/ehr-extract/PWTP4.xml'))
    run(`Making a ${mb} MB extract from PWTP4`, [join(here, 'make-large-extract.ts'), large, mb]);
  if (existsSync(large)) {
    const t = run('Translating it to FHIR', [join(here, 'translate-extract.ts'), large]);
    const lint = xmllintMs(large);
    if (t)
      rows.push({
        what: `translate a ${t.mb} MB extract to FHIR (streamed, ${t.resources} resources)`,
        figure: `${ms(num(t.ms))}, ${t.mbPerSecond} MB/s`,
        baseline: `xmllint --noout ${ms(lint)}`,
        ratio: `${(num(t.ms) / lint).toFixed(2)}×`,
        memory: `${t.peakRssMb} MB`,
        command: `node bench/make-large-extract.ts FILE ${mb} && node bench/translate-extract.ts FILE`,
      });
  } else process.stdout.write('\n(translation benchmark skipped: ../shared/corpus is absent)\n');

  run('Spine simulator routing', [join(here, 'spine-routing.ts')]);
  run('MHS duplicate-elimination claims (store)', [join(here, 'store-claims.ts')]);

  const transfers = quick ? '20000' : '200000';
  const c = run('Classifying a month of Spine log', [
    join(here, 'classify.ts'),
    ...['--runs', '1', '--transfers', transfers, '--keep'],
  ]);
  if (c && typeof c.file === 'string') {
    const started = performance.now();
    execFileSync('wc', ['-l', c.file]);
    const wc = performance.now() - started;
    rows.push({
      what: `classify a month of Spine log (${num(c.rows).toLocaleString('en-GB')} rows, ${c.fileMb} MB)`,
      figure: ms(num(c.medianMs)),
      baseline: `wc -l on the same file ${ms(wc)}`,
      ratio: `${(num(c.medianMs) / wc).toFixed(1)}×`,
      memory: `${c.peakRssMb} MB`,
      command: `node bench/classify.ts --runs 1 --transfers ${transfers}`,
    });
    rmSync(c.file, { force: true });
  }

  run('Large messages: a document in fragments and back (16 MB, 128 MB)', [join(here, 'large-message.ts')]);
  run('Hostile input', [
    join(here, 'hostile-input.ts'),
    ...['xmlns', '4000000', 'gzip', '1024', 'gzip-stream', '1024', 'bundle', '100001', 'csv', '100'],
    ...['csv-unlimited', '100'],
  ]);
  run('Document store: a 200 MB document in and out (disk, PGlite, PostgreSQL)', [
    join(here, 'document-store.ts'),
  ]);
  run('Synthetic records and document bytes', [join(here, 'synthetic-records.ts')]);
  run('Practice web app pages with 10,000 transfers', [join(here, 'web-pages.ts')]);

  await endToEnd();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

writeSummary(
  join(repo, 'docs', 'BENCHMARKS.md'),
  summaryMarkdown(rows, machineLine(loadAtStart), new Date()),
);
process.stdout.write('\nSummary written to docs/BENCHMARKS.md\n');

/** The end-to-end figures: one large record, then many median ones with `gp2gp simulate`. */
async function endToEnd(): Promise<void> {
  const [size, count] = quick ? ['50', '100'] : ['500', '1000'];
  const big = run(`One large record end to end (${size} MB, ${count} attachments)`, [
    join(here, 'transfer-large.ts'),
    ...['--mb', size, '--attachments', count],
  ]);
  if (big && typeof big.transfer_ms === 'number') {
    const rss = big.peak_rss_mb as { engine: number; spine: number };
    rows.push({
      what: `one ${big.mb} MB record, ${big.attachments} attachments, request → ready to integrate (PostgreSQL)`,
      figure: `${ms(big.transfer_ms)}, ${big.mb_per_s} MB/s`,
      baseline: `plain mutual-TLS copy ${ms(num(big.copy_ms))}, ${big.copy_mb_per_s} MB/s`,
      ratio: `${big.ratio} of the copy's speed`,
      memory: `engine ${rss.engine} MB, Spine ${rss.spine} MB`,
      command: `node bench/transfer-large.ts --mb ${size} --attachments ${count}`,
    });
  }

  const patients = quick ? '20' : '200';
  const pg = await createTestDatabase();
  // Each at simulate's default concurrency (one transfer in flight per engine process), then PGlite loaded
  // beyond it, to show what queueing behind the CPU does to p50.
  const runs: { label: string; args: string[] }[] = [
    { label: 'PGlite, one process', args: ['--patients', patients] },
    { label: 'PGlite, 4 in flight', args: ['--patients', quick ? '10' : '100', '--concurrency', '4'] },
  ];
  if (pg.ok)
    runs.push({
      label: 'PostgreSQL, 2 engine processes',
      args: ['--patients', patients, '--database-url', pg.url, '--engines', '2'],
    });
  try {
    for (const r of runs) {
      const s = run(`gp2gp simulate: median records (${r.label})`, [
        join(here, 'simulate-e2e.ts'),
        ...r.args,
      ]);
      if (!s || typeof s.duration_ms !== 'number') continue;
      const seconds = s.duration_ms / 1000;
      const bytes = num(s.bytes);
      const completed = num(s.completed);
      // The baseline moves the same bytes in as many pieces as the records had documents.
      const pieces = Math.max(1, completed * MEDIAN_DOCUMENTS.count);
      const piece = Math.max(1, Math.floor(bytes / pieces));
      const copy = await copyOverMutualTls(Array.from({ length: pieces }, () => () => zeros(piece)));
      const mbps = bytes / 1e6 / seconds;
      const copyMbps = (piece * pieces) / 1e6 / (copy.ms / 1000);
      rows.push({
        what: `${s.transfers} median records end to end (${r.label}): ${completed} integrated and completed, lost ${s.lost}, duplicated ${s.duplicated}; registration → ready to integrate p50 ${ms(num(s.p50_ms))}, p95 ${ms(num(s.p95_ms))}`,
        figure: `${(completed / seconds).toFixed(2)} transfers/s, ${mbps.toFixed(1)} MB/s of attachments`,
        baseline: `plain mutual-TLS copy of the same bytes in ${pieces.toLocaleString('en-GB')} pieces: ${copyMbps.toFixed(1)} MB/s`,
        ratio: `${(mbps / copyMbps).toFixed(2)} of the copy's speed`,
        memory: `${s.peak_rss_mb} MB (all processes)`,
        command: `node bench/simulate-e2e.ts ${r.args.join(' ').replace(pg.ok ? pg.url : '\0', 'URL')}`,
      });
    }
  } finally {
    if (pg.ok) await pg.drop();
  }
}

/** `bytes` of zeros as a stream, 64 KB at a time (the copy's content does not matter, only its size). */
function zeros(bytes: number): Readable {
  const chunk = Buffer.alloc(65_536);
  return Readable.from(
    (function* () {
      for (let at = 0; at < bytes; at += chunk.length)
        yield chunk.subarray(0, Math.min(chunk.length, bytes - at));
    })(),
  );
}
