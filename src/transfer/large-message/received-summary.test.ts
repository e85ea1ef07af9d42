import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildEbxmlMessage, type MessageHeader, parseEbxmlMessage } from '../../ebxml/index.ts';
import { summariseReceivedMessage } from './received-summary.ts';
import { receive } from './testing/conversation.ts';
import { MemoryDocumentStore } from './testing/memory-document-store.ts';

const header: MessageHeader = {
  fromPartyId: 'A99901-000001',
  toPartyId: 'B99902-000002',
  cpaId: 'S1',
  conversationId: 'CONV',
  service: 'urn:nhs:names:services:gp2gp',
  action: 'COPC_IN000001UK01',
  messageId: 'M1',
  timestamp: '2026-01-01T00:00:00Z',
  duplicateElimination: true,
  ackRequested: true,
};

describe('summariseReceivedMessage', () => {
  test('records references by scheme, the stored parts and the COPC subject', async () => {
    const built = buildEbxmlMessage({
      header,
      payload:
        '<COPC_IN000001UK01 xmlns="urn:hl7-org:v3"><id root="M1"/><ControlActEvent><subject><PayloadInformation>' +
        '<code code="GP2GPLMATTACHMENTINFO"/><value><Gp2gpfragment xmlns="urn:nhs:names:services:gp2gp">' +
        '<subject>Attachment: a.txt</subject></Gp2gpfragment></value><pertinentInformation><pertinentPayloadBody>' +
        '<value><reference value="a.txt"/></value></pertinentPayloadBody></pertinentInformation>' +
        '</PayloadInformation></subject></ControlActEvent></COPC_IN000001UK01>',
      attachments: [
        {
          contentId: 'Part-1@x',
          contentType: 'text/plain',
          body: Buffer.from('hello'),
          description: { filename: 'a.txt' },
        },
      ],
      externalAttachments: [{ messageId: 'F1', description: { filename: 'f1' } }],
    });
    const { summary } = await receive(built, new MemoryDocumentStore());
    assert.equal(summary.role, 'copc');
    assert.deepEqual(summary.problems, []);
    assert.deepEqual(
      summary.references.map((r) => [r.scheme, r.target, r.description?.filename]),
      [
        ['cid', 'Part-1@x', 'a.txt'],
        ['mid', 'F1', 'f1'],
      ],
    );
    assert.deepEqual(
      summary.parts.map((p) => [p.contentId, p.bytes]),
      [['Part-1@x', 5]],
    );
    assert.deepEqual(summary.copc, {
      kind: 'attachment',
      subject: 'Attachment: a.txt',
      references: ['a.txt'],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(summary)), summary);
  });

  test('a COPC whose payload is not a COPC is kept, with the problem noted', async () => {
    const built = buildEbxmlMessage({ header, payload: '<COPC_IN000001UK01 xmlns="urn:hl7-org:v3"/>' });
    const { summary } = await receive(built, new MemoryDocumentStore());
    assert.match(summary.problems.join(), /COPC payload cannot be read/);
  });

  test('an extract is the core; stored parts must match the attachments one for one', () => {
    const built = buildEbxmlMessage({
      header: { ...header, action: 'RCMR_IN030000UK07' },
      payload: '<RCMR_IN030000UK07/>',
      attachments: [{ contentId: 'a', contentType: 'text/plain', body: Buffer.from('x'), description: {} }],
    });
    const message = parseEbxmlMessage(built.body, built.contentType);
    assert.equal(summariseReceivedMessage(message, [{ id: 'f'.repeat(64), bytes: 1 }]).role, 'core');
    assert.throws(() => summariseReceivedMessage(message, []), RangeError);
    assert.throws(() => summariseReceivedMessage(message, [{ id: 'f'.repeat(64), bytes: 2 }]), RangeError);
  });
});
