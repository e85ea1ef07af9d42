import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import type { ExternalAttachment } from '../ebxml/index.ts';
import { buildCommonContent, buildEhrRequest, INTERACTION, type ReadAck } from '../hl7/index.ts';
import { translateBundleToExtract } from '../record/to-hl7/index.ts';
import { listPrintTasks, transferHistory } from './queries.ts';
import { type ScriptedPractice, scriptedPractice } from './testing/scripted-practice.ts';
import {
  startTransferNetwork,
  type TransferNetwork,
  testPatient,
  testRecordBundle,
} from './testing/transfer-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';
const C = 'TESTC3';
const DAY = 86_400_000;
/** The simulator's default persist duration for every interaction (SDS defaults): 5 minutes. */
const PERSIST = 300_000;

// The engine hosts A and C; B is played by the test, so it can misbehave.
let net: TransferNetwork;
let b: ScriptedPractice;
before(async () => {
  net = await startTransferNetwork({ hosted: [A, C] });
  b = await scriptedPractice(net.spine, B);
});
after(async () => {
  await b.stop();
  await net.stop();
});

let next = 400;
function newPatient(ods: string): string {
  const nhs = syntheticNhsNumber(next++);
  net.spine.pds.load([testPatient(nhs, ods)]);
  return nhs;
}

/** A asks B for a new patient's record; returns the transfer and the request B received. */
async function requestFromB() {
  const nhs = newPatient(B);
  const r = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
  assert.equal(r.kind, 'requested');
  const id = r.kind === 'requested' ? r.transfer.id : '';
  await net.settleTo(id, 'awaiting-extract');
  const delivered = b.of(INTERACTION.ehrRequest).at(-1)!;
  assert.equal(delivered.hl7.kind, 'ehr-request');
  if (delivered.hl7.kind !== 'ehr-request') throw new Error('no request');
  return { nhs, id, request: delivered.hl7.request, conversationId: delivered.message.header.conversationId };
}

/** B's extract answering a request (a synthetic record for the patient). */
function extractFor(
  req: Awaited<ReturnType<typeof requestFromB>>,
  messageId = crypto.randomUUID().toUpperCase(),
) {
  return translateBundleToExtract(testRecordBundle(req.nhs), {
    messageId,
    addressing: {
      requestId: req.request.requestId,
      nhsNumber: req.nhs,
      sendingPractice: { asid: b.entry.asid, ods: B },
      requestingPractice: req.request.requestingPractice,
    },
  }).xml;
}

/** A GP2GP attachment description, as B's manifests write it. */
function description(filename: string, largeAttachment = false) {
  return {
    filename,
    contentType: 'text/plain',
    compressed: false,
    largeAttachment,
    originalBase64: false,
    length: 8,
  };
}

/** B's extract announcing one part sent separately (a document, or a fragment index when `large`). */
async function sendCoreWithPart(
  req: Awaited<ReturnType<typeof requestFromB>>,
  messageId: string,
  partId: string,
  filename: string,
  large = false,
): Promise<void> {
  await b.send({
    to: A,
    interactionId: INTERACTION.ehrExtract,
    conversationId: req.conversationId,
    payload: extractFor(req, messageId),
    messageId,
    externalAttachments: [{ messageId: partId, description: description(filename, large) }],
  });
}

/** A COPC from B with what it carries: one attachment, references to fragments, or nothing. */
function partMessage(
  req: Awaited<ReturnType<typeof requestFromB>>,
  messageId: string,
  filename: string,
  carries: { attachment?: Buffer; external?: ExternalAttachment[] },
) {
  const payload = buildCommonContent({
    messageId,
    creationTime: new Date(net.clock.now()),
    kind: 'attachment',
    from: { asid: b.entry.asid, ods: B },
    to: req.request.requestingPractice,
    subject: `Attachment: ${filename}`,
    references: [filename],
  });
  const contentId = `${crypto.randomUUID()}@b.local`;
  return {
    to: A,
    interactionId: INTERACTION.commonContent,
    conversationId: req.conversationId,
    payload,
    messageId,
    ...(carries.attachment
      ? {
          attachments: [
            {
              contentId,
              contentType: 'text/plain',
              body: carries.attachment,
              description: description(filename),
            },
          ],
        }
      : {}),
    ...(carries.external ? { externalAttachments: carries.external } : {}),
  };
}

/** Acks B received for a message id. */
function acksOf(messageId: string): ReadAck[] {
  return b
    .of(INTERACTION.ack)
    .flatMap((d) => (d.hl7.kind === 'ack' ? [d.hl7.ack] : []))
    .filter((a) => a.acknowledgedMessageId?.toUpperCase() === messageId.toUpperCase());
}

