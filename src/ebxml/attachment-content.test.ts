import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text as readAll } from 'node:stream/consumers';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { DEFAULT_XML_LIMITS } from '../xml/index.ts';
import {
  AttachmentError,
  type AttachmentProblem,
  decodeAttachment,
  decodeAttachmentStream,
  MAX_ATTACHMENT_BYTES,
  skeletonExtract,
} from './attachment-content.ts';
import type { AttachmentDescription } from './attachment-description.ts';
import { buildEbxmlMessage, parseEbxmlMessage } from './ebxml-message.ts';
import type { MessageHeader } from './envelope.ts';

const header: MessageHeader = {
  fromPartyId: 'A99901-000001',
  toPartyId: 'B99902-000002',
  cpaId: 'S1',
  conversationId: '0C000000-0000-4000-8000-000000000001',
  service: 'urn:nhs:names:services:gp2gp',
  action: 'RCMR_IN030000UK06',
  messageId: '0C000000-0000-4000-8000-000000000002',
  timestamp: '2026-01-01T00:00:00Z',
  duplicateElimination: true,
  ackRequested: true,
};
const extract = Buffer.from('<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"><id root="X"/></RCMR_IN030000UK06>');
const skeleton = { contentType: 'text/xml', largeAttachment: false, domainData: 'X-GP2GP-Skeleton: Yes' };

test('gzip, and base64 text under it, are undone as the description says', () => {
  const gz = gzipSync(extract);
  assert.deepEqual(decodeAttachment({ body: gz, description: { compressed: true } }), extract);
  assert.deepEqual(
    decodeAttachment({
      body: Buffer.from(gz.toString('base64')),
      description: { compressed: true, originalBase64: true },
    }),
    extract,
  );
});

test('a document that is itself gzip, sent with Compressed=No, is left as it is', () => {
  const gz = gzipSync(extract);
  assert.deepEqual(decodeAttachment({ body: gz, description: { compressed: false } }), gz);
});

const problem =
  (expected: AttachmentProblem, message: RegExp) =>
  (e: unknown): boolean =>
    e instanceof AttachmentError && e.problem === expected && message.test(e.message);

test('corrupt gzip is refused with a clear error', () => {
  const broken = Buffer.concat([gzipSync(extract).subarray(0, 12), Buffer.from('junk')]);
  assert.throws(
    () => decodeAttachment({ body: broken, description: { filename: 'x.gz', compressed: true } }),
    problem('gzip', /attachment x\.gz is not valid gzip/),
  );
});

test("a gzip bomb is refused at the limit, which by default is the XML reader's", () => {
  assert.equal(MAX_ATTACHMENT_BYTES, DEFAULT_XML_LIMITS.maxBytes);
  const bomb = { body: gzipSync(Buffer.alloc(100_000)), description: { filename: 'b.gz', compressed: true } };
  assert.throws(
    () => decodeAttachment(bomb, { maxBytes: 10_000 }),
    problem('size', /attachment b\.gz decodes to more than the 10000-byte limit/),
  );
  assert.equal(decodeAttachment(bomb, { maxBytes: 100_000 }).length, 100_000);
});

test('base64 text with a stray character past the first 4 KB is refused, not decoded around', () => {
  const text = Buffer.from(`${Buffer.alloc(6000).toString('base64')}!!!!`);
  assert.throws(
    () => decodeAttachment({ body: text, description: { originalBase64: true } }),
    problem('base64', /is not valid base64/),
  );
});

/** Every way an attachment is carried: as it is, gzipped, base64 text, base64 of gzip; described or not. */
const carried = fc
  .record({
    document: fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)),
    gzip: fc.boolean(),
    base64: fc.boolean(),
    described: fc.constantFrom('truthfully', 'not at all', 'as uncompressed'),
    cuts: fc.array(fc.nat({ max: 1200 }), { maxLength: 6 }),
  })
  .map(({ document, gzip, base64, described, cuts }) => {
    const zipped = gzip ? gzipSync(document) : document;
    const body = base64 ? Buffer.from(zipped.toString('base64').replace(/.{76}/g, '$&\r\n')) : zipped;
    const description: AttachmentDescription | undefined =
      described === 'truthfully'
        ? { compressed: gzip, originalBase64: base64 }
        : described === 'as uncompressed'
          ? { compressed: false, originalBase64: base64 }
          : undefined;
    const at = [0, ...cuts.filter((c) => c < body.length).sort((a, b) => a - b), body.length];
    const pieces = at.slice(0, -1).map((from, i) => body.subarray(from, at[i + 1]));
    return { body, description, pieces };
  });

