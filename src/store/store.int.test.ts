import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from './store.ts';
import { StoreError } from './store-error.ts';
import { createTestDatabase, tempFolder } from './testing/test-databases.ts';

// A real PostgreSQL (DATABASE_URL, else the local test server): a database of this run's own, dropped after.
const pgdb = await createTestDatabase();
const skip = pgdb.ok ? false : pgdb.skip;
let tmp: Awaited<ReturnType<typeof tempFolder>>;
const stores: Store[] = [];
before(async () => {
  tmp = await tempFolder('store-int-');
});
after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  if (pgdb.ok) await pgdb.drop();
  await tmp.remove();
});

test('PostgreSQL: instances starting at once migrate once (advisory lock) and share the tables', {
  skip,
}, async (t) => {
  if (!pgdb.ok) return;
  const started = performance.now();
  const opened = await Promise.all(
    [1, 2, 3].map(() =>
      openStore({ dataDir: tmp.path, database: { kind: 'postgres', url: pgdb.url, poolSize: 4 } }),
    ),
  );
  t.diagnostic(`three concurrent opens + migration: ${Math.round(performance.now() - started)} ms`);
  stores.push(...opened);
  const [a, b] = opened;
  assert.ok(a && b);
  assert.equal(a.kind, 'postgres');
  const migrations = await a.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  assert.deepEqual(migrations.rows, [{ n: 1 }]);
  const until = new Date(Date.now() + 60_000);
  assert.equal(await a.seenMessageIds.claim('shared-1', until), 'new');
  assert.equal(await b.seenMessageIds.claim('shared-1', until), 'in-progress');
  await a.seenMessageIds.markDelivered('shared-1');
  assert.equal(await b.seenMessageIds.claim('shared-1', until), 'delivered');
});

test('PostgreSQL: claim throughput, sequential and from a pool of 8', { skip }, async (t) => {
  const store = stores[0];
  if (!store || !pgdb.ok) return;
  const seen = store.seenMessageIds;
  const until = new Date(Date.now() + 60_000);
  const n = 1000;
  let started = performance.now();
  for (let i = 0; i < n; i++) await seen.claim(`seq-${i}`, until);
  let ms = performance.now() - started;
  t.diagnostic(
    `PostgreSQL: ${n} sequential claims in ${Math.round(ms)} ms (${Math.round((n / ms) * 1000)}/s)`,
  );
  const wide = await openStore({
    dataDir: tmp.path,
    database: { kind: 'postgres', url: pgdb.url, poolSize: 8 },
  });
  stores.push(wide);
  started = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) => wide.seenMessageIds.claim(`par-${i % (n / 2)}`, until)),
  );
  ms = performance.now() - started;
  t.diagnostic(
    `PostgreSQL: ${n} concurrent claims (pool 8) in ${Math.round(ms)} ms (${Math.round((n / ms) * 1000)}/s)`,
  );
  assert.equal(results.filter((r) => r === 'new').length, n / 2, 'each of the ids won exactly once');
});

test('PostgreSQL: a server that does not answer is a StoreError "unreachable"', async () => {
  await assert.rejects(
    openStore({
      dataDir: tmp.path,
      database: {
        kind: 'postgres',
        url: 'postgres://nobody:secret@127.0.0.1:1/none',
        connectTimeoutMs: 1_000,
      },
    }),
    (e) => e instanceof StoreError && e.code === 'unreachable' && !e.message.includes('secret'),
  );
});
