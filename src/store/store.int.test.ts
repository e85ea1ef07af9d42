import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openStore, type Store } from './store.ts';
import { StoreError } from './store-error.ts';
import { journalledMigrations } from './testing/migration-journal.ts';
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
}, async () => {
  if (!pgdb.ok) return;
  const opened = await Promise.all(
    [1, 2, 3].map(() =>
      openStore({ dataDir: tmp.path, database: { kind: 'postgres', url: pgdb.url, poolSize: 4 } }),
    ),
  );
  stores.push(...opened);
  const [a, b] = opened;
  assert.ok(a && b);
  assert.equal(a.kind, 'postgres');
  const migrations = await a.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  assert.deepEqual(migrations.rows, [{ n: journalledMigrations() }]);
  const until = new Date(Date.now() + 60_000);
  const id = randomUUID();
  assert.equal(await a.seenMessageIds.claim(id, until), 'new');
  assert.equal(await b.seenMessageIds.claim(id, until), 'in-progress');
  await a.seenMessageIds.markDelivered(id);
  assert.equal(await b.seenMessageIds.claim(id, until), 'delivered');
});

test('PostgreSQL: 1000 concurrent claims of 500 ids from a pool of 8: each id is won exactly once', {
  skip,
}, async () => {
  if (!pgdb.ok) return;
  const wide = await openStore({
    dataDir: tmp.path,
    database: { kind: 'postgres', url: pgdb.url, poolSize: 8 },
  });
  stores.push(wide);
  const until = new Date(Date.now() + 60_000);
  const run = randomUUID();
  const results = await Promise.all(
    Array.from({ length: 1000 }, (_, i) => wide.seenMessageIds.claim(`${run}-${i % 500}`, until)),
  );
  assert.equal(results.filter((r) => r === 'new').length, 500);
  assert.equal(results.filter((r) => r === 'in-progress').length, 500);
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
