import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { AttachmentDescription } from '../../ebxml/index.ts';
import type { DiskDocumentStore } from '../../store/index.ts';
import { assembleDocument } from './assemble-document.ts';
import { assembleExtract } from './assemble-extract.ts';
import type { AssemblyPlan } from './assembly-types.ts';
import { putBytes, tempDocumentStore } from './testing/temp-store.ts';

async function read(documents: DiskDocumentStore, id: string): Promise<Buffer> {
  const r = await documents.read(id);
  if (!r.ok) throw new Error(r.reason);
  return buffer(r.stream);
}

/** Stores `bytes` cut into `n` pieces and returns the plan that joins them. */
async function planOf(
  documents: DiskDocumentStore,
  bytes: Buffer,
  description: AttachmentDescription,
  n = 3,
): Promise<AssemblyPlan> {
  const size = Math.ceil(bytes.length / n) || 1;
  const pieces = [];
  for (let at = 0, i = 0; at < bytes.length || i === 0; at += size, i++) {
    const slice = bytes.subarray(at, at + size);
    pieces.push({ storedId: await putBytes(documents, slice), bytes: slice.length, messageId: `F${i}` });
  }
  return {
    href: 'mid:I',
    filename: description.filename ?? 'doc',
    contentType: 'application/octet-stream',
    description,
    route: 'fragments',
    pieces,
  };
}

/** A TIFF header and bytes that do not compress much (so gzip of it is several pieces long). */
const tiff = Buffer.concat([
  Buffer.from('II*\0'),
  Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)),
]);

describe('assembleDocument', () => {
  for (const [name, wire, description] of [
    ['raw pieces join as they are', tiff, { filename: 'a.tif' }, { base64: false, gzip: false }],
    [
      'base64 text is decoded where OriginalBase64 says so',
      Buffer.from(tiff.toString('base64').replace(/.{76}/g, '$&\r\n')),
      { filename: 'b.tif', originalBase64: true },
    ],
    ['gzip is inflated where Compressed says so', gzipSync(tiff), { filename: 'c.tif', compressed: true }],
    [
      'base64 of gzip is decoded then inflated',
      Buffer.from(gzipSync(tiff).toString('base64')),
      { filename: 'd.tif', compressed: true, originalBase64: false },
    ],
  ] as const) {
    test(name, async () => {
      const documents = await tempDocumentStore();
      const r = await assembleDocument(await planOf(documents, wire, description), documents);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(await read(documents, r.stored.id), tiff);
    });
  }

  test('a .gz document sent with Compressed=No stays gzip', async () => {
    const documents = await tempDocumentStore();
    const gz = gzipSync('archive');
    const r = await assembleDocument(
      await planOf(documents, gz, { filename: 'x.gz', compressed: false }),
      documents,
    );
    assert.ok(r.ok);
    assert.deepEqual(await read(documents, r.stored.id), gz);
  });

  test('prose described as OriginalBase64 (as real senders write it) is kept as it is', async () => {
    const documents = await tempDocumentStore();
    const text = Buffer.from(
      'WAR AND PEACE\n\nBy Leo Tolstoy. Well, Prince, so Genoa and Lucca...\n'.repeat(50),
    );
    const r = await assembleDocument(
      await planOf(documents, text, { filename: 'book.txt', originalBase64: true }),
      documents,
    );
    assert.ok(r.ok);
    assert.deepEqual(await read(documents, r.stored.id), text);
  });

  test('an empty document assembles to an empty document', async () => {
    const documents = await tempDocumentStore();
    const r = await assembleDocument(
      await planOf(documents, Buffer.alloc(0), { filename: 'e' }, 1),
      documents,
    );
    assert.ok(r.ok);
    assert.equal(r.stored.bytes, 0);
  });

  test('pieces that do not inflate are a reassembly failure (29)', async () => {
    const documents = await tempDocumentStore();
    const gz = gzipSync(tiff);
    const plan = await planOf(documents, gz, { filename: 'c.tif', compressed: true });
    const shuffled = { ...plan, pieces: [plan.pieces[0]!, plan.pieces[2]!, plan.pieces[1]!] };
    const r = await assembleDocument(shuffled, documents);
    assert.deepEqual([r.ok, !r.ok && r.reasonCode], [false, '29']);
  });

  test('a piece gone from the store is a general failure (30), naming its message', async () => {
    const documents = await tempDocumentStore();
    const plan = await planOf(documents, tiff, { filename: 'a.tif' });
    await documents.delete(plan.pieces[1]!.storedId);
    const r = await assembleDocument(plan, documents);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.detail : '', /message F1/);
    assert.equal(!r.ok && r.reasonCode, '30');
  });

  test('a document inflating past the limit is refused (30) and nothing is kept', async () => {
    const documents = await tempDocumentStore();
    const plan = await planOf(documents, gzipSync(Buffer.alloc(200_000)), {
      filename: 'bomb',
      compressed: true,
    });
    const r = await assembleDocument(plan, documents, { maxDocumentBytes: 10_000 });
    assert.deepEqual([r.ok, !r.ok && r.reasonCode], [false, '30']);
  });
});