test('the streaming decoder gives what the in-memory one gives, however the input is cut (property)', async () => {
  await fc.assert(
    fc.asyncProperty(carried, async ({ body, description, pieces }) => {
      const whole = decodeAttachment({ body, description }, { maxBytes: 1 << 20 });
      const streamed = decodeAttachmentStream(Readable.from(pieces), description, { maxBytes: 1 << 20 });
      const out: Buffer[] = [];
      for await (const piece of streamed) out.push(piece as Buffer);
      assert.deepEqual(Buffer.concat(out), whole);
    }),
  );
});

test('the streaming decoder turns base64 of gzip into the document', async () => {
  const text = Buffer.from(gzipSync(extract).toString('base64'));
  async function* source(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < text.length; i += 7) yield text.subarray(i, i + 7);
  }
  const out = decodeAttachmentStream(
    source(),
    { compressed: true, originalBase64: true },
    { maxBytes: 1000 },
  );
  assert.equal(await readAll(out), extract.toString());
});

test('the streaming decoder stops a gzip bomb at its limit and closes the source', async () => {
  let closed = false;
  async function* source(): AsyncGenerator<Uint8Array> {
    try {
      yield gzipSync(Buffer.alloc(4 * 1024 * 1024));
    } finally {
      closed = true;
    }
  }
  const out = decodeAttachmentStream(
    source(),
    { filename: 'bomb.gz', compressed: true },
    { maxBytes: 65_536 },
  );
  let received = 0;
  await assert.rejects(
    (async () => {
      for await (const piece of out) received += (piece as Buffer).length;
    })(),
    problem('size', /attachment bomb\.gz decodes to more than the 65536-byte limit/),
  );
  assert.ok(received <= 65_536, `${received} bytes passed before the refusal`);
  assert.equal(closed, true);
});

test('the streaming decoder refuses corrupt gzip and bad base64 with typed errors', async () => {
  const broken = Buffer.concat([gzipSync(extract).subarray(0, 12), Buffer.from('junk')]);
  await assert.rejects(
    readAll(decodeAttachmentStream([broken], { compressed: true }, { maxBytes: 1000 })),
    problem('gzip', /an attachment is not valid gzip/),
  );
  // past the first 4 KB, which alone decide that the content is base64
  const strayLate = Buffer.from(`${Buffer.alloc(6000).toString('base64')}!!!!`);
  const pieces = [strayLate.subarray(0, 5000), strayLate.subarray(5000)];
  await assert.rejects(
    readAll(decodeAttachmentStream(pieces, { originalBase64: true }, { maxBytes: 10_000 })),
    problem('base64', /not valid base64/),
  );
});

test('the inline extract of a skeleton message is found, and inflates to the extract', () => {
  const { contentType, body } = buildEbxmlMessage({
    header,
    payload: '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>',
    attachments: [
      {
        contentId: 'extract@test',
        contentType: 'application/octet-stream',
        body: gzipSync(extract),
        description: { filename: 'extract.gzip', compressed: true, originalBase64: false, ...skeleton },
      },
    ],
  });
  const found = skeletonExtract(parseEbxmlMessage(body, contentType));
  assert.equal(found?.kind, 'inline');
  if (found?.kind === 'inline') assert.deepEqual(decodeAttachment(found.attachment), extract);
});

test('a skeleton whose extract travels in separate messages names where it is', () => {
  const { contentType, body } = buildEbxmlMessage({
    header,
    payload: '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>',
    externalAttachments: [
      {
        messageId: '0C000000-0000-4000-8000-000000000009',
        description: { filename: 'extract.gzip', compressed: true, ...skeleton },
      },
    ],
  });
  assert.deepEqual(skeletonExtract(parseEbxmlMessage(body, contentType)), {
    kind: 'external',
    href: 'mid:0C000000-0000-4000-8000-000000000009',
    filename: 'extract.gzip',
  });
});

test('an ordinary extract message has no skeleton', () => {
  const { contentType, body } = buildEbxmlMessage({ header, payload: extract.toString() });
  assert.equal(skeletonExtract(parseEbxmlMessage(body, contentType)), undefined);
});
