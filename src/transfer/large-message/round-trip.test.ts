import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { translateBundleToExtract } from '../../record/to-hl7/index.ts';
import { syntheticBundle } from '../../record/to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../../record/to-hl7/testing/test-address.ts';
import type { DocumentStore } from '../../store/index.ts';
import { assembleDocument } from './assemble-document.ts';
import { assembleExtract } from './assemble-extract.ts';
import { assessAssembly } from './assess.ts';
import type { OutgoingDocument } from './outgoing-types.ts';
import type { LargeMessagePolicy } from './policy.ts';
import { prepareOutgoingTransfer } from './prepare-outgoing.ts';
import { buildAll, receive, testContext } from './testing/conversation.ts';
import { sequentialIds } from './testing/ids.ts';
import { MemoryDocumentStore } from './testing/memory-document-store.ts';

const extractXml = translateBundleToExtract(syntheticBundle(), { addressing: TEST_ADDRESS }).xml;
async function put(documents: DocumentStore, bytes: Buffer): Promise<string> {
  const r = await documents.put([bytes]);
  if (!r.ok) throw new Error('refused');
  return r.document.id;
}

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function read(documents: DocumentStore, id: string): Promise<Buffer> {
  const r = await documents.read(id);
  if (!r.ok) throw new Error(r.reason);
  return buffer(r.stream);
}

/** Content of the kinds that could fool a reader: random bytes, prose, a .gz file, base64-looking text. */
function content(kind: number, size: number, seed: number): Buffer {
  const random = Buffer.from(
    Array.from({ length: size }, (_, i) => (seed * 31 + i * 7919 + ((i * i) >> 3)) & 0xff),
  );
  switch (kind) {
    case 0:
      return random;
    case 1:
      return Buffer.from('Letter from the hospital, dated today. '.repeat(size).slice(0, size));
    case 2:
      return Buffer.concat([Buffer.from([0x1f, 0x8b]), random]).subarray(0, size);
    default:
      return Buffer.from(random.toString('base64')).subarray(0, size);
  }
}

interface Sent {
  readonly plan: Awaited<ReturnType<typeof prepareOutgoingTransfer>>;
  readonly originals: Map<string, Buffer>;
}

async function send(
  sender: DocumentStore,
  docs: { size: number; type: string; absent: boolean; kind: number; seed: number }[],
  policy: LargeMessagePolicy,
): Promise<Sent> {
  const originals = new Map<string, Buffer>();
  const documents: OutgoingDocument[] = [];
  for (const [i, d] of docs.entries()) {
    const documentId = `0D000000-0000-4000-8000-${i.toString().padStart(12, '0')}`;
    if (d.absent) {
      documents.push({
        documentId,
        filename: `AbsentAttachment${documentId}.txt`,
        contentType: d.type,
        bytes: 0,
        absentReason: 'fetch failed',
      });
      continue;
    }
    const bytes = content(d.kind, d.size, d.seed);
    originals.set(documentId, bytes);
    documents.push({
      documentId,
      filename: `${documentId}_doc`,
      contentType: d.type,
      storedId: await put(sender, bytes),
      bytes: bytes.length,
    });
  }
  const plan = await prepareOutgoingTransfer(
    { extractXml, extractMessageId: 'CORE-0001', documents, policy, newId: sequentialIds() },
    sender,
  );
  return { plan, originals };
}

/** Sends, receives in `order` (indexes into the COPCs, repeats allowed), checks every document and the extract. */
async function roundTrip(
  sender: DocumentStore,
  receiver: DocumentStore,
  sent: Sent,
  order: (n: number) => number[],
) {
  const built = await buildAll(sent.plan, testContext(sender));
  const core = await receive(built[0]!, receiver);
  const copcs = built.slice(1);
  const delivered = [];
  const sequence = order(copcs.length);
  const seen = new Set<number>();
  for (const i of sequence) {
    if (seen.size < copcs.length) {
      const before = assessAssembly(
        core.summary,
        delivered.map((d) => d.summary),
      );
      assert.equal(before.kind, 'waiting', `complete before all ${copcs.length} COPCs arrived`);
    }
    delivered.push(await receive(copcs[i]!, receiver));
    seen.add(i);
  }
  assert.equal(seen.size, copcs.length);
  const a = assessAssembly(
    core.summary,
    delivered.map((d) => d.summary),
  );
  assert.equal(a.kind, 'complete', JSON.stringify(a));
  if (a.kind !== 'complete') return;
  assert.equal(a.expectedCopcCount, copcs.length);
  for (const plan of a.documents) {
    const r = await assembleDocument(plan, receiver);
    assert.ok(r.ok, JSON.stringify(r));
    const original = sent.originals.get(plan.ebId!);
    const got = await read(receiver, r.stored.id);
    if (original) assert.equal(sha(got), sha(original), `${plan.filename} differs`);
    else assert.match(got.toString('utf8'), /^Absent attachment/);
    assert.equal(r.absent, !original);
    assert.equal(r.ebId, plan.ebId);
  }
  assert.equal(a.documents.length, sent.plan.documents.filter((d) => !d.skeletonExtract).length);
  const x = await assembleExtract(a.extract, receiver, { corePayload: core.message.payload! });
  assert.ok(x.ok);
  assert.equal(sha(await read(receiver, x.stored.id)), sha(Buffer.from(extractXml)));
}

