import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PlannedCopcMessage } from './outgoing-types.ts';
import {
  manifestWireBytes,
  type PlanInput,
  planOutgoingTransfer,
  type ResolvedDocument,
} from './plan-outgoing.ts';
import { base64WireBytes, DEFAULT_POLICY, type LargeMessagePolicy } from './policy.ts';
import { sequentialIds } from './testing/ids.ts';

const SHA = (n: number): string => n.toString(16).padStart(64, '0');

function doc(n: number, bytes: number): ResolvedDocument {
  return {
    documentId: `D${n}`,
    filename: `D${n}_letter.pdf`,
    contentType: 'application/pdf',
    storedId: SHA(n),
    bytes,
    absent: false,
  };
}

const tiny: LargeMessagePolicy = {
  maxExtractInlineBytes: 100_000,
  maxAttachmentInlineBytes: 1_000,
  maxCoreMessageBytes: 100_000,
  fragmentBytes: 2_000,
};

function plan(documents: ResolvedDocument[], policy = tiny, extra: Partial<PlanInput> = {}) {
  return planOutgoingTransfer({
    extractMessageId: 'CORE',
    interactionId: 'RCMR_IN030000UK06',
    payload: { id: SHA(999), bytes: 2_000 },
    documents,
    policy,
    newId: sequentialIds(),
    ...extra,
  });
}

describe('planOutgoingTransfer', () => {
  test('small documents travel inline in the core message and no Continue is needed', () => {
    const p = plan([doc(1, 10), doc(2, 0)]);
    assert.equal(p.copcMessages.length, 0);
    assert.deepEqual(
      p.core.attachments.map((a) => [a.ebId, a.description.filename, a.content]),
      [
        ['D1', 'D1_letter.pdf', { storedId: SHA(1), offset: 0, bytes: 10 }],
        ['D2', 'D2_letter.pdf', { storedId: SHA(2), offset: 0, bytes: 0 }],
      ],
    );
    assert.deepEqual(p.core.externalAttachments, []);
    assert.deepEqual(
      p.documents.map((d) => d.route),
      ['inline', 'inline'],
    );
  });

  test('a document over the inline limit goes in a COPC of its own, referenced by mid:', () => {
    const p = plan([doc(1, 1_001)]);
    assert.equal(p.copcMessages.length, 1);
    const copc = p.copcMessages[0]!;
    assert.equal(copc.role, 'document');
    assert.equal(p.core.externalAttachments[0]!.messageId, copc.messageId);
    assert.equal(p.core.externalAttachments[0]!.ebId, 'D1');
    assert.deepEqual(copc.attachments[0]!.content, { storedId: SHA(1), offset: 0, bytes: 1_001 });
    assert.equal(copc.subject, 'Attachment: D1_letter.pdf');
    assert.equal(p.core.externalAttachments[0]!.description.largeAttachment, false);
  });

  test('a document over the fragment size is an index and fragments that cover it exactly, in order', () => {
    const p = plan([doc(1, 1_001)], { ...tiny, fragmentBytes: 300 });
    const [index, ...fragments] = p.copcMessages as [PlannedCopcMessage, ...PlannedCopcMessage[]];
    assert.equal(index.role, 'fragment-index');
    assert.deepEqual(
      fragments.map((f) => [f.role, f.attachments[0]!.content.offset, f.attachments[0]!.content.bytes]),
      [
        ['fragment', 0, 300],
        ['fragment', 300, 300],
        ['fragment', 600, 300],
        ['fragment', 900, 101],
      ],
    );
    assert.deepEqual(
      index.externalAttachments.map((r) => r.messageId),
      fragments.map((f) => f.messageId),
    );
    assert.deepEqual(
      index.externalAttachments.map((r) => r.description.filename),
      [0, 1, 2, 3].map((i) => `${index.messageId}_${i}.messageattachment`),
    );
    const inCore = p.core.externalAttachments[0]!;
    assert.equal(inCore.messageId, index.messageId);
    assert.equal(inCore.description.largeAttachment, true);
    assert.equal(inCore.description.length, 1_001);
    assert.deepEqual(p.documents[0]!.messageIds, [index.messageId, ...fragments.map((f) => f.messageId)]);
  });

  test('documents go inline only while the core message stays within its limit', () => {
    const documents = [doc(1, 300), doc(2, 300), doc(3, 10)];
    // Room for the payload, the manifest and one 300-byte part (410 bytes as base64) with 100 to spare.
    const maxCoreMessageBytes = 2_000 + manifestWireBytes(documents) + base64WireBytes(300) + 100;
    const p = plan(documents, { ...tiny, maxCoreMessageBytes });
    assert.deepEqual(
      p.documents.map((d) => d.route),
      ['inline', 'copc', 'inline'],
    );
  });

  test('an inline limit of 0 sends every document in a COPC', () => {
    const p = plan([doc(1, 1), doc(2, 2)], { ...tiny, maxAttachmentInlineBytes: 0 });
    assert.deepEqual(
      p.documents.map((d) => d.route),
      ['copc', 'copc'],
    );
  });

  test('the gzipped extract of a skeleton comes first and is described as the skeleton', () => {
    const skeletonExtract = { ...doc(9, 5_000), filename: 'x.gz', contentType: 'text/xml' };
    const p = plan([doc(1, 10)], tiny, { skeletonExtract });
    assert.equal(p.skeleton, true);
    const ref = p.core.externalAttachments[0]!;
    assert.equal(ref.ebId, '_D9');
    assert.equal(ref.description.domainData, 'X-GP2GP-Skeleton: Yes');
    assert.equal(ref.description.compressed, true);
    assert.equal(p.copcMessages[0]!.documentId, 'D9');
  });

  test('the plan is plain JSON and the same input gives the same plan', () => {
    const documents = [doc(1, 10), doc(2, 5_000), doc(3, 700)];
    const p = plan(documents, DEFAULT_POLICY);
    assert.deepEqual(JSON.parse(JSON.stringify(plan(documents, tiny))), plan(documents, tiny));
    assert.deepEqual(plan(documents, tiny), plan(documents, tiny));
    assert.equal(p.copcMessages.length, 0);
  });

  test('a policy with a zero fragment size is refused', () => {
    assert.throws(() => plan([doc(1, 1)], { ...tiny, fragmentBytes: 0 }), /fragmentBytes/);
  });
});
