import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { samplePractice, SpineSimulator } from '../src/spine/index.ts';
import { openStore } from '../src/store/index.ts';
import { TransferEngine, PracticeRecordStore, storedDocumentUrl } from '../src/transfer/index.ts';
import { generateRecord, generatePatients, withDocumentUrls } from '../src/record/synthetic/index.ts';
import { GP2GP_INTERACTIONS } from '../src/spine/sds/sds-types.ts';
import { eq } from 'drizzle-orm';
import { schema } from '../src/store/index.ts';

const N = Number(process.argv[2] ?? 3);
import { PGlite } from '@electric-sql/pglite';
const stats = new Map<string, { n: number; ms: number; bytes: number }>();
for (const m of ['query', 'exec'] as const) {
  const orig = (PGlite.prototype as any)[m];
  (PGlite.prototype as any)[m] = async function (this: unknown, q: string, ...rest: unknown[]) {
    const t0 = performance.now();
    const r = await orig.call(this, q, ...rest);
    const key = String(q).replace(/\s+/g, ' ').slice(0, 110);
    const e = stats.get(key) ?? { n: 0, ms: 0, bytes: 0 };
    e.n++; e.ms += performance.now() - t0; e.bytes += JSON.stringify((r as any)?.rows ?? '').length;
    stats.set(key, e);
    return r;
  };
}
{
  const origTx = (PGlite.prototype as any).transaction;
  (PGlite.prototype as any).transaction = async function (this: unknown, fn: (tx: any) => Promise<unknown>) {
    const t0 = performance.now();
    try {
      return await origTx.call(this, async (tx: any) => {
        const q = tx.query.bind(tx);
        tx.query = async (text: string, ...rest: unknown[]) => {
          const t1 = performance.now();
          const r = await q(text, ...rest);
          const key = 'TX ' + String(text).replace(/\s+/g, ' ').slice(0, 100);
          const e = stats.get(key) ?? { n: 0, ms: 0, bytes: 0 };
          e.n++; e.ms += performance.now() - t1; e.bytes += JSON.stringify((r as any)?.rows ?? '').length;
          stats.set(key, e);
          return r;
        };
        return fn(tx);
      });
    } finally {
      const e = stats.get('TRANSACTION total') ?? { n: 0, ms: 0, bytes: 0 };
      e.n++; e.ms += performance.now() - t0; stats.set('TRANSACTION total', e);
    }
  };
}
process.on('exit', () => {
  const top = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 40);
  let n = 0, ms = 0; for (const v of stats.values()) { n += v.n; ms += v.ms; }
  console.log('queries', n, 'ms', ms.toFixed(0));
  for (const [k, v] of top) console.log(v.n, v.ms.toFixed(0) + 'ms', (v.bytes / v.n).toFixed(0) + 'B', k);
});
const dir = await mkdtemp(join(tmpdir(), 'prof-'));
const interactions = Object.fromEntries(GP2GP_INTERACTIONS.map((i) => [i, { persistDurationSeconds: 600, retries: 20, retryIntervalSeconds: 1 }]));
const spine = await SpineSimulator.start({ dataDir: join(dir, 'spine'), practices: [samplePractice('PA0001', 1, { interactions }), samplePractice('PB0002', 2, { interactions })], patients: [] });
import { createTestDatabase } from '../src/store/testing/test-databases.ts';
const pg = await createTestDatabase(); if (!pg.ok) throw new Error('no pg');
const store = await openStore({ dataDir: join(dir, 'e'), database: { kind: 'postgres', url: pg.url }, documentsDir: join(dir, 'docs') });
const engine = await TransferEngine.start({ store, spine: spine.urls, practices: ['PA0001', 'PB0002'].map((ods) => ({ ods, identity: spine.identityFor(ods) })), registerEndpoint: async (p, url) => { await spine.registerEndpoint(p.ods, url); } });
const records = new PracticeRecordStore(store.db, store.documents);
const patients = generatePatients(1, N, 'PB0002');
let t = Date.now();
for (const [i, p] of patients.entries()) {
  spine.pds.load([p as never]);
  const rec = generateRecord({ seed: i + 1, practiceOds: 'PB0002', patient: p, profile: 'median', documents: { count: Number(process.argv[3] ?? 200), bytes: Number(process.argv[4] ?? 500_000) } });
  const ids = new Map<string, string>();
  for (const d of rec.documents) { const put = await store.documents.put(d.open()); if (!put.ok) throw new Error(); ids.set(d.id, put.document.id); }
  const bundle = withDocumentUrls(rec.bundle, (id) => storedDocumentUrl(ids.get(id)!));
  const bid = await records.storeBundle(bundle);
  await records.put({ practiceOds: 'PB0002', nhsNumber: p.nhsNumber, bundleDocumentId: bid, at: new Date() });
}
console.log('seeded', Date.now() - t, 'ms');
const times: number[] = [];
for (const p of patients) {
  const t0 = Date.now();
  const r = await engine.commands.requestRecord({ practiceOds: 'PA0001', nhsNumber: p.nhsNumber });
  if (r.kind !== 'requested') throw new Error(JSON.stringify(r));
  await new Promise<void>((resolve) => { const on = (e: { transferId: string; to: string }) => { if (e.transferId === r.transfer.id && (e.to === 'ready-to-integrate' || e.to === 'failed')) { engine.off('transition', on); resolve(); } }; engine.on('transition', on); });
  times.push(Date.now() - t0);
  const [row] = await store.db.select().from(schema.transfers).where(eq(schema.transfers.id, r.transfer.id));
  console.log('transfer', Date.now() - t0, 'ms', row?.state, row?.reasonCode ?? '', row?.reasonText ?? '');
}
const { practiceEvents } = await import('../src/transfer/index.ts');
const { sql } = await import('drizzle-orm');
console.log((await store.db.execute(sql`select role, length(details::text) as d from transfers`)).rows);
console.log((await store.db.execute(sql`select interaction_id, avg(length(coalesce(payload,''))) p, avg(length(parts::text)) s, count(*) from inbound_messages group by 1`)).rows);
console.log((await store.db.execute(sql`select purpose, avg(length(spec::text)) s, avg(length(coalesce(payload,''))) p, count(*) from outbound_messages group by 1`)).rows);
console.log((await store.db.execute(sql`select count(*) from transfer_events`)).rows);
for (const ods of ['PA0001','PB0002']) {
  const ev = (await practiceEvents(store.db, { practiceOds: ods, limit: 400 })).reverse();
  const last = ev.filter((e) => e.transferId === ev.at(-1)!.transferId);
  const t0 = last[0]!.at.getTime();
  for (const e of last) console.log(ods, String(e.at.getTime() - t0).padStart(6), e.kind, e.text.slice(0, 90));
}
await engine.stop(); await spine.stop(); await store.close(); await pg.drop();
