/**
 * Document store benchmark: puts a generated document of N MB (random bytes, as compressed attachments are) and
 * reads it back whole and as one 4.5 MB fragment range, on each backend: files on disk, the database store on
 * PGlite, the database store on PostgreSQL (a scratch database on `DATABASE_URL`, else the local test server;
 * skipped where none answers). Each backend runs in a process of its own, so its RSS is its alone; RSS is
 * sampled during each phase (baseline = after opening). Prints one JSON line per backend.
 *
 *   node bench/document-store.ts [--mb 200] [--backend disk|pglite|postgres]
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DiskDocumentStore } from '../src/store/disk-document-store.ts';
import type { DocumentStore } from '../src/store/document-store.ts';
import { openStore } from '../src/store/store.ts';
import { createTestDatabase, tempFolder } from '../src/store/testing/test-databases.ts';

const BACKENDS = ['disk', 'pglite', 'postgres'] as const;
type Backend = (typeof BACKENDS)[number];
const MB = 1024 * 1024;
const PIECE = 64 * 1024 + 13; // what a network source delivers; not aligned with any chunk size

const { values } = parseArgs({
  options: { mb: { type: 'string', default: '200' }, backend: { type: 'string' } },
});
const mb = Number(values.mb);

if (values.backend === undefined) {
  for (const backend of BACKENDS) {
    const r = spawnSync(
      process.execPath,
      [...process.execArgv, import.meta.filename, '--backend', backend, '--mb', String(mb)],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) process.exitCode = 1;
  }
} else {
  await measure(values.backend as Backend);
}

/** Opens `backend` in a scratch place, runs put, read and a range read, and prints the figures. */
async function measure(backend: Backend): Promise<void> {
  const tmp = await tempFolder('bench-documents-');
  const pgdb = backend === 'postgres' ? await createTestDatabase() : undefined;
  if (pgdb && !pgdb.ok) {
    process.stdout.write(`${JSON.stringify({ backend, skipped: pgdb.skip })}\n`);
    await tmp.remove();
    return;
  }
  const store =
    backend === 'disk'
      ? undefined
      : await openStore({
          dataDir: tmp.path,
          database: pgdb?.ok ? { kind: 'postgres', url: pgdb.url } : { kind: 'pglite' },
          documents: { kind: 'database' },
        });
  const docs: DocumentStore = store?.documents ?? (await DiskDocumentStore.open(tmp.path));
  try {
    const baselineRssMb = rssMb();
    const bytes = mb * MB;
    const written = createHash('sha256');
    const put = await phase(() =>
      docs.put(
        (function* () {
          for (let left = bytes; left > 0; left -= PIECE) {
            const piece = randomBytes(Math.min(PIECE, left));
            written.update(piece);
            yield piece;
          }
        })(),
      ),
    );
    if (!put.result.ok) throw new Error(`put refused: ${put.result.reason}`);
    const id = put.result.document.id;
    if (id !== written.digest('hex')) throw new Error('the id is not the SHA-256 of the bytes written');
    const read = await phase(() => consume(docs, id));
    if (read.result !== id) throw new Error('the bytes read back differ');
    const fragment = { start: Math.floor(bytes / 3), end: Math.floor(bytes / 3) + 4.5 * MB - 1 };
    const range = await phase(() => consume(docs, id, fragment));
    process.stdout.write(
      `${JSON.stringify({
        backend,
        mb,
        putMBps: Math.round(mb / (put.ms / 1000)),
        readMBps: Math.round(mb / (read.ms / 1000)),
        fragmentReadMs: Math.round(range.ms),
        baselineRssMb,
        putPeakRssMb: put.peakRssMb,
        readPeakRssMb: read.peakRssMb,
        maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      })}\n`,
    );
  } finally {
    await (store ?? docs).close();
    if (pgdb?.ok) await pgdb.drop();
    await tmp.remove();
  }
}

/** Reads a document (or a range) to the end, returning the SHA-256 of what came. */
async function consume(
  docs: DocumentStore,
  id: string,
  range?: { start: number; end: number },
): Promise<string> {
  const read = await docs.read(id, range);
  if (!read.ok) throw new Error(`read failed: ${read.reason}`);
  const hash = createHash('sha256');
  for await (const piece of read.stream) hash.update(piece as Buffer);
  return hash.digest('hex');
}

/** Times `run`, sampling RSS while it goes. */
async function phase<T>(run: () => Promise<T>): Promise<{ result: T; ms: number; peakRssMb: number }> {
  let peak = rssMb();
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb());
  }, 20);
  const started = performance.now();
  try {
    const result = await run();
    return { result, ms: performance.now() - started, peakRssMb: Math.max(peak, rssMb()) };
  } finally {
    clearInterval(sampler);
  }
}

function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / MB);
}
