import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticExtract } from './synthetic-extract.ts';

/**
 * Benchmark for the message layer: reading a large EHR extract (as `gp2gp inspect` does) against
 * `xmllint --noout` on the same file. Usage: node bench/parse-extract.ts [MB=30] [runs=3]
 */
const megabytes = Number(process.argv[2] ?? 30);
const runs = Number(process.argv[3] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'gp2gp-bench-'));
const file = join(dir, `extract-${megabytes}mb.xml`);
try {
  await writeSyntheticExtract(file, megabytes);
  const size = statSync(file).size;
  const median = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const xmllint: number[] = [];
  const ours: number[] = [];
  let peak = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    execFileSync('xmllint', ['--noout', '--nonet', file]);
    xmllint.push(performance.now() - started);
    const r = spawnSync(process.execPath, [join(import.meta.dirname, 'measure-inspect.ts'), file], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    const m = JSON.parse(r.stdout) as { elapsedMs: number; peakRssMb: number };
    ours.push(m.elapsedMs);
    peak = Math.max(peak, m.peakRssMb);
  }
  const fileMb = size / 1024 / 1024;
  const result = {
    fileMb: Number(fileMb.toFixed(1)),
    xmllintMs: Math.round(median(xmllint)),
    gp2gpMs: Math.round(median(ours)),
    ratio: Number((median(ours) / median(xmllint)).toFixed(2)),
    peakRssMb: peak,
    rssPerFileSize: Number((peak / fileMb).toFixed(2)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
