import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { parseEbxmlMessage } from '../src/ebxml/index.ts';
import { DiskDocumentStore, type DocumentStore } from '../src/store/index.ts';
import {
  assembleDocument,
  assessAssembly,
  buildPlannedMessage,
  prepareOutgoingTransfer,
  storeReceivedParts,
  summariseReceivedMessage,
} from '../src/transfer/large-message/index.ts';

/**
 * Benchmark for large messaging: a document of N MB, made by a generator, sent in fragments (default policy),
 * each fragment built, parsed and stored by the receiver, then reassembled; and the same size sent as base64 of
 * gzip, decoded and inflated on the way back into the store. Peak RSS should not grow with N.
 * Usage: node bench/large-message.ts [MB…=16 128] (each size runs in a process of its own).
 */
const sizes = process.argv.slice(2).map(Number);
if (sizes.length !== 1) {
  for (const mb of sizes.length > 0 ? sizes : [16, 128]) {
    const r = spawnSync(process.execPath, [import.meta.filename, String(mb)], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
} else {
  await measure(sizes[0]!);
}

/** Pseudo-random bytes (they do not compress), 64 KB at a time. */
function* document(bytes: number): Generator<Buffer> {
  let seed = 12345;
  for (let at = 0; at < bytes; at += 65536) {
    const chunk = Buffer.alloc(Math.min(65536, bytes - at));
    for (let i = 0; i < chunk.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      chunk[i] = seed >>> 24;
    }
    yield chunk;
  }
}

async function put(documents: DocumentStore, source: Parameters<DocumentStore['put']>[0]): Promise<string> {
  const r = await documents.put(source);
  if (!r.ok) throw new Error('store refused the document');
  return r.document.id;
}

async function measure(mb: number): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gp2gp-bench-lm-'));
  const sender = await DiskDocumentStore.open(join(dir, 'sender'));
  const receiver = await DiskDocumentStore.open(join(dir, 'receiver'));
  try {
    const bytes = mb * 1024 * 1024;
    const storedId = await put(sender, document(bytes));
    const t0 = performance.now();
    const plan = await prepareOutgoingTransfer(
      {
        extractXml: '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>',
        extractMessageId: 'BENCH-CORE',
        documents: [
          { documentId: 'D1', filename: 'D1_scan.tif', contentType: 'image/tiff', storedId, bytes },
        ],
      },
      sender,
    );
    const context = {
      from: { asid: '200000000101', ods: 'A99901', partyKey: 'A99901-000001' },
      to: { asid: '200000000202', ods: 'B99902', partyKey: 'B99902-000002' },
      conversationId: 'BENCH',
      documents: sender,
      creationTime: new Date(),
      ebxmlTimestamp: new Date().toISOString(),
    };
    const summaries = [];
    let largestMessage = 0;
    for (const planned of [plan.core, ...plan.copcMessages]) {
      const built = await buildPlannedMessage(planned, context);
      largestMessage = Math.max(largestMessage, built.body.length);
      const message = parseEbxmlMessage(built.body, built.contentType);
      summaries.push(summariseReceivedMessage(message, await storeReceivedParts(message, receiver)));
    }
    const t1 = performance.now();
    const assessment = assessAssembly(summaries[0]!, summaries.slice(1));
    if (assessment.kind !== 'complete') throw new Error(JSON.stringify(assessment));
    const assembled = await assembleDocument(assessment.documents[0]!, receiver);
    if (!assembled.ok || assembled.stored.id !== storedId)
      throw new Error('the document did not come back whole');
    const t2 = performance.now();
    // The same size as a sender that base64s and gzips it: decoded and inflated while streaming.
    const gz = createGzip({ level: 1 });
    const [, encodedId] = await Promise.all([
      pipeline(Readable.from(document(bytes)), gz),
      put(sender, base64Lines(gz)),
    ]);
    const piece = { storedId: encodedId, bytes: (await sender.stat(encodedId))!.bytes, messageId: 'X' };
    const t3 = performance.now();
    const inflated = await assembleDocument(
      {
        href: 'mid:X',
        filename: 'x.tif',
        contentType: 'image/tiff',
        description: { compressed: true, originalBase64: true },
        route: 'copc',
        pieces: [piece],
      },
      sender,
    );
    if (!inflated.ok || inflated.stored.id !== storedId)
      throw new Error('base64 of gzip did not decode whole');
    const t4 = performance.now();
    const result = {
      documentMb: mb,
      fragments: plan.copcMessages.length - 1,
      largestMessageMb: Number((largestMessage / 1024 / 1024).toFixed(2)),
      sendAndReceiveMs: Math.round(t1 - t0),
      reassembleMs: Math.round(t2 - t1),
      decodeBase64GzipMs: Math.round(t4 - t3),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await sender.close();
    await receiver.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Base64 text with CRLF every 76 characters, as it streams. */
async function* base64Lines(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let carry = Buffer.alloc(0);
  for await (const chunk of source) {
    const all = Buffer.concat([carry, chunk]);
    const whole = all.length - (all.length % 57);
    carry = all.subarray(whole);
    yield Buffer.from(all.subarray(0, whole).toString('base64').replace(/.{76}/g, '$&\r\n'));
  }
  yield Buffer.from(carry.toString('base64'));
}
