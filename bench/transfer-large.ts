import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { syntheticNhsNumber } from '../src/common/nhs-number.ts';
import { REPO_ROOT } from '../src/common/testing/shared-corpus.ts';
import type { TlsIdentity } from '../src/spine/index.ts';
import { openStore, type Store, schema } from '../src/store/index.ts';
import { createTestDatabase } from '../src/store/testing/test-databases.ts';
import { PracticeRecordStore, storedDocumentUrl, TransferEngine } from '../src/transfer/index.ts';
import { testDocument, testRecordBundle } from '../src/transfer/testing/transfer-network.ts';
import { copyOverMutualTls } from './tls-copy.ts';

/**
 * One large record end to end: a Spine simulator and an engine (hosting both practices) as processes of their
 * own on PostgreSQL, the record's documents on disk (`--documents disk`, default) or in the database; then the
 * same bytes copied plainly over a mutual-TLS loopback connection, as the baseline. Prints time, throughput and
 * every process's peak RSS.
 * Usage: node bench/transfer-large.ts [--mb 500] [--attachments 1000] [--documents disk|database]
 */
const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const totalMb = Number(args.get('mb') ?? 500);
const count = Number(args.get('attachments') ?? 1000);
const documentsKind = args.get('documents') ?? 'disk';
const A = 'BENCHA';
const B = 'BENCHB';

const pg = await createTestDatabase();
if (!pg.ok) {
  process.stdout.write(`skipped: ${pg.skip}\n`);
  process.exit(0);
}
const dir = await mkdtemp(join(tmpdir(), 'gp2gp-bench-transfer-'));
const children: ChildProcess[] = [];
try {
  await run(pg.url);
} finally {
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? once(c, 'exit') : undefined)));
  await pg.drop();
  await rm(dir, { recursive: true, force: true });
}

