import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

/** One line of the summary table: what was measured, against what, and the command that measured it. */
export interface SummaryRow {
  readonly what: string;
  readonly figure: string;
  readonly baseline: string;
  /** Ours over the baseline, where both are times (lower is better), or baseline/ours for throughputs. */
  readonly ratio: string;
  readonly memory: string;
  readonly command: string;
}

const START = '<!-- npm run bench: start (written by bench/run.ts; edit the sections below, not this) -->';
const END = '<!-- npm run bench: end -->';

/** The machine a run was made on, as one line. */
export function machineLine(loadAtStart: readonly number[]): string {
  const cpu = cpus();
  return (
    `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.versions.node}; load average at the start ${loadAtStart.map((l) => l.toFixed(1)).join(' ')}, ` +
    `at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`
  );
}

/** The summary as Markdown: the date, the machine and one row per figure. */
export function summaryMarkdown(rows: readonly SummaryRow[], machine: string, at: Date): string {
  const cell = (s: string) => s.replaceAll('|', '\\|');
  return [
    START,
    `## Latest \`npm run bench\` (${at.toISOString().slice(0, 16).replace('T', ' ')} UTC)`,
    '',
    `Machine: ${machine}.`,
    '',
    'Each figure beside its baseline measured in the same run; the sections below explain them and keep the history.',
    '',
    '| what | figure | baseline (same run) | ratio | peak RSS | command |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${cell(r.what)} | ${cell(r.figure)} | ${cell(r.baseline)} | ${cell(r.ratio)} | ${cell(r.memory)} | \`${cell(r.command)}\` |`,
    ),
    END,
  ].join('\n');
}

/**
 * Puts the summary into the benchmarks page: in place of the last one, or after the page's introduction (before
 * its first section) the first time.
 */
export function writeSummary(file: string, markdown: string): void {
  const page = readFileSync(file, 'utf8');
  const from = page.indexOf(START);
  const to = page.indexOf(END);
  let next: string;
  if (from >= 0 && to > from) next = page.slice(0, from) + markdown + page.slice(to + END.length);
  else {
    const firstSection = page.indexOf('\n## ');
    const at = firstSection >= 0 ? firstSection + 1 : page.length;
    next = `${page.slice(0, at)}${markdown}\n\n${page.slice(at)}`;
  }
  writeFileSync(file, next);
}

/** The last line of a benchmark's output that is a JSON object, or undefined. */
export function lastJson(output: string): Record<string, unknown> | undefined {
  for (const line of output.trim().split('\n').reverse()) {
    if (!line.startsWith('{')) continue;
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {}
  }
  return undefined;
}
