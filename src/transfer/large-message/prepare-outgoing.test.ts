import assert from 'node:assert/strict';
import { buffer } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { translateBundleToExtract } from '../../record/to-hl7/index.ts';
import { syntheticBundle } from '../../record/to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../../record/to-hl7/testing/test-address.ts';
import type { DiskDocumentStore } from '../../store/index.ts';
import { DEFAULT_POLICY } from './policy.ts';
import { prepareOutgoingTransfer } from './prepare-outgoing.ts';
import { sequentialIds } from './testing/ids.ts';
import { putBytes, tempDocumentStore } from './testing/temp-store.ts';

const extractXml = translateBundleToExtract(syntheticBundle(), { addressing: TEST_ADDRESS }).xml;

async function read(documents: DiskDocumentStore, id: string): Promise<Buffer> {
  const r = await documents.read(id);
  if (!r.ok) throw new Error(r.reason);
  return buffer(r.stream);
}

describe('prepareOutgoingTransfer', () => {
  test('an extract within the limits is stored as the core payload, unchanged', async () => {
    const documents = await tempDocumentStore();
    const plan = await prepareOutgoingTransfer(
      { extractXml, extractMessageId: 'CORE', documents: [] },
      documents,
    );
    assert.equal(plan.skeleton, false);
    assert.equal(plan.core.interactionId, 'RCMR_IN030000UK06');
    assert.equal((await read(documents, plan.core.payload.storedId)).toString('utf8'), extractXml);
  });

  test('an absent document is sent as a stored AbsentAttachment placeholder saying why', async () => {
    const documents = await tempDocumentStore();
    const plan = await prepareOutgoingTransfer(
      {
        extractXml,
        extractMessageId: 'CORE',
        documents: [
          {
            documentId: 'D1',
            filename: 'AbsentAttachmentD1.txt',
            contentType: 'application/pdf',
            bytes: 0,
            absentReason: 'GP Connect returned 404',
          },
        ],
      },
      documents,
    );
    const d = plan.documents[0]!;
    assert.deepEqual([d.absent, d.filename, d.contentType], [true, 'AbsentAttachmentD1.txt', 'text/plain']);
    assert.match((await read(documents, d.storedId)).toString('utf8'), /Reason: GP Connect returned 404/);
    assert.deepEqual(plan.warnings, []);
  });

  test('a document missing from the store is sent as absent, with a warning, under an AbsentAttachment name', async () => {
    const documents = await tempDocumentStore();
    const plan = await prepareOutgoingTransfer(
      {
        extractXml,
        extractMessageId: 'CORE',
        documents: [
          {
            documentId: 'D2',
            filename: 'D2_scan.tif',
            contentType: 'image/tiff',
            storedId: 'f'.repeat(64),
            bytes: 9,
          },
        ],
      },
      documents,
    );
    assert.equal(plan.documents[0]!.filename, 'AbsentAttachmentD2.txt');
    assert.equal(plan.documents[0]!.absent, true);
    assert.equal(plan.warnings.length, 2);
    assert.match(plan.warnings.join('\n'), /not found in the document store/);
  });

  test('a stored document keeps its id and the length the store has', async () => {
    const documents = await tempDocumentStore();
    const storedId = await putBytes(documents, Buffer.from('%PDF-1.4 letter'));
    const plan = await prepareOutgoingTransfer(
      {
        extractXml,
        extractMessageId: 'CORE',
        documents: [
          { documentId: 'D3', filename: 'D3.pdf', contentType: 'application/pdf', storedId, bytes: 15 },
        ],
      },
      documents,
    );
    assert.deepEqual(
      [plan.documents[0]!.storedId, plan.documents[0]!.bytes, plan.documents[0]!.route],
      [storedId, 15, 'inline'],
    );
  });

  test('an extract over the limit is gzipped into the store and the core carries a schema-valid skeleton', async () => {
    const documents = await tempDocumentStore();
    const policy = { ...DEFAULT_POLICY, maxExtractInlineBytes: 10_000 };
    const plan = await prepareOutgoingTransfer(
      { extractXml, extractMessageId: 'CORE', documents: [], policy, newId: sequentialIds() },
      documents,
    );
    assert.equal(plan.skeleton, true);
    const gz = plan.documents[0]!;
    assert.equal(gz.skeletonExtract, true);
    assert.equal(gunzipSync(await read(documents, gz.storedId)).toString('utf8'), extractXml);
    const skeleton = (await read(documents, plan.core.payload.storedId)).toString('utf8');
    assert.ok(skeleton.length < extractXml.length / 2);
    assert.match(skeleton, new RegExp(`file://localhost/${gz.filename}`));
    assert.equal(plan.core.attachments[0]!.description.domainData, 'X-GP2GP-Skeleton: Yes');
    if (!xsdUnavailable()) {
      const v = validateXsd(skeleton, 'RCMR_IN030000UK06');
      assert.ok(v.valid, v.valid ? '' : v.errors);
    }
  });

  test('a UK07 extract is sent as RCMR_IN030000UK07', async () => {
    const documents = await tempDocumentStore();
    const uk07 = extractXml.replaceAll('RCMR_IN030000UK06', 'RCMR_IN030000UK07');
    const plan = await prepareOutgoingTransfer(
      { extractXml: Buffer.from(uk07), extractMessageId: 'C', documents: [] },
      documents,
    );
    assert.equal(plan.core.interactionId, 'RCMR_IN030000UK07');
  });
});
