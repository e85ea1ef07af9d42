import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { parseEbxmlMessage } from '../../ebxml/index.ts';
import { readCommonContent } from '../../hl7/index.ts';
import { translateBundleToExtract } from '../../record/to-hl7/index.ts';
import { syntheticBundle } from '../../record/to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../../record/to-hl7/testing/test-address.ts';
import { parseXml } from '../../xml/index.ts';
import { type BuildContext, buildPlannedMessage, MissingDocumentError } from './build-message.ts';
import type { PlannedCopcMessage } from './outgoing-types.ts';
import { prepareOutgoingTransfer } from './prepare-outgoing.ts';
import { sequentialIds } from './testing/ids.ts';
import { putBytes, tempDocumentStore } from './testing/temp-store.ts';

const extractXml = translateBundleToExtract(syntheticBundle(), { addressing: TEST_ADDRESS }).xml;
const schemaSkip = xsdUnavailable();

async function planned() {
  const documents = await tempDocumentStore();
  const small = Buffer.from('a small letter');
  const large = Buffer.from(Array.from({ length: 2_500 }, (_, i) => i % 251));
  const plan = await prepareOutgoingTransfer(
    {
      extractXml,
      extractMessageId: 'CORE-MESSAGE-ID',
      documents: [
        {
          documentId: 'D1',
          filename: 'D1_letter.txt',
          contentType: 'text/plain',
          storedId: await putBytes(documents, small),
          bytes: small.length,
        },
        {
          documentId: 'D2',
          filename: 'D2_scan.tif',
          contentType: 'image/tiff',
          storedId: await putBytes(documents, large),
          bytes: large.length,
        },
        {
          documentId: 'D3',
          filename: 'AbsentAttachmentD3.txt',
          contentType: 'text/plain',
          bytes: 0,
          absentReason: 'gone',
        },
      ],
      policy: {
        maxExtractInlineBytes: 1e6,
        maxAttachmentInlineBytes: 500,
        maxCoreMessageBytes: 1e6,
        fragmentBytes: 1_000,
      },
      newId: sequentialIds(),
    },
    documents,
  );
  const context: BuildContext = {
    from: { asid: '200000000101', ods: 'A99901', partyKey: 'A99901-000001' },
    to: { asid: '200000000202', ods: 'B99902', partyKey: 'B99902-000002' },
    conversationId: '0A000000-0000-4000-8000-0000000000CC',
    documents,
    creationTime: new Date('2026-01-02T03:04:05Z'),
    ebxmlTimestamp: '2026-01-02T03:04:05Z',
  };
  return { plan, context, small, large, documents };
}

describe('buildPlannedMessage', () => {
  test('the core message carries the extract, the small documents inline and mid: references for the rest', async () => {
    const { plan, context, small } = await planned();
    const built = await buildPlannedMessage(plan.core, context);
    const message = parseEbxmlMessage(built.body, built.contentType);
    assert.equal(message.header.messageId, 'CORE-MESSAGE-ID');
    assert.equal(message.header.action, 'RCMR_IN030000UK06');
    assert.equal(message.header.conversationId, context.conversationId);
    assert.equal(message.payload, extractXml);
    assert.deepEqual(
      message.attachments.map((a) => [a.id, a.description?.filename]),
      [
        ['D1', 'D1_letter.txt'],
        ['D3', 'AbsentAttachmentD3.txt'],
      ],
    );
    assert.deepEqual(message.attachments[0]!.body, small);
    assert.match(message.attachments[1]!.body.toString(), /Reason: gone/);
    const external = message.manifest.filter((r) => r.href.startsWith('mid:'));
    assert.deepEqual(
      external.map((r) => [r.href, r.id, r.attachment?.largeAttachment]),
      [[`mid:${plan.copcMessages[0]!.messageId}`, 'D2', true]],
    );
  });

  test('each fragment carries exactly its byte range of the document, and the index lists them in order', async () => {
    const { plan, context, large } = await planned();
    const [index, ...fragments] = plan.copcMessages as [PlannedCopcMessage, ...PlannedCopcMessage[]];
    const indexMessage = parseEbxmlMessage((await buildPlannedMessage(index, context)).body);
    assert.deepEqual(
      indexMessage.manifest.filter((r) => !r.isPayload).map((r) => r.href),
      fragments.map((f) => `mid:${f.messageId}`),
    );
    const pieces: Buffer[] = [];
    for (const f of fragments) {
      const m = parseEbxmlMessage((await buildPlannedMessage(f, context)).body);
      assert.equal(m.header.action, 'COPC_IN000001UK01');
      assert.equal(m.attachments.length, 1);
      pieces.push(m.attachments[0]!.body);
    }
    assert.deepEqual(
      pieces.map((p) => p.length),
      [1_000, 1_000, 500],
    );
    assert.deepEqual(Buffer.concat(pieces), large);
  });

  test('every COPC payload validates against the MIM schema and names its attachment', {
    skip: schemaSkip,
  }, async () => {
    const { plan, context } = await planned();
    for (const copc of plan.copcMessages) {
      const m = parseEbxmlMessage((await buildPlannedMessage(copc, context)).body);
      const v = validateXsd(m.payload!, 'COPC_IN000001UK01');
      assert.ok(v.valid, v.valid ? '' : v.errors);
      const read = readCommonContent(parseXml(m.payload!).root).content;
      assert.equal(read.kind, 'attachment');
      assert.equal(read.subject, copc.subject);
      assert.deepEqual(read.references, copc.references);
    }
  });

  test('building a planned message again gives the same bytes', async () => {
    const { plan, context } = await planned();
    for (const m of [plan.core, ...plan.copcMessages]) {
      const a = await buildPlannedMessage(m, context);
      const b = await buildPlannedMessage(JSON.parse(JSON.stringify(m)), context);
      assert.equal(a.contentType, b.contentType);
      assert.ok(a.body.equals(b.body), `${m.messageId} differs between builds`);
    }
  });

  test('a stored document that has gone is a MissingDocumentError naming it', async () => {
    const { plan, context, documents } = await planned();
    const fragment = plan.copcMessages[1]!;
    await documents.delete(fragment.attachments[0]!.content.storedId);
    await assert.rejects(buildPlannedMessage(fragment, context), MissingDocumentError);
  });
});