async function run(databaseUrl: string): Promise<void> {
  const nhs = syntheticNhsNumber(777);
  const sizes = documentSizes(totalMb * 1_000_000, count);
  const config = {
    sds: {
      practices: [practice(A, 1), practice(B, 2)],
    },
    pds: {
      patients: [
        {
          nhsNumber: nhs,
          family: 'Benchmark',
          given: ['Ada'],
          gender: 'female',
          birthDate: '1980-01-01',
          address: { line: ['1 Simulation Street'], postalCode: 'LS1 4AP' },
          gp: B,
          registeredSince: '2015-01-01',
        },
      ],
    },
  };
  await writeFile(join(dir, 'spine.json'), JSON.stringify(config));
  // The simulator keeps its state in the same PostgreSQL (its own spine_* tables), not in a PGlite of its own.
  const spineEnv = { ...process.env, DATABASE_URL: databaseUrl };
  const spineChild = spawn(
    join(REPO_ROOT, 'bin', 'gp2gp'),
    ['spine', '--config', join(dir, 'spine.json'), '--data-dir', join(dir, 'spine'), '--port', '0', '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: spineEnv },
  );
  children.push(spineChild);
  const spineInfo = JSON.parse(await firstLine(spineChild)) as { url: string; certificates: string };
  const certs = spineInfo.certificates;

  const documentsDir = join(dir, 'documents');
  const store = await openStore({
    dataDir: join(dir, 'engine'),
    database: { kind: 'postgres', url: databaseUrl },
    ...(documentsKind === 'disk' ? { documentsDir } : {}),
  });
  const records = new PracticeRecordStore(store.db, store.documents);
  const seededAt = Date.now();
  const docs = [];
  for (const [i, size] of sizes.entries()) {
    const put = await store.documents.put(pseudoRandom(size, i + 1));
    if (!put.ok) throw new Error('document too large');
    docs.push(testDocument(`doc-${i}`, `scan-${i}.pdf`, storedDocumentUrl(put.document.id), size));
  }
  const bundleDocumentId = await records.storeBundle(testRecordBundle(nhs, docs));
  await records.put({ practiceOds: B, nhsNumber: nhs, bundleDocumentId, at: new Date() });
  const seedMs = Date.now() - seededAt;

  const engineArgs = ['practice', '--ods', `${A},${B}`, '--spine', spineInfo.url, '--certs', certs];
  engineArgs.push('--database-url', databaseUrl, '--data-dir', join(dir, 'engine'));
  if (documentsKind === 'disk') engineArgs.push('--documents-dir', documentsDir);
  const engineChild = spawn(join(REPO_ROOT, 'bin', 'gp2gp'), engineArgs, {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(engineChild);
  await untilLine(engineChild, 'engine running');

  const identity = (name: string): TlsIdentity => ({
    name,
    keyPem: readFileSync(join(certs, `${name}.key.pem`), 'utf8'),
    certPem: readFileSync(join(certs, `${name}.cert.pem`), 'utf8'),
    caPem: readFileSync(join(certs, 'ca.cert.pem'), 'utf8'),
  });
  const spineUrls = {
    mhs: `${spineInfo.url}/reliablemessaging/forwardreliable`,
    pds: `${spineInfo.url}/personal-demographics/FHIR/R4`,
    sds: `${spineInfo.url}/spine-directory`,
  };
  const commands = await TransferEngine.start({
    store,
    spine: spineUrls,
    practices: [A, B].map((ods) => ({ ods, identity: identity(ods) })),
    serve: false,
  });
  const started = Date.now();
  const asked = await commands.commands.requestRecord({ practiceOds: A, nhsNumber: nhs, actor: 'bench' });
  if (asked.kind !== 'requested') throw new Error(JSON.stringify(asked));
  const sampler = sampleRss([engineChild, spineChild]);
  await until(store, asked.transfer.id, 'ready-to-integrate');
  const receivedMs = Date.now() - started;
  const integrated = await commands.commands.integrate({
    practiceOds: A,
    transferId: asked.transfer.id,
    actor: 'bench',
  });
  if (integrated.kind !== 'done') throw new Error(JSON.stringify(integrated));
  await until(store, asked.transfer.id, 'integrated');
  const peaks = sampler.stop();
  await commands.stop();

  // The baseline: the same bytes, read from the same store, posted over mutual TLS on loopback.
  const copy = await copyOverMutualTls(
    docs.map((d) => async () => {
      const read = await store.documents.read(
        d.content[0]!.attachment!.url!.replace('urn:gp2gp:document:', ''),
      );
      if (!read.ok) throw new Error('document missing');
      return read.stream;
    }),
    { server: identity('spine'), client: identity(A) },
  );
  await store.close();

  const bytes = sizes.reduce((a, b) => a + b, 0);
  const mb = bytes / 1e6;
  const line = (s: string) => process.stdout.write(`${s}\n`);
  line(
    `record: ${count} attachments, ${mb.toFixed(0)} MB (documents ${documentsKind}, PostgreSQL); seeded in ${(seedMs / 1000).toFixed(1)} s`,
  );
  line(
    `transfer: request → ready to integrate ${(receivedMs / 1000).toFixed(1)} s, ${(mb / (receivedMs / 1000)).toFixed(1)} MB/s`,
  );
  line(
    `plain mutual-TLS copy of the same bytes: ${(copy.ms / 1000).toFixed(1)} s, ${(mb / (copy.ms / 1000)).toFixed(1)} MB/s (ratio ${(copy.ms / receivedMs).toFixed(2)})`,
  );
  line(
    `peak RSS: engine ${peaks[0]} MB, spine ${peaks[1]} MB, this driver ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  line(
    JSON.stringify({
      mb: Math.round(mb),
      attachments: count,
      documents: documentsKind,
      transfer_ms: receivedMs,
      mb_per_s: Number((mb / (receivedMs / 1000)).toFixed(1)),
      copy_ms: Math.round(copy.ms),
      copy_mb_per_s: Number((mb / (copy.ms / 1000)).toFixed(1)),
      ratio: Number((copy.ms / receivedMs).toFixed(2)),
      peak_rss_mb: { engine: peaks[0], spine: peaks[1] },
    }),
  );
}

function practice(ods: string, n: number) {
  return {
    ods,
    name: `Bench practice ${ods}`,
    supplier: n % 2 ? 'SupplierA' : 'SupplierB',
    country: 'England',
    asid: `99900000010${n}`,
    partyKey: `${ods}-90010${n}`,
    gp2gpLive: true,
    largeMessageCompliant: true,
  };
}

/** Sizes summing to `total`: most small letters, some larger scans, a few very large ones (fragmented). */
function documentSizes(total: number, n: number): number[] {
  const weights = Array.from({ length: n }, (_, i) => (i % 100 === 0 ? 60 : i % 10 === 0 ? 8 : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const sizes = weights.map((w) => Math.floor((w / sum) * total));
  sizes[0]! += total - sizes.reduce((a, b) => a + b, 0);
  return sizes;
}

/** Incompressible bytes, 64 KB at a time, seeded per document. */
function* pseudoRandom(bytes: number, seed: number): Generator<Buffer> {
  let s = seed >>> 0;
  for (let at = 0; at < bytes; at += 65_536) {
    const chunk = Buffer.allocUnsafe(Math.min(65_536, bytes - at));
    for (let i = 0; i + 4 <= chunk.length; i += 4) {
      s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
      chunk.writeUInt32LE(s, i);
    }
    for (let i = chunk.length - (chunk.length % 4); i < chunk.length; i++) chunk[i] = i & 0xff;
    yield chunk;
  }
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) {
    child.stdout?.resume();
    return line;
  }
  throw new Error('the child ended without a line');
}

async function untilLine(child: ChildProcess, prefix: string): Promise<void> {
  const lines = createInterface({ input: child.stdout! });
  for await (const line of lines) if (line.startsWith(prefix)) break;
  child.stdout?.resume();
}

async function until(store: Store, id: string, state: string): Promise<void> {
  for (;;) {
    const [row] = await store.db.select().from(schema.transfers).where(eq(schema.transfers.id, id));
    if (row?.state === state) return;
    if (row && !row.open)
      throw new Error(`transfer ended ${row.state} ${row.reasonCode ?? ''} ${row.reasonText ?? ''}`);
    await delay(200);
  }
}

/** Samples the children's peak RSS (VmHWM) until stopped; returns MB per child. */
function sampleRss(of: ChildProcess[]): { stop(): number[] } {
  const peaks = of.map(() => 0);
  const read = () =>
    of.forEach((c, i) => {
      try {
        const status = readFileSync(`/proc/${c.pid}/status`, 'utf8');
        const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peaks[i] = Math.max(peaks[i]!, Math.round(kb / 1024));
      } catch {
        // the child has gone
      }
    });
  const timer = setInterval(read, 500);
  return {
    stop() {
      read();
      clearInterval(timer);
      return peaks;
    },
  };
}
