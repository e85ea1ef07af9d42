import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../common/clock.ts';
import { DataFolderLock } from './data-folder-lock.ts';
import { DatabaseSeenMessageIds } from './database-seen-message-ids.ts';
import { mhsSeenMessageIds } from './schema.ts';
import { openStore, type Store } from './store.ts';
import { StoreError } from './store-error.ts';
import { tempFolder } from './testing/test-databases.ts';

// One fresh PGlite start for the whole file (the first start of a data folder is the slow one: initdb).
let tmp: Awaited<ReturnType<typeof tempFolder>>;
let store: Store;
const embedded = { kind: 'pglite' } as const; // even where CI exports DATABASE_URL
before(async () => {
  tmp = await tempFolder('store-');
});
after(async () => {
  await store?.close();
  await tmp.remove();
});

test('openStore: PGlite in DATA_DIR/db, documents in DATA_DIR/documents, migrated', async (t) => {
  const started = performance.now();
  store = await openStore({ env: { DATA_DIR: tmp.path }, database: embedded });
  t.diagnostic(`PGlite first open + migrations: ${Math.round(performance.now() - started)} ms`);
  assert.equal(store.kind, 'pglite');
  assert.ok(existsSync(join(tmp.path, 'db', 'PG_VERSION')));
  assert.ok(existsSync(join(tmp.path, 'documents', 'sha256')));
  const migrations = await store.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  assert.deepEqual(migrations.rows, [{ n: 1 }]);
});

test('openStore: the folder is one process’s; a second open is refused while the first is open', async () => {
  await assert.rejects(
    openStore({ dataDir: tmp.path, database: embedded }),
    (e) => e instanceof StoreError && e.code === 'locked' && e.message.includes(String(process.pid)),
  );
});

test('openStore: reopening keeps the data and finds no migration to run; close is idempotent', async (t) => {
  const until = new Date(Date.now() + 60_000);
  assert.equal(await store.seenMessageIds.claim('kept-1', until), 'new');
  await store.seenMessageIds.markDelivered('kept-1');
  await Promise.all([store.close(), store.close()]);
  const started = performance.now();
  store = await openStore({ dataDir: tmp.path, database: embedded });
  t.diagnostic(`PGlite reopen: ${Math.round(performance.now() - started)} ms`);
  assert.equal(await store.seenMessageIds.claim('KEPT-1', until), 'delivered');
  const migrations = await store.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  assert.deepEqual(migrations.rows, [{ n: 1 }]);
});

test('seen ids on PGlite: prune drops only ids past rememberUntil, in bounded batches', async () => {
  const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
  const seen = new DatabaseSeenMessageIds(store.db, { clock });
  await store.db.delete(mhsSeenMessageIds);
  for (let i = 0; i < 5; i++) await seen.claim(`old-${i}`, new Date(clock.now() + 1_000));
  await seen.markDelivered('old-0');
  await seen.claim('young', new Date(clock.now() + 60_000));
  await clock.advance(2_000);
  assert.equal(await seen.prune(3), 3);
  assert.equal(await seen.prune(3), 2);
  assert.equal(await seen.prune(3), 0);
  assert.equal(await seen.size(), 1);
  assert.equal(await seen.claim('young', new Date(clock.now() + 60_000)), 'in-progress');
});

test('seen ids on PGlite: claim throughput', async (t) => {
  const seen = store.seenMessageIds;
  const until = new Date(Date.now() + 60_000);
  const n = 500;
  const started = performance.now();
  for (let i = 0; i < n; i++) await seen.claim(`rate-${i}`, until);
  const ms = performance.now() - started;
  t.diagnostic(`PGlite: ${n} sequential claims in ${Math.round(ms)} ms (${Math.round((n / ms) * 1000)}/s)`);
});

test('a lock left by a process that is gone is taken over', async () => {
  const path = join(tmp.path, 'other.lock');
  await writeFile(path, '999999999\n'); // above any pid_max: no such process
  const r = await DataFolderLock.acquire(path);
  assert.ok(r.ok);
  const second = await DataFolderLock.acquire(path);
  assert.deepEqual(second, { ok: false, heldBy: process.pid });
  await r.lock.release();
  assert.equal(existsSync(path), false);
});
