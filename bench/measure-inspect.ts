import { summarizeFile } from '../src/cli/message-summary.ts';

// Run in a fresh process by bench/parse-extract.ts so that peak RSS belongs to this one read alone.
const file = process.argv[2];
if (!file) throw new Error('usage: measure-inspect.ts FILE');
const started = performance.now();
const summary = await summarizeFile(file);
const elapsedMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ elapsedMs: Math.round(elapsedMs), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), counts: summary.counts })}\n`,
);
