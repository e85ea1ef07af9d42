/**
 * Benchmarks EHR Extract → FHIR on one file: throughput (MB/s, parse included) and peak RSS.
 *
 * Usage: node bench/translate-extract.ts FILE.xml
 */
import { readFileSync } from 'node:fs';
import { translateExtractToBundle } from '../src/record/from-hl7/translate-extract.ts';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/translate-extract.ts FILE.xml\n');
  process.exit(2);
}
const bytes = readFileSync(file);
const t0 = performance.now();
const { bundle, warnings } = translateExtractToBundle(bytes);
const ms = performance.now() - t0;
const mb = bytes.byteLength / 1048576;
const peakMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({
    file,
    mb: Number(mb.toFixed(1)),
    ms: Math.round(ms),
    mbPerSecond: Number((mb / (ms / 1000)).toFixed(1)),
    peakRssMb: Math.round(peakMb),
    rssOverFile: Number((peakMb / mb).toFixed(1)),
    resources: bundle.entry?.length ?? 0,
    warnings: warnings.length,
  })}\n`,
);
