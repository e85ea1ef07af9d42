import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMessageEnvelope } from './build-envelope.ts';
import { EbxmlError } from './ebxml-error.ts';
import { detectMessageForm, firstContentOffset, readMessageBytes } from './read-message.ts';

const hl7 =
  '<?xml version="1.0" encoding="UTF-16"?><RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"><id root="A"/></RCMR_IN010000UK05>';
const soap = buildMessageEnvelope(
  {
    fromPartyId: 'A99901-000001',
    toPartyId: 'B99902-000002',
    cpaId: 'S1',
    conversationId: '0E000000-0000-4000-8000-000000000001',
    service: 'urn:nhs:names:services:gp2gp',
    action: 'RCMR_IN010000UK05',
    messageId: '0E000000-0000-4000-8000-000000000002',
    timestamp: '2026-01-01T00:00:00Z',
    duplicateElimination: true,
    ackRequested: true,
  },
  [],
);
const utf16le = (text: string): Buffer => Buffer.from(`\uFEFF${text}`, 'utf16le');
const utf16be = (text: string): Buffer => utf16le(text).swap16();

test('a UTF-16 file with a BOM is read as the XML document it is, little- or big-endian', () => {
  for (const bytes of [utf16le(hl7), utf16be(hl7)]) {
    const read = readMessageBytes(bytes);
    assert.equal(read.form, 'hl7');
    assert.equal(read.hl7, hl7);
  }
  const envelope = readMessageBytes(utf16be(soap));
  assert.equal(envelope.form, 'soap');
  assert.equal(envelope.envelope?.header?.action, 'RCMR_IN010000UK05');
});

test('UTF-16 text that is not XML is refused: MIME and HTTP are read only as bytes', () => {
  assert.throws(
    () => readMessageBytes(utf16le('--boundary\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--boundary--\r\n')),
    (e: unknown) => e instanceof EbxmlError && /neither XML nor MIME/.test(e.message),
  );
});

test('content after megabytes of whitespace is found and read, SOAP told from HL7 from where it starts', () => {
  const padding = ' \r\n\t'.repeat(300_000);
  const read = readMessageBytes(Buffer.from(`${padding}${soap}`));
  assert.equal(read.form, 'soap');
  assert.equal(read.envelope?.header?.messageId, '0E000000-0000-4000-8000-000000000002');
  const bare = readMessageBytes(Buffer.from(`${padding}<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"/>`));
  assert.equal(bare.form, 'hl7');
  assert.equal(bare.hl7, '<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"/>');
  assert.equal(firstContentOffset(Buffer.from(`${padding}<`)), padding.length);
});

test('only a message of nothing but whitespace is empty; its first bytes alone do not say so', () => {
  assert.throws(
    () => readMessageBytes(Buffer.from(' \n'.repeat(100_000))),
    (e: unknown) => e instanceof EbxmlError && /message is empty/.test(e.message),
  );
  assert.throws(() => readMessageBytes(Buffer.alloc(0)), /message is empty/);
  assert.equal(detectMessageForm(Buffer.from(' \n'.repeat(100))), undefined);
  assert.equal(firstContentOffset(Buffer.from('\uFEFF  ')), -1);
  assert.equal(firstContentOffset(Buffer.from('\uFEFF <a/>')), 4);
});
