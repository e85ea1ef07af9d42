import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../common/input-error.ts';
import { sharedFiles } from '../common/testing/shared-corpus.ts';
import { buildEbxmlMessage } from '../ebxml/index.ts';
import { buildEhrExtractMessage, buildEhrRequest } from '../hl7/index.ts';
import { minimalEhrFolder } from '../hl7/testing/minimal-folder.ts';
import { type MessageSummary, summarizeMessage } from './message-summary.ts';

const now = new Date('2026-01-01T00:00:00Z');
const a = { asid: '200000000101', ods: 'A99901' };
const b = { asid: '200000000202', ods: 'B99902' };
const request = buildEhrRequest({
  messageId: '0B000000-0000-4000-8000-000000000001',
  creationTime: now,
  requestId: '0B000000-0000-4000-8000-000000000002',
  nhsNumber: '9990000018',
  requestingPractice: b,
  sendingPractice: a,
});
const extract = buildEhrExtractMessage(
  {
    messageId: '0B000000-0000-4000-8000-000000000003',
    creationTime: now,
    extractId: '0B000000-0000-4000-8000-000000000004',
    availabilityTime: now,
    nhsNumber: '9990000018',
    sendingPractice: a,
    requestingPractice: b,
    requestId: '0B000000-0000-4000-8000-000000000002',
    nopat: false,
  },
  minimalEhrFolder('A99901'),
);
const wrapped = buildEbxmlMessage({
  header: {
    fromPartyId: 'A99901-000001',
    toPartyId: 'B99902-000002',
    cpaId: 'S1',
    conversationId: '0B000000-0000-4000-8000-000000000001',
    service: 'urn:nhs:names:services:gp2gp',
    action: 'RCMR_IN030000UK06',
    messageId: '0B000000-0000-4000-8000-000000000003',
    timestamp: now.toISOString(),
    duplicateElimination: true,
    ackRequested: true,
  },
  payload: extract,
  attachments: [
    {
      contentId: 'doc1@test',
      contentType: 'application/pdf',
      body: Buffer.from('%PDF-1.4 synthetic'),
      description: {
        filename: 'letter.pdf',
        contentType: 'application/pdf',
        compressed: false,
        largeAttachment: false,
        originalBase64: false,
        length: 18,
      },
    },
  ],
});

/** Our own messages plus every small-enough real one in ../shared. */
const seeds: Buffer[] = [
  Buffer.from(request),
  Buffer.from(extract),
  Buffer.concat([
    Buffer.from(`POST / HTTP/1.1\r\nContent-Type: ${wrapped.contentType}\r\n\r\n`),
    wrapped.body,
  ]),
  ...[...sharedFiles('corpus/messages'), ...sharedFiles('corpus/large-message-example-1')]
    .filter((f) => statSync(f).size < 64 * 1024)
    .map((f) => readFileSync(f)),
];

type Mutation =
  | { op: 'truncate'; at: number }
  | { op: 'flip'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'repeat'; at: number; length: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: position }),
  fc.record({ op: fc.constant('flip' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({ op: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ op: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 256 }) }),
);

function mutate(buf: Buffer, m: Mutation): Buffer {
  const at = Math.floor(m.at * buf.length);
  switch (m.op) {
    case 'truncate':
      return buf.subarray(0, at);
    case 'flip': {
      const out = Buffer.from(buf);
      if (at < out.length) out[at] = m.byte;
      return out;
    }
    case 'insert':
      return Buffer.concat([buf.subarray(0, at), m.bytes, buf.subarray(at)]);
    case 'delete':
      return Buffer.concat([buf.subarray(0, at), buf.subarray(at + m.length)]);
    case 'repeat':
      return Buffer.concat([buf.subarray(0, at + m.length), buf.subarray(at)]);
  }
}

test('our own seed messages are read without warnings', () => {
  for (const seed of seeds.slice(0, 3)) assert.deepEqual(summarizeMessage(seed).warnings, []);
});

/** What any summary must look like, whatever bytes it was read from. */
function assertWellFormedSummary(s: MessageSummary): void {
  assert.match(s.interactionId, /^[^\n]*$/);
  assert.ok(['hl7', 'soap', 'mime'].includes(s.form), s.form);
  assert.equal(typeof s.messageId, 'string');
  for (const party of [s.sender, s.receiver])
    for (const value of [party.asid, party.ods, party.partyId])
      assert.ok(value === null || typeof value === 'string');
  for (const a of s.attachments) assert.match(a.href, /\S/);
  for (const n of Object.values(s.counts ?? {})) assert.ok(Number.isInteger(n) && n > 0, String(n));
  for (const w of s.warnings) assert.ok(w.length > 0 && !w.includes('\n'), `multi-line warning: ${w}`);
  assert.deepEqual(JSON.parse(JSON.stringify(s)), s);
}

test('mutated real and synthetic messages are read into a well-formed summary, the same each time, or refused in one line (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: seeds.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 3 }),
      (i, mutations) => {
        const seed = seeds[i]!;
        const bytes = mutations.reduce(mutate, seed);
        let summary: MessageSummary;
        try {
          summary = summarizeMessage(bytes);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          assert.ok(e.message.length > 0 && !e.message.includes('\n'), `multi-line error: ${e.message}`);
          return;
        }
        assertWellFormedSummary(summary);
        assert.deepEqual(summarizeMessage(bytes), summary);
        // a mutation that changed nothing (a byte flipped to itself) reads as the seed does
        if (bytes.equals(seed)) assert.deepEqual(summary, summarizeMessage(seed));
      },
    ),
    { numRuns: 600 },
  );
});
