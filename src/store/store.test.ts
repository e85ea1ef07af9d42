import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../common/clock.ts';
import { DataFolderLock } from './data-folder-lock.ts';
import { DatabaseSeenMessageIds } from './database-seen-message-ids.ts';
import { openStore, type Store } from './store.ts';
import { StoreError } from './store-error.ts';
import { journalledMigrations } from './testing/migration-journal.ts';
import { tempFolder } from './testing/test-databases.ts';

/** Migrations in `migrations/`: every one runs on a fresh database. */
const MIGRATIONS = journalledMigrations();

// Each test opens its own store in its own folder (the first open of a folder, initdb, is the slow part).
const embedded = { kind: 'pglite' } as const; // even where CI exports DATABASE_URL

/** Runs `use` with a fresh temporary folder, removed after. */
async function inTempFolder(use: (dir: string) => Promise<void>): Promise<void> {
  const tmp = await tempFolder('store-');
  try {
    await use(tmp.path);
  } finally {
    await tmp.remove();
  }
}

const migrationCount = async (store: Store) =>
  (await store.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)).rows;

test('openStore: PGlite in DATA_DIR/db, documents in DATA_DIR/documents, migrated; a second open is refused while it is open', () =>
  inTempFolder(async (dir) => {
    const store = await openStore({ env: { DATA_DIR: dir }, database: embedded });
    try {
      assert.equal(store.kind, 'pglite');
      assert.ok(existsSync(join(dir, 'db', 'PG_VERSION')));
      assert.ok(existsSync(join(dir, 'documents', 'sha256')));
      assert.deepEqual(await migrationCount(store), [{ n: MIGRATIONS }]);
      await assert.rejects(
        openStore({ dataDir: dir, database: embedded }),
        (e) => e instanceof StoreError && e.code === 'locked' && e.message.includes(String(process.pid)),
      );
    } finally {
      await store.close();
    }
  }));

test('openStore: reopening keeps the data and finds no migration to run; close is idempotent', () =>
  inTempFolder(async (dir) => {
    const until = new Date(Date.now() + 60_000);
    const first = await openStore({ dataDir: dir, database: embedded });
    assert.equal(await first.seenMessageIds.claim('kept-1', until), 'new');
    await first.seenMessageIds.markDelivered('kept-1');
    await Promise.all([first.close(), first.close()]);
    const reopened = await openStore({ dataDir: dir, database: embedded });
    try {
      assert.equal(await reopened.seenMessageIds.claim('KEPT-1', until), 'delivered');
      assert.deepEqual(await migrationCount(reopened), [{ n: MIGRATIONS }]);
    } finally {
      await reopened.close();
    }
  }));

test('seen ids on PGlite: prune drops only ids past rememberUntil, in bounded batches', () =>
  inTempFolder(async (dir) => {
    const store = await openStore({ dataDir: dir, database: embedded });
    try {
      const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
      const seen = new DatabaseSeenMessageIds(store.db, { clock });
      for (let i = 0; i < 5; i++) await seen.claim(`old-${i}`, new Date(clock.now() + 1_000));
      await seen.markDelivered('old-0');
      await seen.claim('young', new Date(clock.now() + 60_000));
      await clock.advance(2_000);
      assert.equal(await seen.prune(3), 3);
      assert.equal(await seen.prune(3), 2);
      assert.equal(await seen.prune(3), 0);
      assert.equal(await seen.size(), 1);
      assert.equal(await seen.claim('young', new Date(clock.now() + 60_000)), 'in-progress');
    } finally {
      await store.close();
    }
  }));

test('a lock left by a process that is gone is taken over', () =>
  inTempFolder(async (dir) => {
    const path = join(dir, 'other.lock');
    await writeFile(path, '999999999\n'); // above any pid_max: no such process
    const r = await DataFolderLock.acquire(path);
    assert.ok(r.ok);
    const second = await DataFolderLock.acquire(path);
    assert.deepEqual(second, { ok: false, heldBy: process.pid });
    await r.lock.release();
    assert.equal(existsSync(path), false);
  }));
