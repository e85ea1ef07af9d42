import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { test } from 'node:test';
import fc from 'fast-check';
import type { DocumentSource, DocumentStore, PutOutcome } from '../document-store.ts';

/** A backing (a folder, a database) the shared document cases run against. */
export interface DocumentBackend {
  /** Opens another store on the same backing, as another process would; the backend closes it at teardown. */
  open(options?: { readonly maxBytes?: number }): Promise<DocumentStore>;
  /** Unfinished writes the backing holds (temporary files, unpublished uploads): 0 when nothing is left over. */
  unfinished(): Promise<number>;
}

/** A write held midway by its source: see {@link holdWrite}. */
export interface HeldWrite {
  readonly put: Promise<PutOutcome>;
  /** Settles once the source has given its first part and waits; rejects if the write ends before that. */
  readonly reached: Promise<void>;
  /** Lets the source give the rest (idempotent: also call it from `t.after`, so a failing test never hangs). */
  release(): void;
}

/**
 * Puts `first` then `rest` into `store`, holding the source between the two until released, so a test can look
 * at a write in flight.
 *
 * @example
 * const held = holdWrite(docs, a, b); t.after(held.release);
 * await held.reached; ...; held.release(); await held.put;
 */
export function holdWrite(store: DocumentStore, first: Uint8Array, rest: Uint8Array): HeldWrite {
  let midway = (): void => undefined;
  let release = (): void => undefined;
  const atMidway = new Promise<void>((resolve) => {
    midway = resolve;
  });
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const put = store.put(
    (async function* () {
      yield first;
      midway();
      await released;
      yield rest;
    })(),
  );
  const ended = put.then(() => {
    throw new Error('the write ended before its source was held');
  });
  return { put, reached: Promise.race([atMidway, ended]), release };
}

