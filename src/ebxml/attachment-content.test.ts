import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decodeAttachment, skeletonExtract } from './attachment-content.ts';
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

test('a gzip bomb or corrupt gzip is refused with a clear error', () => {
  const broken = Buffer.concat([gzipSync(extract).subarray(0, 12), Buffer.from('junk')]);
  assert.throws(
    () => decodeAttachment({ body: broken, description: { filename: 'x.gz', compressed: true } }),
    /x.gz is not valid gzip/,
  );
});

test('the inline extract of a skeleton message is found and inflated', () => {
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
  if (found?.kind === 'inline') assert.deepEqual(found.xml, extract);
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