/** A permutation of 0..n-1 driven by `seeds`, then the `repeats` (mod n) sent again. */
function shuffled(seeds: number[], repeats: number[]) {
  return (n: number): number[] => {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = (seeds[i % Math.max(seeds.length, 1)] ?? i) % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return n === 0 ? [] : [...order, ...repeats.map((r) => r % n)];
  };
}

describe('large-message round trip', () => {
  test('any documents, planned with small limits, sent, received in any order with repeats, come back byte for byte (property)', async () => {
    const sender = new MemoryDocumentStore();
    const receiver = new MemoryDocumentStore();
    const doc = fc.record({
      factor: fc.double({ min: 0, max: 3, noNaN: true }),
      type: fc.constantFrom(
        'application/pdf',
        'image/tiff',
        'text/plain',
        'application/octet-stream',
        'text/xml',
      ),
      absent: fc.boolean(),
      kind: fc.integer({ min: 0, max: 3 }),
      seed: fc.nat(1000),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(doc, { maxLength: 6 }),
        fc.integer({ min: 64, max: 400 }),
        fc.integer({ min: 0, max: 700 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 4_000 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        async (docs, fragmentBytes, maxAttachmentInlineBytes, skeleton, coreRoom, seeds, repeats) => {
          const policy: LargeMessagePolicy = {
            maxExtractInlineBytes: skeleton ? 1_000 : 1_000_000,
            maxAttachmentInlineBytes,
            maxCoreMessageBytes: (skeleton ? 3_000 : extractXml.length + 4_096) + coreRoom,
            fragmentBytes,
          };
          const sized = docs.map((d) => ({ ...d, size: Math.floor(d.factor * fragmentBytes) }));
          await roundTrip(sender, receiver, await send(sender, sized, policy), shuffled(seeds, repeats));
        },
      ),
      { numRuns: 30 },
    );
  });

  for (const fragments of [1, 10, 1_000]) {
    test(`a document in ${fragments} fragment(s), with its index last, reassembles`, async () => {
      const sender = new MemoryDocumentStore();
      const receiver = new MemoryDocumentStore();
      const fragmentBytes = fragments === 1_000 ? 16 : 1_000;
      const size = fragments === 1 ? fragmentBytes + 1 : fragments * fragmentBytes;
      const policy = {
        maxExtractInlineBytes: 1e6,
        maxAttachmentInlineBytes: 0,
        maxCoreMessageBytes: 1e6,
        fragmentBytes,
      };
      const sent = await send(
        sender,
        [{ size, type: 'image/tiff', absent: false, kind: 0, seed: 5 }],
        policy,
      );
      const expected = fragments === 1 ? 2 : fragments;
      assert.equal(sent.plan.copcMessages.length, expected + 1);
      // Fragments backwards, then the index: the hardest order for a reader that expects the index first.
      await roundTrip(sender, receiver, sent, (n) => [
        ...Array.from({ length: n - 1 }, (_, i) => n - 1 - i),
        0,
      ]);
    });
  }

  test('a gzipped skeleton extract in fragments comes back as the extract', async () => {
    const sender = new MemoryDocumentStore();
    const receiver = new MemoryDocumentStore();
    const policy = {
      maxExtractInlineBytes: 1_000,
      maxAttachmentInlineBytes: 0,
      maxCoreMessageBytes: 1e6,
      fragmentBytes: 500,
    };
    const sent = await send(sender, [], policy);
    assert.equal(sent.plan.skeleton, true);
    assert.ok(sent.plan.copcMessages.length > 3, 'the gzipped extract should need several fragments');
    assert.ok(gzipSync(extractXml).length > 1_500);
    await roundTrip(sender, receiver, sent, shuffled([3, 1, 4, 1, 5, 9, 2, 6], [0, 1]));
  });
});