describe('a misbehaving or silent old practice', () => {
  test('a second extract is refused as a duplicate (12) and the record is prepared once', async () => {
    const req = await requestFromB();
    const first = crypto.randomUUID().toUpperCase();
    const second = crypto.randomUUID().toUpperCase();
    const send = (messageId: string) =>
      b.send({
        to: A,
        interactionId: INTERACTION.ehrExtract,
        conversationId: req.conversationId,
        payload: extractFor(req, messageId),
        messageId,
      });
    assert.equal((await send(first)).kind, 'acknowledged');
    assert.equal((await send(second)).kind, 'acknowledged');
    await net.settleTo(req.id, 'ready-to-integrate');
    assert.deepEqual(
      acksOf(second).map((a) => [a.typeCode, a.reasonCode]),
      [['AE', '12']],
    );
    assert.deepEqual(acksOf(first), [], 'the first extract awaits the practice’s decision');
    const history = await transferHistory(net.store.db, { practiceOds: A, transferId: req.id });
    assert.equal(history.filter((e) => e.toState === 'ready-to-integrate').length, 1);
  });

  test('an extract nobody asked for is refused with 09', async () => {
    const messageId = crypto.randomUUID().toUpperCase();
    const req = {
      nhs: newPatient(B),
      request: { requestId: crypto.randomUUID(), requestingPractice: { asid: '999000000001', ods: A } },
    };
    const payload = extractFor(req as Awaited<ReturnType<typeof requestFromB>>, messageId);
    await b.send({
      to: A,
      interactionId: INTERACTION.ehrExtract,
      conversationId: crypto.randomUUID().toUpperCase(),
      payload,
      messageId,
    });
    await net.engine.settled();
    assert.deepEqual(
      acksOf(messageId).map((a) => [a.typeCode, a.reasonCode]),
      [['AE', '09']],
    );
  });

  test('an extract that is not well-formed XML is refused with 21, not at transport level', async () => {
    const req = await requestFromB();
    const messageId = crypto.randomUUID().toUpperCase();
    const broken = extractFor(req, messageId).replace('</EhrExtract>', '');
    const sent = await b.send({
      to: A,
      interactionId: INTERACTION.ehrExtract,
      conversationId: req.conversationId,
      payload: broken,
      messageId,
    });
    assert.equal(sent.kind, 'acknowledged', 'Spine and the endpoint pass it on for the practice to answer');
    assert.equal((await net.settleTo(req.id, 'failed')).reasonCode, '21');
    assert.deepEqual(
      acksOf(messageId).map((a) => [a.typeCode, a.reasonCode]),
      [['AE', '21']],
    );
  });

  test('an extract that cannot be processed is refused with 21 and the transfer fails', async () => {
    const req = await requestFromB();
    const messageId = crypto.randomUUID().toUpperCase();
    // Its transmission wrapper is sound (so it is delivered), but the extract names no patient.
    const broken = extractFor(req, messageId).replace(/<recordTarget[\s\S]*?<\/recordTarget>/, '');
    await b.send({
      to: A,
      interactionId: INTERACTION.ehrExtract,
      conversationId: req.conversationId,
      payload: broken,
      messageId,
    });
    assert.equal((await net.settleTo(req.id, 'failed')).reasonCode, '21');
    assert.deepEqual(
      acksOf(messageId).map((a) => [a.typeCode, a.reasonCode]),
      [['AE', '21']],
    );
  });

  test('an extract for another patient is refused as the wrong patient (28)', async () => {
    const req = await requestFromB();
    const messageId = crypto.randomUUID().toUpperCase();
    const other = extractFor({ ...req, nhs: syntheticNhsNumber(499) }, messageId);
    await b.send({
      to: A,
      interactionId: INTERACTION.ehrExtract,
      conversationId: req.conversationId,
      payload: other,
      messageId,
    });
    assert.equal((await net.settleTo(req.id, 'failed')).reasonCode, '28');
  });

  test('no extract within A × persistDuration(extract): the request fails for the practice to chase', async () => {
    const req = await requestFromB();
    await net.clock.advance(PERSIST - 1_000);
    await net.settleTo(req.id, 'awaiting-extract');
    await net.clock.advance(2_000);
    const failed = await net.settleTo(req.id, 'failed');
    assert.match(failed.reasonText ?? '', /no extract/);
  });

  test('large-message parts that never come: NACK 25 after the timeout formula, and 25 for a late part', async () => {
    const req = await requestFromB();
    const messageId = crypto.randomUUID().toUpperCase();
    const partId = crypto.randomUUID().toUpperCase();
    await b.send({
      to: A,
      interactionId: INTERACTION.ehrExtract,
      conversationId: req.conversationId,
      payload: extractFor(req, messageId),
      messageId,
      externalAttachments: [
        {
          messageId: partId,
          description: {
            filename: 'scan.pdf',
            contentType: 'application/pdf',
            compressed: false,
            largeAttachment: false,
            originalBase64: false,
            length: 10,
          },
        },
      ],
    });
    await net.settleTo(req.id, 'awaiting-attachments');
    const continued = b.of(INTERACTION.commonContent).at(-1);
    assert.ok(continued?.hl7.kind === 'common-content' && continued.hl7.content.kind === 'continue');
    // A × persist(extract) + B × 1 part × persist(COPC), from the extract's arrival
    await net.clock.advance(2 * PERSIST + 1_000);
    assert.equal((await net.settleTo(req.id, 'failed')).reasonCode, '25');
    assert.deepEqual(
      acksOf(messageId).map((a) => [a.typeCode, a.reasonCode]),
      [['AE', '25']],
    );
    await b.send(partMessage(req, partId, 'scan.pdf', { attachment: Buffer.from('too late') }));
    await net.engine.settled();
    assert.deepEqual(
      acksOf(partId).map((a) => [a.typeCode, a.reasonCode]),
      [['AE', '25']],
      'a part after the timeout is refused with 25 too',
    );
  });

  test('a large-message part that carries no attachment fails the transfer with 31', async () => {
    const req = await requestFromB();
    const messageId = crypto.randomUUID().toUpperCase();
    const partId = crypto.randomUUID().toUpperCase();
    await sendCoreWithPart(req, messageId, partId, 'scan.pdf');
    await net.settleTo(req.id, 'awaiting-attachments');
    await b.send(partMessage(req, partId, 'scan.pdf', {}));
    assert.equal((await net.settleTo(req.id, 'failed')).reasonCode, '31');
    assert.deepEqual(
      acksOf(messageId).map((a) => [a.typeCode, a.reasonCode]),
      [['AE', '31']],
    );
  });

  test('a fragment index that lists a fragment twice fails the transfer with 29', async () => {
    const req = await requestFromB();
    const messageId = crypto.randomUUID().toUpperCase();
    const indexId = crypto.randomUUID().toUpperCase();
    const fragmentId = crypto.randomUUID().toUpperCase();
    await sendCoreWithPart(req, messageId, indexId, 'book.txt', true);
    await net.settleTo(req.id, 'awaiting-attachments');
    const fragment = { messageId: fragmentId, description: description('book_0.messageattachment') };
    await b.send(partMessage(req, indexId, 'book.txt', { external: [fragment, fragment] }));
    assert.equal((await net.settleTo(req.id, 'failed')).reasonCode, '29');
  });

  test('a request that cannot be delivered fails with 20 once its persist duration is spent', async () => {
    const nhs = newPatient(C);
    await net.spine.registerEndpoint(C, 'https://127.0.0.1:9/unreachable');
    const r = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
    assert.equal(r.kind, 'requested');
    if (r.kind !== 'requested') return;
    for (let i = 0; i < 10; i++) {
      await net.engine.settled();
      await net.clock.advance(PERSIST / 4);
    }
    assert.equal((await net.settleTo(r.transfer.id, 'failed')).reasonCode, '20');
    await net.spine.registerEndpoint(C, net.engine.endpoints.get(C)!.url);
  });
});

