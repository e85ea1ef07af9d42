/**
 * Benchmarks EHR Extract → FHIR on one file: throughput (MB/s, parse included) and peak RSS. Streams the file
 * from disk into the translator, as `gp2gp translate` does; `--whole` reads it whole first (translateExtractToBundle).
 *
 * Usage: node bench/translate-extract.ts FILE.xml [--whole]
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import {
  translateExtractStream,
  translateExtractToBundle,
} from '../src/record/from-hl7/translate-extract.ts';

const file = process.argv[2];
const whole = process.argv.includes('--whole');
if (!file) {
  process.stderr.write('usage: node bench/translate-extract.ts FILE.xml [--whole]\n');
  process.exit(2);
}
const size = statSync(file).size;
const t0 = performance.now();
const { bundle, warnings } = whole
  ? translateExtractToBundle(readFileSync(file))
  : await translateExtractStream(createReadStream(file));
const ms = performance.now() - t0;
const mb = size / 1048576;
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({
    file,
    path: whole ? 'whole' : 'stream',
    mb: Number(mb.toFixed(1)),
    ms: Math.round(ms),
    mbPerSecond: Number((mb / (ms / 1000)).toFixed(1)),
    peakRssMb: Math.round(peakMb),
    rssOverFile: Number((peakMb / mb).toFixed(1)),
    resources: bundle.entry?.length ?? 0,
    warnings: warnings.length,
  })}\n`,
);
