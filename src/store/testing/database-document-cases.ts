import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { Database } from '../database.ts';
import { type DatabaseDocumentOptions, DatabaseDocumentStore } from '../database-document-store.ts';
import type { DocumentStore } from '../document-store.ts';
import { holdWrite, readAll, sha256 } from './document-store-cases.ts';
import { documentChunkRows, unpublishedChunkRows, unpublishedUploads } from './document-tables.ts';

/**
 * What only the database store does, as node:test cases: chunk rows, fetching just the chunks a read needs, and
 * cleaning up after writers that died. Expects no write in flight on `database` between cases.
 *
 * @example
 * describe('on PGlite', () => { ...; databaseDocumentCases(() => store.db); });
 */
export function databaseDocumentCases(database: () => Database): void {
  const opened: DocumentStore[] = [];
  after(() => Promise.all(opened.map((s) => s.close())));
  const open = async (options: DatabaseDocumentOptions = {}): Promise<DatabaseDocumentStore> => {
    const store = await DatabaseDocumentStore.open(database(), { chunkBytes: 1000, ...options });
    opened.push(store);
    return store;
  };
  /** Removes a document's chunk rows from `seq` on, behind the store's back. */
  const dropChunks = async (id: string, fromSeq: number, toSeq: number): Promise<void> => {
    await database().execute(sql`
      delete from document_chunks c using documents d
      where d.upload_id = c.upload_id and d.id = ${id} and c.seq between ${fromSeq} and ${toSeq}`);
  };

  test('a document is stored in chunks of the chunk size, and the same bytes again add none', async () => {
    const docs = await open();
    const content = randomBytes(3500);
    const put = await docs.put([content]);
    assert.ok(put.ok);
    assert.equal(await documentChunkRows(database(), put.document.id), 4);
    const before = await unpublishedChunkRows(database());
    assert.ok((await docs.put([content.subarray(0, 1700), content.subarray(1700)])).ok);
    assert.equal(await documentChunkRows(database(), put.document.id), 4);
    assert.equal(await unpublishedChunkRows(database()), before);
  });

  test('in default 1 MiB chunks, every byte value round-trips through the driver unchanged', async () => {
    const docs = await open({ chunkBytes: undefined });
    const content = Buffer.alloc(2.5 * 1024 * 1024);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7 + (i >> 10)) % 256;
    const put = await docs.put([content]);
    assert.ok(put.ok);
    assert.equal(await documentChunkRows(database(), put.document.id), 3);
    assert.ok(content.equals((await readAll(docs, put.document.id)) as Buffer));
    const across = { start: 1024 * 1024 - 3, end: 1024 * 1024 + 2 };
    assert.deepEqual(
      await readAll(docs, put.document.id, across),
      content.subarray(across.start, across.end + 1),
    );
  });

  test('a range read fetches only the chunks the range touches', async () => {
    const docs = await open();
    const content = randomBytes(5000);
    const id = sha256(content);
    assert.ok((await docs.put([content])).ok);
    await dropChunks(id, 0, 0);
    await dropChunks(id, 4, 4);
    assert.deepEqual(await readAll(docs, id, { start: 1000, end: 3999 }), content.subarray(1000, 4000));
    assert.deepEqual(await readAll(docs, id, { start: 1500, end: 1600 }), content.subarray(1500, 1601));
    await assert.rejects(readAll(docs, id), /chunk 0 is gone/);
  });

  test('a read fetches chunk by chunk as the consumer pulls, never all at once', async () => {
    // 64 KiB chunks: one fills the stream's buffer, so it stops fetching until the consumer takes it.
    const docs = await open({ chunkBytes: 64 * 1024 });
    const content = randomBytes(10 * 64 * 1024);
    const id = sha256(content);
    assert.ok((await docs.put([content])).ok);
    const read = await docs.read(id);
    assert.ok(read.ok);
    const pieces = read.stream[Symbol.asyncIterator]();
    const first = await pieces.next();
    assert.deepEqual(first.value, content.subarray(0, 64 * 1024));
    await dropChunks(id, 4, 9); // not fetched yet: the stream must find them gone
    const rest = (async () => {
      for (let n = await pieces.next(); !n.done; n = await pieces.next());
    })();
    await assert.rejects(rest, /chunk 4 is gone/);
  });

  test('an upload left by a stalled or dead writer is pruned once stale; the writer then fails', async (t) => {
    const [writer, other] = [await open(), await open()];
    const content = randomBytes(3500);
    const held = holdWrite(writer, content.subarray(0, 3000), content.subarray(3000));
    t.after(held.release);
    await held.reached;
    assert.equal(await unpublishedUploads(database()), 1);
    assert.equal(await unpublishedChunkRows(database()), 3);
    assert.equal(await other.prune(), 0, 'not stale yet (default: untouched for an hour)');
    assert.equal(await other.prune({ olderThanMs: 0 }), 1);
    assert.equal(await unpublishedChunkRows(database()), 0);
    held.release();
    await assert.rejects(held.put, /removed as abandoned/);
    assert.equal(await writer.stat(sha256(content)), undefined);
    assert.equal(await unpublishedUploads(database()), 0);
  });

  test('opening a store removes stale uploads; published documents are never pruned', async (t) => {
    const writer = await open();
    const kept = randomBytes(1500);
    const put = await writer.put([kept]);
    assert.ok(put.ok);
    const stalled = holdWrite(writer, randomBytes(2000), randomBytes(10));
    t.after(stalled.release);
    await stalled.reached;
    await open({ staleUploadMs: 0 }); // another process starting
    assert.equal(await unpublishedUploads(database()), 0);
    stalled.release();
    await assert.rejects(stalled.put, /removed as abandoned/);
    assert.equal(await writer.prune({ olderThanMs: 0 }), 0);
    assert.deepEqual(await readAll(writer, put.document.id), kept);
  });
}