describe('a silent new practice', () => {
  test('no final acknowledgement in 8 days fails the sending transfer and asks for the record to be printed', async () => {
    const nhs = newPatient(C);
    await net.seedRecord(C, nhs);
    const r = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
    assert.equal(r.kind, 'requested');
    if (r.kind !== 'requested') return;
    await net.settleTo(r.transfer.id, 'ready-to-integrate');
    const sending = await net.transferOf(C, 'sending', nhs);
    await net.clock.advance(8 * DAY - 60_000);
    await net.settleTo(sending.id, 'awaiting-final-ack');
    await net.clock.advance(120_000);
    await net.settleTo(sending.id, 'failed');
    const tasks = await listPrintTasks(net.store.db, { practiceOds: C });
    assert.ok(tasks.some((t) => t.transferId === sending.id && t.kind === 'whole-record'));
  });

  test('a request that cannot be read is refused with 18', async () => {
    const conversationId = crypto.randomUUID().toUpperCase();
    const messageId = crypto.randomUUID().toUpperCase();
    const request = buildEhrRequest({
      messageId,
      creationTime: new Date(net.clock.now()),
      requestId: crypto.randomUUID().toUpperCase(),
      nhsNumber: newPatient(C),
      requestingPractice: { asid: b.entry.asid, ods: B },
      sendingPractice: { asid: '999000000003', ods: C },
    }).replace(/<recordTarget[\s\S]*?<\/recordTarget>/, '');
    await b.send({
      to: C,
      interactionId: INTERACTION.ehrRequest,
      conversationId,
      payload: request,
      messageId,
    });
    await net.engine.settled();
    assert.deepEqual(
      acksOf(messageId).map((a) => [a.typeCode, a.reasonCode]),
      [['AE', '18']],
    );
  });
});
