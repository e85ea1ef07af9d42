import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseXml, XmlError } from '../xml/index.ts';
import { buildAcknowledgment, buildErrorList } from './build-envelope.ts';
import { buildEbxmlMessage, parseEbxmlMessage, readEbxmlMessageHead } from './ebxml-message.ts';
import { type MessageHeader, parseSoapEnvelope } from './envelope.ts';
import { GP2GP_SERVICE } from './namespaces.ts';

const uuid = fc.uuid().map((u) => u.toUpperCase());
const party = fc.stringMatching(/^[A-Z][0-9]{5}-[0-9]{6}$/);
const header: fc.Arbitrary<MessageHeader> = fc
  .record({
    fromPartyId: party,
    toPartyId: party,
    cpaId: fc.stringMatching(/^S[0-9A-F]{10}$/),
    conversationId: uuid,
    service: fc.constant(GP2GP_SERVICE),
    action: fc.constantFrom(
      'RCMR_IN010000UK05',
      'RCMR_IN030000UK06',
      'COPC_IN000001UK01',
      'MCCI_IN010000UK13',
    ),
    messageId: uuid,
    timestamp: fc
      .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2099-01-01') })
      .map((d) => d.toISOString()),
    duplicateElimination: fc.boolean(),
    ackRequested: fc.boolean(),
  })
  .map((h) => ({ ...h })); // fast-check builds objects with a null prototype; deepEqual compares prototypes

test('a built ebXML message parses back with the same header, payload and attachments (property)', () => {
  fc.assert(
    fc.property(
      header,
      fc.array(
        fc.record({
          body: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
          filename: fc.stringMatching(/^[A-Za-z0-9_]{1,12}\.pdf$/),
          compressed: fc.boolean(),
        }),
        { maxLength: 4 },
      ),
      fc.array(uuid, { maxLength: 2 }),
      (h, files, external) => {
        const payload = '<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"><id root="X"/></RCMR_IN010000UK05>';
        const attachments = files.map((f, i) => ({
          contentId: `att${i}@test`,
          contentType: 'application/pdf',
          body: f.body,
          id: `ID-${i}`,
          description: {
            filename: f.filename,
            contentType: 'application/pdf',
            compressed: f.compressed,
            largeAttachment: false,
            originalBase64: false,
            length: f.body.length,
          },
        }));
        const externalAttachments = external.map((m) => ({
          messageId: m,
          description: {
            filename: `${m}.tif`,
            contentType: 'image/tiff',
            compressed: false,
            largeAttachment: true,
            originalBase64: false,
          },
        }));
        const { contentType, body } = buildEbxmlMessage({
          header: h,
          payload,
          attachments,
          externalAttachments,
        });
        const m = parseEbxmlMessage(body, contentType);
        assert.deepEqual(m.header, h);
        assert.equal(m.payload, payload);
        assert.equal(m.attachments.length, files.length);
        m.attachments.forEach((a, i) => {
          assert.deepEqual(a.body, files[i]!.body);
          assert.deepEqual(a.description, attachments[i]!.description);
          assert.equal(a.id, `ID-${i}`);
        });
        const mids = m.manifest.filter((r) => r.href.startsWith('mid:'));
        assert.deepEqual(
          mids.map((r) => r.href),
          external.map((e) => `mid:${e}`),
        );
        assert.deepEqual(m.warnings, []);
      },
    ),
    { numRuns: 60 },
  );
});

test('an acknowledgment swaps the parties and names the message it acknowledges', () => {
  fc.assert(
    fc.property(header, (h) => {
      const env = parseSoapEnvelope(parseXml(buildAcknowledgment(h)).root);
      assert.equal(env.acknowledgment?.refToMessageId, h.messageId);
      assert.equal(env.header?.fromPartyId, h.toPartyId);
      assert.equal(env.header?.toPartyId, h.fromPartyId);
      assert.equal(env.header?.action, 'Acknowledgment');
      assert.equal(env.header?.refToMessageId, h.messageId);
    }),
    { numRuns: 30 },
  );
});

test('an error list carries each fault with its code, severity and description', () => {
  const env = parseSoapEnvelope(
    parseXml(
      buildErrorList(undefined, [
        { errorCode: 'ValueNotRecognized', severity: 'Error', description: 'unknown party X99999' },
      ]),
    ).root,
  );
  assert.deepEqual(env.errors, [
    {
      errorCode: 'ValueNotRecognized',
      severity: 'Error',
      codeContext: 'urn:oasis:names:tc:ebxml-msg:service:errors',
      description: 'unknown party X99999',
    },
  ]);
});

test('an HL7 payload whose bytes are not valid UTF-8 is refused, not decoded with replacement characters', () => {
  const spec = {
    header: {
      fromPartyId: 'A99901-000001',
      toPartyId: 'B99902-000002',
      cpaId: 'S1',
      conversationId: '0A000000-0000-4000-8000-000000000001',
      service: GP2GP_SERVICE,
      action: 'RCMR_IN010000UK05',
      messageId: '0A000000-0000-4000-8000-000000000002',
      timestamp: '2026-01-01T00:00:00Z',
      duplicateElimination: true,
      ackRequested: true,
    },
    payload: '<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"><id root="PLACE"/></RCMR_IN010000UK05>',
  };
  const { contentType, body } = buildEbxmlMessage(spec);
  assert.equal(parseEbxmlMessage(body, contentType).payload, spec.payload);
  const at = body.indexOf('PLACE');
  body.set([0x43, 0x41, 0x46, 0xe9, 0x45], at); // 'CAF', a lone Latin-1 é, 'E'
  assert.throws(
    () => parseEbxmlMessage(body, contentType),
    (e: unknown) => e instanceof XmlError && e.kind === 'encoding',
  );
});

test('the head of a message gives its header and payload without decoding its attachments, bad ones included', () => {
  const { contentType, body } = buildEbxmlMessage({
    header: {
      fromPartyId: 'A99901-000001',
      toPartyId: 'B99902-000002',
      cpaId: 'S1',
      conversationId: '0A000000-0000-4000-8000-000000000001',
      service: GP2GP_SERVICE,
      action: 'COPC_IN000001UK01',
      messageId: '0A000000-0000-4000-8000-000000000003',
      timestamp: '2026-01-01T00:00:00Z',
      duplicateElimination: true,
      ackRequested: true,
    },
    payload: '<COPC_IN000001UK01 xmlns="urn:hl7-org:v3"/>',
    attachments: [
      {
        contentId: 'doc@test',
        contentType: 'application/pdf',
        body: Buffer.from('QUJD'.repeat(10)), // its base64 will be spoilt below
        description: {
          filename: 'a.pdf',
          contentType: 'application/pdf',
          compressed: false,
          largeAttachment: false,
          originalBase64: false,
          length: 40,
        },
      },
    ],
  });
  const encoded = Buffer.from('QUJD'.repeat(10)).toString('base64').slice(0, 8);
  body.write('*!', body.indexOf(encoded), 'latin1');
  const head = readEbxmlMessageHead(body, contentType);
  assert.equal(head.header.action, 'COPC_IN000001UK01');
  assert.equal(head.payload, '<COPC_IN000001UK01 xmlns="urn:hl7-org:v3"/>');
  assert.equal(head.manifest.length, 2);
  assert.equal('attachments' in head, false);
  assert.throws(() => parseEbxmlMessage(body, contentType), /not valid base64/);
});
