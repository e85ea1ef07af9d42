import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CHUNK_BYTES, documentChunks, openDocument, type SyntheticContentType } from './document-bytes.ts';

const TYPES: readonly SyntheticContentType[] = [
  'application/pdf',
  'image/tiff',
  'image/jpeg',
  'application/msword',
  'text/rtf',
  'text/plain',
];

function whole(chunks: Iterable<Uint8Array>): Buffer {
  return Buffer.concat([...chunks]);
}

function digest(chunks: Iterable<Uint8Array>): { sha256: string; bytes: number; largestChunk: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  let largestChunk = 0;
  for (const chunk of chunks) {
    hash.update(chunk);
    bytes += chunk.length;
    largestChunk = Math.max(largestChunk, chunk.length);
  }
  return { sha256: hash.digest('hex'), bytes, largestChunk };
}

test('a document is exactly as long as asked, in chunks no larger than a chunk, whatever its type', () => {
  const sizes = fc.oneof(
    fc.integer({ min: 0, max: 200 }),
    fc.constantFrom(CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 3 * CHUNK_BYTES + 77),
    fc.integer({ min: 0, max: 600_000 }),
  );
  fc.assert(
    fc.property(fc.constantFrom(...TYPES), sizes, fc.string(), (contentType, bytes, key) => {
      const d = digest(documentChunks({ contentType, bytes, key }));
      assert.equal(d.bytes, bytes);
      assert.ok(d.largestChunk <= CHUNK_BYTES);
    }),
    { numRuns: 200 },
  );
});

test('the same key gives the same bytes, another key other bytes', () => {
  for (const contentType of TYPES) {
    const spec = { contentType, bytes: 300_000, key: '42/ABC' };
    assert.equal(digest(documentChunks(spec)).sha256, digest(documentChunks(spec)).sha256);
    assert.notEqual(
      digest(documentChunks(spec)).sha256,
      digest(documentChunks({ ...spec, key: '43/ABC' })).sha256,
    );
  }
});

test('each type starts and ends as files of its type do', () => {
  const of = (contentType: SyntheticContentType) =>
    whole(documentChunks({ contentType, bytes: 5_000, key: 'k' }));
  const pdf = of('application/pdf');
  assert.equal(pdf.subarray(0, 8).toString('latin1'), '%PDF-1.4');
  assert.equal(pdf.subarray(-6).toString('latin1'), '%%EOF\n');
  assert.deepEqual([...of('image/tiff').subarray(0, 4)], [0x49, 0x49, 0x2a, 0x00]);
  const jpeg = of('image/jpeg');
  assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff]);
  assert.deepEqual([...jpeg.subarray(-2)], [0xff, 0xd9]);
  assert.equal(of('application/msword').subarray(0, 4).toString('hex'), 'd0cf11e0');
  const rtf = of('text/rtf').toString('utf8');
  assert.ok(rtf.startsWith('{\\rtf1') && rtf.endsWith('}\n'));
  assert.match(of('text/plain').toString('utf8'), /^[A-Z][a-z ]+\./);
});

test('scanned types are as incompressible as real scans; text compresses', () => {
  const pdf = whole(documentChunks({ contentType: 'application/pdf', bytes: 500_000, key: 'k' }));
  assert.ok(gzipSync(pdf).length > 0.99 * pdf.length);
  const text = whole(documentChunks({ contentType: 'text/plain', bytes: 500_000, key: 'k' }));
  assert.ok(gzipSync(text).length < 0.5 * text.length);
});

test('the stream gives the same bytes as the chunks', async () => {
  const spec = { contentType: 'image/tiff' as const, bytes: 1_000_003, key: 'stream' };
  const streamed: Buffer[] = [];
  for await (const chunk of openDocument(spec)) streamed.push(chunk as Buffer);
  assert.deepEqual(Buffer.concat(streamed), whole(documentChunks(spec)));
});
