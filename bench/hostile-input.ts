/**
 * Hostile-input benchmark: how long, and how much memory, the readers take to refuse (or accept) inputs shaped
 * to exhaust them. Each case runs in a fresh process (the V8 flag `bin/gp2gp` uses) so its peak RSS is its own.
 * Prints one JSON line per case.
 *
 *   node bench/hostile-input.ts xmlns 4000000     # one start tag with N namespace declarations, parsed
 *   node bench/hostile-input.ts gzip 1024         # a gzip attachment inflating to N MiB, decoded in memory
 *   node bench/hostile-input.ts gzip-stream 1024  # the same, decoded as a stream into a sink that discards it
 *   node bench/hostile-input.ts bundle 200000     # a Bundle of N Observations, `translate --to hl7`
 *   node bench/hostile-input.ts csv 100           # a Spine log with one N MB row, `classify`
 *
 * Several cases may be given in one call (`xmlns 1000000 csv 10`). Synthetic data only.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

const MEASURE = '--measure';
const CASES = ['xmlns', 'gzip', 'gzip-stream', 'bundle', 'csv'] as const;
type Case = (typeof CASES)[number];

interface Measurement {
  readonly ms: number;
  readonly peakRssMb: number;
  readonly outcome: string;
}

/** Runs one case in this process and reports it on stderr (child mode). */
async function measure(kind: Case, size: number, file: string): Promise<void> {
  const t0 = performance.now();
  let outcome = 'accepted';
  try {
    outcome = await CASE_RUNNERS[kind](size, file);
  } catch (e) {
    outcome = `refused: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 160);
  }
  const result: Measurement = {
    ms: Math.round(performance.now() - t0),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    outcome,
  };
  process.stderr.write(`${JSON.stringify(result)}\n`);
}

/** What each case does with its prepared input file; returns a description of the outcome. */
const CASE_RUNNERS: Record<Case, (size: number, file: string) => Promise<string>> = {
  async xmlns(_size, file) {
    const { readFileSync } = await import('node:fs');
    const { parseXml } = await import('../src/xml/index.ts');
    const doc = parseXml(readFileSync(file));
    return `accepted: <${doc.root.local}>`;
  },
  async gzip(_size, file) {
    const { readFileSync } = await import('node:fs');
    const { decodeAttachment } = await import('../src/ebxml/index.ts');
    const bytes = decodeAttachment({
      body: readFileSync(file),
      description: { filename: 'bomb.gz', compressed: true },
    });
    return `accepted: ${bytes.length} bytes`;
  },
  async 'gzip-stream'(_size, file) {
    const { createReadStream } = await import('node:fs');
    const { decodeAttachmentStream, MAX_ATTACHMENT_BYTES } = await import('../src/ebxml/index.ts');
    const description = { filename: 'bomb.gz', compressed: true };
    let bytes = 0;
    for await (const piece of decodeAttachmentStream(createReadStream(file), description, {
      maxBytes: MAX_ATTACHMENT_BYTES,
    }))
      bytes += (piece as Buffer).length;
    return `accepted: ${bytes} bytes`;
  },
  bundle: (_size, file) => runCli(['translate', file, '--to', 'hl7']),
  csv: (_size, file) => runCli(['classify', '--cutoff-days', '14', file]),
};

/** Runs a `gp2gp` command in this process with its stdout thrown away; stderr's first line is the outcome. */
async function runCli(args: string[]): Promise<string> {
  const { main } = await import('../src/cli/main.ts');
  let firstError = '';
  const stdoutWrite = process.stdout.write.bind(process.stdout);
  const stderrWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((_chunk: unknown, cb?: unknown) => {
    if (typeof cb === 'function') cb();
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: unknown) => {
    if (firstError === '') firstError = String(chunk).split('\n')[0] ?? '';
    return true;
  }) as typeof process.stderr.write;
  try {
    const code = await main(args);
    return `exit ${code}${firstError ? `: ${firstError.slice(0, 140)}` : ''}`;
  } finally {
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
  }
}

/** Writes the input for a case: an async source of text or bytes streamed to disk. */
async function prepare(kind: Case, size: number, file: string): Promise<void> {
  switch (kind) {
    case 'xmlns':
      return writeFrom(file, namespaceFlood(size));
    case 'gzip':
    case 'gzip-stream':
      // zeros compress about 1000:1, so the file is small and the inflated size is what hurts
      return pipeline(
        Readable.from(zeros(size * 1024 * 1024)),
        createGzip({ level: 9 }),
        createWriteStream(file),
      );
    case 'bundle':
      return writeFrom(file, observationBundle(size));
    case 'csv':
      return writeFrom(file, longRowLog(size * 1024 * 1024));
  }
}

async function writeFrom(file: string, source: Iterable<string>): Promise<void> {
  await pipeline(Readable.from(source), createWriteStream(file));
}

function* namespaceFlood(declarations: number): Generator<string> {
  yield '<root';
  const step = 10_000;
  for (let i = 0; i < declarations; i += step) {
    let chunk = '';
    for (let j = i; j < Math.min(declarations, i + step); j++) chunk += ` xmlns:p${j}="urn:x:${j}"`;
    yield chunk;
  }
  yield '/>';
}

function* zeros(bytes: number): Generator<Buffer> {
  const block = Buffer.alloc(1024 * 1024);
  for (let left = bytes; left > 0; left -= block.length)
    yield block.subarray(0, Math.min(left, block.length));
}

function* observationBundle(entries: number): Generator<string> {
  yield '{"resourceType":"Bundle","type":"collection","entry":[';
  yield '{"resource":{"resourceType":"Patient","id":"pat-1","identifier":[{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"9990000018"}]}}';
  for (let i = 0; i < entries; i += 1000) {
    let chunk = '';
    for (let j = i; j < Math.min(entries, i + 1000); j++) {
      chunk += `,{"resource":{"resourceType":"Observation","id":"obs-${j}","status":"final","code":{"coding":[{"system":"http://snomed.info/sct","code":"271649006","display":"Systolic blood pressure"}]},"effectiveDateTime":"2020-01-01","subject":{"reference":"Patient/pat-1"}}}`;
    }
    yield chunk;
  }
  yield ']}';
}

function* longRowLog(bytes: number): Generator<string> {
  yield '_time,conversationID,GUID,interactionID,messageSender,messageRecipient,messageRef,jdiEvent,toSystem,fromSystem\n';
  yield '2024-06-01T00:00:00.000+0000,';
  const block = 'C'.repeat(1024 * 1024);
  for (let left = bytes; left > 0; left -= block.length) yield block.slice(0, Math.min(left, block.length));
  yield ',G,urn:nhs:names:services:gp2gp/RCMR_IN010000UK05,999000000001,999000000002,NotProvided,NONE,,\n';
}

async function bench(argv: readonly string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gp2gp-bench-hostile-'));
  try {
    for (let i = 0; i < argv.length; i += 2) {
      const kind = argv[i] as Case;
      const size = Number(argv[i + 1]);
      if (!CASES.includes(kind) || !Number.isFinite(size))
        throw new Error(`usage: ${CASES.join('|')} SIZE …`);
      const file = join(dir, `${kind}-${size}`);
      await prepare(kind, size, file);
      const { size: fileBytes } = await import('node:fs').then((fs) => fs.statSync(file));
      const r = spawnSync(
        process.execPath,
        ['--max-semi-space-size=8', import.meta.filename, MEASURE, kind, String(size), file],
        { encoding: 'utf8', maxBuffer: 1 << 26 },
      );
      const last = r.stderr.trim().split('\n').at(-1) ?? '';
      const m = last.startsWith('{') ? (JSON.parse(last) as Measurement) : { crashed: r.stderr.slice(-400) };
      process.stdout.write(
        `${JSON.stringify({ case: kind, size, fileMb: Number((fileBytes / 1024 / 1024).toFixed(1)), ...m })}\n`,
      );
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === MEASURE) {
  await measure(process.argv[3] as Case, Number(process.argv[4]), process.argv[5]!);
} else {
  await bench(process.argv.slice(2));
}
