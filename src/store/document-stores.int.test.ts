import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { DatabaseDocumentStore } from './database-document-store.ts';
import { DiskDocumentStore } from './disk-document-store.ts';
import type { DocumentStore } from './document-store.ts';
import { openStore, type Store } from './store.ts';
import { databaseDocumentCases } from './testing/database-document-cases.ts';
import { type DocumentBackend, documentStoreCases } from './testing/document-store-cases.ts';
import { unpublishedChunkRows, unpublishedUploads } from './testing/document-tables.ts';
import { createTestDatabase, tempFolder } from './testing/test-databases.ts';

/**
 * One set of behavioural cases for every document store: files on disk, the database store on PGlite and the
 * database store on a real PostgreSQL (two pools on one database, as two engine processes; skipped with a message
 * where no server answers). The database stores use 4096-byte chunks so every document here spans several. Then
 * what only the database store does, on both databases, and a writer process killed midway on PostgreSQL.
 */

/** Stores opened by a backend, closed at its teardown. */
class Opened {
  private readonly stores: DocumentStore[] = [];
  add<T extends DocumentStore>(store: T): T {
    this.stores.push(store);
    return store;
  }
  async closeAll(): Promise<void> {
    await Promise.all(this.stores.map((s) => s.close()));
  }
}

function databaseBackend(dbs: () => readonly Database[], opened: Opened): DocumentBackend {
  let turn = 0; // alternate pools, so "another instance" really is another connection pool
  return {
    open: async (options) => {
      const all = dbs();
      const db = all[turn++ % all.length]!;
      return opened.add(await DatabaseDocumentStore.open(db, { chunkBytes: 4096, ...options }));
    },
    unfinished: () => unpublishedUploads(dbs()[0]!),
  };
}

describe('documents: on disk', () => {
  let tmp: Awaited<ReturnType<typeof tempFolder>>;
  const opened = new Opened();
  before(async () => {
    tmp = await tempFolder('docs-disk-');
  });
  after(async () => {
    await opened.closeAll();
    await tmp?.remove();
  });
  const dir = (): string => join(tmp.path, 'documents');
  documentStoreCases(() => ({
    open: async (options) => opened.add(await DiskDocumentStore.open(dir(), options)),
    unfinished: async () => (await readdir(join(dir(), 'tmp'))).length,
  }));
});

describe('documents: in the database, on PGlite', () => {
  // Hooks, not awaits in the describe body: node:test runs hooks registered after an await at the wrong time.
  let tmp: Awaited<ReturnType<typeof tempFolder>>;
  let store: Store;
  const opened = new Opened();
  before(async () => {
    tmp = await tempFolder('docs-pglite-');
    store = await openStore({
      dataDir: tmp.path,
      database: { kind: 'pglite' },
      documents: { kind: 'database' },
    });
  });
  after(async () => {
    await opened.closeAll();
    await store?.close();
    await tmp?.remove();
  });
  test('openStore: `documents` can put them in the database on PGlite too', () => {
    assert.ok(store.documents instanceof DatabaseDocumentStore);
  });
  const backend = databaseBackend(() => [store.db], opened);
  documentStoreCases(() => backend);
  databaseDocumentCases(() => store.db);
});

const pgdb = await createTestDatabase();
describe('documents: in the database, on PostgreSQL', { skip: pgdb.ok ? false : pgdb.skip }, () => {
  let tmp: Awaited<ReturnType<typeof tempFolder>>;
  const stores: Store[] = [];
  const opened = new Opened();
  const open = async (options: Parameters<typeof openStore>[0] = {}): Promise<Store> => {
    if (!pgdb.ok) throw new Error('no database');
    const store = await openStore({
      dataDir: tmp.path,
      database: { kind: 'postgres', url: pgdb.url, poolSize: 4 },
      ...options,
    });
    stores.push(store);
    return store;
  };
  before(async () => {
    tmp = await tempFolder('docs-pg-');
    await Promise.all([open(), open()]); // two engine processes on one database
  });
  after(async () => {
    await opened.closeAll();
    await Promise.all(stores.map((s) => s.close()));
    if (pgdb.ok) await pgdb.drop();
    await tmp?.remove();
  });
  const backend = databaseBackend(() => stores.slice(0, 2).map((s) => s.db), opened);
  documentStoreCases(() => backend);
  databaseDocumentCases(() => stores[0]!.db);

  test('openStore: PostgreSQL keeps documents in the database by default; a folder when told', async () => {
    assert.ok(stores[0]?.documents instanceof DatabaseDocumentStore);
    assert.ok((await open({ documentsDir: tmp.path })).documents instanceof DiskDocumentStore);
    assert.ok((await open({ documents: { kind: 'disk' } })).documents instanceof DiskDocumentStore);
  });

  test('a writer process killed midway leaves nothing visible; prune removes its chunks', async () => {
    if (!pgdb.ok) return;
    const db = stores[0]!.db;
    const documentCount = async (): Promise<number | undefined> =>
      (await db.execute<{ n: number }>(sql`select count(*)::int as n from documents`)).rows[0]?.n;
    const visibleBefore = await documentCount();
    const script = fileURLToPath(new URL('./testing/crash-midway-writer.ts', import.meta.url));
    const child = spawn(process.execPath, [script, pgdb.url, '1000', '3'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = once(child, 'exit');
    let out = '';
    for await (const piece of child.stdout) {
      out += String(piece);
      if (out.includes('midway')) break;
    }
    assert.match(out, /midway/);
    child.kill('SIGKILL');
    await exited;
    assert.equal(await documentCount(), visibleBefore, 'nothing visible');
    assert.equal(await unpublishedUploads(db), 1);
    assert.equal(await unpublishedChunkRows(db), 3);
    const docs = await DatabaseDocumentStore.open(db);
    assert.equal(await docs.prune({ olderThanMs: 0 }), 1);
    assert.equal(await unpublishedChunkRows(db), 0);
    assert.equal(await documentCount(), visibleBefore, 'still nothing visible');
    await docs.close();
  });
});