/** `bytes` cut into pieces of the given sizes (cycled), as a network source would deliver them. */
export function* piecesOf(bytes: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

/** The SHA-256 of `bytes` in lower-case hex: a document's id. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The whole of a read, or the reason there is none. */
export async function readAll(
  store: DocumentStore,
  id: string,
  range?: { start: number; end: number },
): Promise<Buffer | string> {
  const r = await store.read(id, range);
  if (!r.ok) return r.reason;
  const bytes = await buffer(r.stream);
  assert.equal(bytes.length, r.bytes, 'the read announces its length');
  return bytes;
}

async function putOk(store: DocumentStore, source: DocumentSource): Promise<string> {
  const put = await store.put(source);
  assert.ok(put.ok, 'stored');
  return put.document.id;
}

/**
 * The behaviour every {@link DocumentStore} shares, as node:test cases. Stores that chunk should be opened with
 * a small chunk size (4096 bytes suits these cases) so documents here span several chunks.
 *
 * @example
 * describe('disk', () => { let b: DocumentBackend; before(...); documentStoreCases(() => b); });
 */
export function documentStoreCases(backend: () => DocumentBackend): void {
  const open = (options?: { readonly maxBytes?: number }): Promise<DocumentStore> => backend().open(options);

  test('put streams in, the id is the SHA-256, read gives the whole or an inclusive range', async () => {
    const docs = await open();
    assert.deepEqual(await docs.put(Readable.from(['hello ', 'world'])), {
      ok: true,
      document: { id: sha256('hello world'), bytes: 11 },
    });
    assert.equal(String(await readAll(docs, sha256('hello world'), { start: 6, end: 10 })), 'world');
    const content = randomBytes(20_003);
    const id = await putOk(docs, piecesOf(content, [700, 1, 8999, 64]));
    assert.equal(id, sha256(content));
    assert.deepEqual(await docs.stat(id), { id, bytes: 20_003 });
    assert.deepEqual(await readAll(docs, id), content);
    assert.deepEqual(await readAll(docs, id, { start: 999, end: 9001 }), content.subarray(999, 9002));
    assert.deepEqual(await readAll(docs, id, { start: 4095, end: 4096 }), content.subarray(4095, 4097));
    assert.deepEqual(await readAll(docs, id, { start: 20_002, end: 20_002 }), content.subarray(20_002));
    assert.deepEqual(await readAll(docs, id, { start: 0, end: 0 }), content.subarray(0, 1));
  });

  test('ranges outside the document are refused; a missing document is not found', async () => {
    const docs = await open();
    const id = await putOk(docs, [Buffer.from('hello world')]);
    for (const range of [
      { start: 5, end: 11 },
      { start: -1, end: 3 },
      { start: 4, end: 3 },
      { start: 1.5, end: 3 },
    ]) {
      assert.deepEqual(await docs.read(id, range), { ok: false, reason: 'bad-range' }, JSON.stringify(range));
    }
    const missing = sha256('never stored');
    assert.deepEqual(await docs.read(missing), { ok: false, reason: 'not-found' });
    assert.equal(await docs.stat(missing), undefined);
  });

  test('ids that are not 64 lower-case hex digits are refused', async () => {
    const docs = await open();
    for (const id of ['../../etc/passwd', `../${'a'.repeat(62)}`, 'A'.repeat(64), 'a'.repeat(63), '']) {
      assert.deepEqual(await docs.read(id), { ok: false, reason: 'bad-id' }, id);
      assert.equal(await docs.stat(id), undefined);
      assert.equal(await docs.delete(id), false);
    }
  });

  test('an empty document is stored and reads back empty', async () => {
    const docs = await open();
    assert.deepEqual(await docs.put([]), { ok: true, document: { id: sha256(''), bytes: 0 } });
    assert.deepEqual(await readAll(docs, sha256('')), Buffer.alloc(0));
    assert.deepEqual(await docs.read(sha256(''), { start: 0, end: 0 }), { ok: false, reason: 'bad-range' });
  });

  test('the same bytes written twice are one document under one id', async () => {
    const docs = await open();
    const content = randomBytes(10_000);
    const first = await putOk(docs, [content]);
    const second = await putOk(docs, piecesOf(content, [3333]));
    assert.equal(second, first);
    assert.deepEqual(await readAll(docs, first), content);
    assert.equal(await backend().unfinished(), 0);
  });

  test('two writers of the same bytes at once, from two instances, both succeed', async (t) => {
    const [a, b] = [await open(), await open()];
    const content = randomBytes(17_321);
    const [first, rest] = [content.subarray(0, 10_000), content.subarray(10_000)];
    const writes = [holdWrite(a, first, rest), holdWrite(b, first, rest)];
    for (const w of writes) t.after(w.release);
    await Promise.all(writes.map((w) => w.reached)); // both are midway before either finishes
    for (const w of writes) w.release();
    const expected = { ok: true, document: { id: sha256(content), bytes: content.length } };
    assert.deepEqual(await Promise.all(writes.map((w) => w.put)), [expected, expected]);
    assert.deepEqual(await readAll(a, sha256(content)), content);
    assert.deepEqual(await readAll(b, sha256(content)), content);
    assert.equal(await backend().unfinished(), 0);
  });

  test('a document is invisible until its write completes', async (t) => {
    const [writer, reader] = [await open(), await open()];
    const content = randomBytes(14_000);
    const held = holdWrite(writer, content.subarray(0, 12_000), content.subarray(12_000));
    t.after(held.release);
    await held.reached;
    const id = sha256(content);
    assert.equal(await reader.stat(id), undefined);
    assert.deepEqual(await reader.read(id), { ok: false, reason: 'not-found' });
    assert.equal(await reader.stat(sha256(content.subarray(0, 12_000))), undefined);
    held.release();
    assert.ok((await held.put).ok);
    assert.deepEqual(await readAll(reader, id), content);
  });

  test('a source failing midway: put rejects with its error, nothing is visible, nothing is left', async () => {
    const docs = await open();
    const first = randomBytes(12_000); // several chunks stored before the failure
    const failing = (async function* () {
      yield first;
      throw new Error('connection reset');
    })();
    await assert.rejects(docs.put(failing), /connection reset/);
    assert.equal(await docs.stat(sha256(first)), undefined);
    assert.equal(await backend().unfinished(), 0);
  });

  test('past the size limit nothing is kept; a call may lower the limit, never raise it', async () => {
    const docs = await open({ maxBytes: 9000 });
    const tooBig = randomBytes(20 * 1024);
    assert.deepEqual(await docs.put(piecesOf(tooBig, [1024])), {
      ok: false,
      reason: 'too-large',
      limit: 9000,
    });
    assert.deepEqual(await docs.put([tooBig.subarray(0, 200)], { maxBytes: 100 }), {
      ok: false,
      reason: 'too-large',
      limit: 100,
    });
    assert.deepEqual(await docs.put([tooBig.subarray(0, 9001)], { maxBytes: 1e12 }), {
      ok: false,
      reason: 'too-large',
      limit: 9000,
    });
    assert.equal(await docs.stat(sha256(tooBig.subarray(0, 9000))), undefined);
    assert.equal(await backend().unfinished(), 0);
    const exact = await docs.put(piecesOf(tooBig.subarray(0, 9000), [1000]));
    assert.ok(exact.ok && exact.document.bytes === 9000, 'exactly the limit is accepted');
  });

  test('delete removes a document once; the same bytes can be stored again', async () => {
    const docs = await open();
    const content = randomBytes(9000);
    const id = await putOk(docs, [content]);
    assert.equal(await docs.delete(id), true);
    assert.equal(await docs.delete(id), false);
    assert.deepEqual(await docs.read(id), { ok: false, reason: 'not-found' });
    assert.equal(await docs.stat(id), undefined);
    assert.equal(await putOk(docs, [content]), id);
    assert.deepEqual(await readAll(docs, id), content);
  });

  test('a document is read as a stream of several pieces, never as one buffer of it all', async () => {
    const docs = await open();
    const piece = randomBytes(16 * 1024 + 7); // not a divisor of any chunk size: pieces straddle chunks
    const hash = createHash('sha256');
    const pieces = 20;
    const id = await putOk(
      docs,
      (function* () {
        for (let i = 0; i < pieces; i++) {
          hash.update(piece);
          yield piece;
        }
      })(),
    );
    assert.equal(id, hash.digest('hex'));
    const read = await docs.read(id);
    assert.ok(read.ok);
    const check = createHash('sha256');
    let count = 0;
    for await (const c of read.stream) {
      check.update(c as Buffer);
      count++;
    }
    assert.equal(check.digest('hex'), id);
    assert.ok(count > 1, `read in ${count} piece(s)`);
  });

  test('close waits for writes in flight, then refuses new ones', async (t) => {
    const docs = await open();
    const held = holdWrite(docs, randomBytes(5000), randomBytes(5000));
    t.after(held.release);
    const order: string[] = [];
    held.put.then(() => order.push('put'));
    await held.reached;
    const closing = docs.close().then(() => order.push('close'));
    held.release();
    await closing;
    assert.deepEqual(order, ['put', 'close']);
    assert.ok((await held.put).ok);
    await assert.rejects(docs.put([Buffer.from('x')]), /closed/);
  });

  test('property: any bytes, cut anywhere, read back identically, whole and in any range', async () => {
    const docs = await open();
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 13_000 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
        async (content, cuts, picks) => {
          const bytes = Buffer.from(content);
          const id = await putOk(docs, piecesOf(bytes, cuts));
          assert.equal(id, sha256(bytes));
          assert.deepEqual(await readAll(docs, id), bytes);
          if (bytes.length === 0) return;
          for (const [a, b] of picks) {
            const start = a % bytes.length;
            const end = start + (b % (bytes.length - start));
            assert.deepEqual(await readAll(docs, id, { start, end }), bytes.subarray(start, end + 1));
          }
        },
      ),
      { numRuns: 25 },
    );
  });
}
