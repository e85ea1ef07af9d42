import { summarizeFile } from '../src/cli/message-summary.ts';

// Run in a fresh process by bench/parse-extract.ts so that peak RSS belongs to this one read alone.
const file = process.argv[2];
if (!file) throw new Error('usage: measure-inspect.ts FILE');
const t0 = performance.now();
const summary = await summarizeFile(file);
const ms = performance.now() - t0;
process.stdout.write(
  `${JSON.stringify({ ms: Math.round(ms), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), counts: summary.counts })}\n`,
);