describe('assembleExtract', () => {
  const extract =
    '<?xml version="1.0" encoding="UTF-8"?>\n<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"><id root="X"/></RCMR_IN030000UK06>';
  const skeletonPayload =
    '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"><ehrFolder><component><ehrComposition><component>' +
    '<NarrativeStatement><id root="e1"/><text>skeleton</text></NarrativeStatement>' +
    '</component></ehrComposition></component></ehrFolder></RCMR_IN030000UK06>';

  test('the core payload is the extract when there is no skeleton', async () => {
    const documents = await tempDocumentStore();
    const r = await assembleExtract({ kind: 'payload' }, documents, { corePayload: extract });
    assert.ok(r.ok);
    assert.equal(r.source, 'payload');
    assert.equal((await read(documents, r.stored.id)).toString(), extract);
  });

  test('a payload the engine stored is the extract as stored, and a skeleton payload may be stored too', async () => {
    const documents = await tempDocumentStore();
    const storedId = await putBytes(documents, Buffer.from(extract));
    const r = await assembleExtract({ kind: 'payload' }, documents, { corePayload: { storedId } });
    assert.deepEqual(r.ok && r.stored, { id: storedId, bytes: Buffer.byteLength(extract) });
    const part = '<ehrComposition><id root="real"/></ehrComposition>';
    const document = await planOf(documents, gzipSync(part), { filename: 'e.gz', compressed: true });
    const skeletonId = await putBytes(documents, Buffer.from(skeletonPayload));
    const s = await assembleExtract({ kind: 'skeleton', document, skeletonDocumentId: 'E1' }, documents, {
      corePayload: { storedId: skeletonId },
    });
    assert.ok(s.ok);
    assert.match(
      (await read(documents, s.stored.id)).toString(),
      /<component><ehrComposition><id root="real"\/>/,
    );
    const gone = await assembleExtract({ kind: 'payload' }, documents, {
      corePayload: { storedId: 'f'.repeat(64) },
    });
    assert.deepEqual([gone.ok, !gone.ok && gone.reasonCode], [false, '30']);
  });

  test("a skeleton's attachment holding the whole message is the extract", async () => {
    const documents = await tempDocumentStore();
    const document = await planOf(documents, gzipSync(extract), { filename: 'e.gz', compressed: true });
    const r = await assembleExtract({ kind: 'skeleton', document, skeletonDocumentId: 'E1' }, documents, {
      corePayload: skeletonPayload,
    });
    assert.ok(r.ok);
    assert.equal(r.source, 'skeleton');
    assert.equal((await read(documents, r.stored.id)).toString(), extract);
  });

  test("a skeleton's attachment holding part of the extract replaces the statement that refers to it", async () => {
    const documents = await tempDocumentStore();
    const part = '<?xml version="1.0"?>\n<ehrComposition><id root="real"/></ehrComposition>';
    const document = await planOf(documents, gzipSync(part), { filename: 'e.gz', compressed: true });
    const r = await assembleExtract({ kind: 'skeleton', document, skeletonDocumentId: 'E1' }, documents, {
      corePayload: skeletonPayload,
    });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.source, 'spliced');
    assert.equal(
      (await read(documents, r.stored.id)).toString(),
      skeletonPayload.replace(
        /<NarrativeStatement>.*<\/NarrativeStatement>/,
        '<ehrComposition><id root="real"/></ehrComposition>',
      ),
    );
  });

  test('a partial extract with nowhere to go is a reassembly failure (29)', async () => {
    const documents = await tempDocumentStore();
    const document = await planOf(documents, gzipSync('<ehrComposition/>'), {
      filename: 'e.gz',
      compressed: true,
    });
    for (const skeletonDocumentId of [undefined, 'NOT-THERE']) {
      const r = await assembleExtract(
        { kind: 'skeleton', document, ...(skeletonDocumentId ? { skeletonDocumentId } : {}) },
        documents,
        { corePayload: skeletonPayload },
      );
      assert.deepEqual([r.ok, !r.ok && r.reasonCode], [false, '29']);
    }
  });
});
