import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { after, before, test } from 'node:test';
import { DiskDocumentStore } from './disk-document-store.ts';
import { tempFolder } from './testing/test-databases.ts';

let tmp: Awaited<ReturnType<typeof tempFolder>>;
let docs: DiskDocumentStore;
before(async () => {
  tmp = await tempFolder('documents-');
  docs = await DiskDocumentStore.open(join(tmp.path, 'documents'), { maxBytes: 64 * 1024 * 1024 });
});
after(async () => {
  await docs.close();
  await tmp.remove();
});

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

test('documents: put streams in, id is the SHA-256, read streams out (whole or a range), delete', async () => {
  const put = await docs.put(Readable.from(['hello ', 'world']));
  assert.deepEqual(put, { ok: true, document: { id: sha('hello world'), bytes: 11 } });
  if (!put.ok) return;
  const id = put.document.id;
  const whole = await docs.read(id);
  assert.ok(whole.ok);
  assert.equal(await text(whole.stream), 'hello world');
  const part = await docs.read(id, { start: 6, end: 10 });
  assert.ok(part.ok);
  assert.equal(part.bytes, 5);
  assert.equal(await text(part.stream), 'world');
  assert.deepEqual(await docs.read(id, { start: 5, end: 11 }), { ok: false, reason: 'bad-range' });
  assert.deepEqual(await docs.stat(id), { id, bytes: 11 });
  // The same bytes again: one file, the same id.
  const again = await docs.put([new TextEncoder().encode('hello world')]);
  assert.ok(again.ok && again.document.id === id);
  assert.equal(await docs.delete(id), true);
  assert.equal(await docs.delete(id), false);
  assert.deepEqual(await docs.read(id), { ok: false, reason: 'not-found' });
});

test('documents: ids that could name another path are refused', async () => {
  for (const id of ['../../etc/passwd', `../${'a'.repeat(62)}`, 'A'.repeat(64), `${'a'.repeat(64)}/x`, '']) {
    assert.deepEqual(await docs.read(id), { ok: false, reason: 'bad-id' }, id);
    assert.equal(await docs.stat(id), undefined);
    assert.equal(await docs.delete(id), false);
  }
});

test('documents: past the size limit nothing is kept, and the typed outcome says so', async () => {
  const big = Readable.from(
    (function* () {
      for (let i = 0; i < 10; i++) yield Buffer.alloc(1024, i);
    })(),
  );
  assert.deepEqual(await docs.put(big, { maxBytes: 4096 }), { ok: false, reason: 'too-large', limit: 4096 });
  assert.deepEqual(await readdir(join(docs.dir, 'tmp')), []);
  // A per-call limit may lower the store's limit, never raise it.
  const small = await docs.put([Buffer.alloc(10)], { maxBytes: 1e12 });
  assert.ok(small.ok);
});

test('documents: a large document streams through in chunks (never whole in memory)', async () => {
  const chunk = Buffer.alloc(1024 * 1024, 7);
  const hash = createHash('sha256');
  const chunks = 40;
  for (let i = 0; i < chunks; i++) hash.update(chunk);
  const put = await docs.put(
    Readable.from(
      (function* () {
        for (let i = 0; i < chunks; i++) yield chunk;
      })(),
    ),
  );
  assert.ok(put.ok);
  assert.equal(put.document.id, hash.digest('hex'));
  assert.equal(put.document.bytes, chunks * chunk.length);
  const read = await docs.read(put.document.id);
  assert.ok(read.ok);
  let n = 0;
  let largest = 0;
  for await (const c of read.stream) {
    n += (c as Buffer).length;
    largest = Math.max(largest, (c as Buffer).length);
  }
  assert.equal(n, chunks * chunk.length);
  assert.ok(largest <= 64 * 1024, `read in chunks of at most 64 KiB, not ${largest}`);
});

test('documents: a source that fails leaves nothing behind and rejects', async () => {
  const failing = Readable.from(
    (async function* () {
      yield Buffer.from('partial');
      throw new Error('connection reset');
    })(),
  );
  await assert.rejects(docs.put(failing), /connection reset/);
  assert.deepEqual(await readdir(join(docs.dir, 'tmp')), []);
});

test('documents: open clears old unfinished writes only; close waits for writes, then refuses', async () => {
  const dir = join(tmp.path, 'sweep');
  const first = await DiskDocumentStore.open(dir);
  await first.close();
  await writeFile(join(dir, 'tmp', 'crashed.part'), 'x');
  const young = await DiskDocumentStore.open(dir);
  assert.deepEqual(await readdir(join(dir, 'tmp')), ['crashed.part']);
  let finishWrite: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (finishWrite = resolve));
  const slow = young.put(
    Readable.from(
      (async function* () {
        await gate; // the write is still in flight when close is called
        yield Buffer.from('late');
      })(),
    ),
  );
  const closing = young.close();
  finishWrite();
  await closing;
  assert.ok((await slow).ok, 'the write in flight finished');
  await assert.rejects(young.put([Buffer.from('x')]), /closed/);
  const swept = await DiskDocumentStore.open(dir, { sweepTempOlderThanMs: -1 });
  assert.deepEqual(await readdir(join(dir, 'tmp')), []);
  await swept.close();
});
