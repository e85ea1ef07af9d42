import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { classifyTexts } from './testing/classify-text.ts';
import { REQUESTER_ASID, SENDER_ASID, spineLogCsv, TransferScript } from './testing/transfer-script.ts';
import { FAILURE_REASON as R, TRANSFER_STATUS as S, SLA_SECONDS, type Transfer } from './transfer.ts';

const DAY = 86_400_000;
const MIN = 60_000;
const HOUR = 3_600_000;

function classify(script: TransferScript, cutoffDays = 14): Transfer {
  const transfers = classifyTexts([spineLogCsv(script.entries)], { cutoffDays });
  assert.equal(transfers.length, 1, 'one transfer');
  return transfers[0]!;
}

function outcomeOf(script: TransferScript, cutoffDays = 14): [string, string | null] {
  const t = classify(script, cutoffDays);
  return [t.outcome.status, t.outcome.failureReason];
}

/** Request acked, extract sent: the start every later path shares. Returns the extract GUID. */
function sent(s: TransferScript, requestAckCode?: number | string): string {
  s.request();
  s.requestAck(MIN, requestAckCode);
  return s.extract(2 * MIN);
}

describe('classification paths (first match wins)', () => {
  test('AA on the extract within 8 days: integrated on time, with SLA, dates and practices', () => {
    const t = classify(new TransferScript('C-ON-TIME').integrated(2 * DAY));
    assert.deepEqual(t.outcome, { status: S.INTEGRATED_ON_TIME, failureReason: null });
    assert.equal(t.slaSeconds, 2 * 86_400);
    assert.equal(t.dateRequested.toISOString(), '2024-01-15T09:00:00.000Z');
    assert.equal(t.dateCompleted?.toISOString(), '2024-01-17T09:01:00.000Z');
    assert.equal(t.requestingPracticeAsid, REQUESTER_ASID);
    assert.equal(t.sendingPracticeAsid, SENDER_ASID);
    assert.equal(t.requestingSupplier, 'SupplierA');
    assert.equal(t.sendingSupplier, 'SupplierB');
  });

  test('reason 15 (A-B-A suppressed) counts as integrated', () => {
    const s = new TransferScript('C-ABA');
    s.extractAck(sent(s), 3 * MIN, 15);
    assert.deepEqual(outcomeOf(s), [S.INTEGRATED_ON_TIME, null]);
  });

  test('integrated after more than 8 days: process failure, integrated late', () => {
    assert.deepEqual(outcomeOf(new TransferScript('C-LATE').integrated(9 * DAY)), [
      S.PROCESS_FAILURE,
      R.INTEGRATED_LATE,
    ]);
  });

  test('SLA boundary: exactly 691,200 s is on time, one millisecond more is late', () => {
    assert.equal(SLA_SECONDS, 691_200);
    const exact = classify(new TransferScript('C-EXACT').integrated(691_200_000));
    assert.equal(exact.slaSeconds, 691_200);
    assert.equal(exact.outcome.status, S.INTEGRATED_ON_TIME);
    const over = classify(new TransferScript('C-OVER').integrated(691_200_001));
    assert.equal(over.slaSeconds, 691_200, 'reported in whole seconds');
    assert.deepEqual(over.outcome, { status: S.PROCESS_FAILURE, failureReason: R.INTEGRATED_LATE });
  });

  test('SLA is rounded half to even, as Python rounds', () => {
    assert.equal(classify(new TransferScript('C-H1').integrated(2_500)).slaSeconds, 2);
    assert.equal(classify(new TransferScript('C-H2').integrated(3_500)).slaSeconds, 4);
  });

  test('another code on the final ack: technical failure, final error', () => {
    const s = new TransferScript('C-FINAL');
    s.extractAck(sent(s), 3 * MIN, 11);
    assert.deepEqual(outcomeOf(s), [S.TECHNICAL_FAILURE, R.FINAL_ERROR]);
  });

  test('a duplicate rejected, the first copy integrated: on time, SLA from the integrated copy', () => {
    const s = new TransferScript('C-DUP-OK');
    const first = sent(s);
    const copy = s.extract(10 * MIN);
    s.extractAck(copy, 11 * MIN, 12);
    s.extractAck(first, 2 * MIN + DAY);
    const t = classify(s);
    assert.deepEqual(t.outcome, { status: S.INTEGRATED_ON_TIME, failureReason: null });
    assert.equal(t.slaSeconds, 86_400);
    assert.deepEqual(t.finalErrorCodes, [null, 12]);
  });

  test('a success on a later extract outranks an earlier failure', () => {
    const s = new TransferScript('C-RETRY');
    const first = sent(s);
    s.extractAck(first, 3 * MIN, 29);
    const second = s.extract(HOUR);
    s.extractAck(second, HOUR + 5 * MIN);
    const t = classify(s);
    assert.equal(t.outcome.status, S.INTEGRATED_ON_TIME);
    assert.equal(t.slaSeconds, 300);
  });

  test('only duplicate rejections: no effective ack, transferred not integrated', () => {
    const s = new TransferScript('C-DUP-ONLY');
    const first = sent(s);
    const copy = s.extract(3 * MIN);
    s.extractAck(copy, 4 * MIN, 12);
    s.extractAck(first, 5 * MIN, 12);
    const t = classify(s);
    assert.deepEqual(t.outcome, { status: S.PROCESS_FAILURE, failureReason: R.TRANSFERRED_NOT_INTEGRATED });
    assert.equal(t.slaSeconds, null);
    assert.equal(t.dateCompleted, null);
  });

  test('COPC: a duplicate rejected while another copy is unanswered: ambiguous COPC messages', () => {
    const s = new TransferScript('C-AMBIGUOUS');
    sent(s);
    const copy = s.extract(3 * MIN);
    s.copcContinue(4 * MIN);
    const f = s.copcFragment(5 * MIN);
    s.fragmentAck(f, 6 * MIN);
    s.extractAck(copy, 7 * MIN, 12);
    assert.deepEqual(outcomeOf(s), [S.UNCLASSIFIED_FAILURE, R.AMBIGUOUS_COPCS]);
  });

  test('COPC: every fragment acked, one with an error: transferred, not integrated, with error', () => {
    const s = new TransferScript('C-COPC-ERR');
    sent(s);
    s.copcContinue(3 * MIN);
    s.fragmentAck(s.copcFragment(4 * MIN), 5 * MIN);
    s.fragmentAck(s.copcFragment(4 * MIN), 5 * MIN, 29);
    const t = classify(s);
    assert.deepEqual(t.outcome, {
      status: S.UNCLASSIFIED_FAILURE,
      failureReason: R.TRANSFERRED_NOT_INTEGRATED_WITH_ERROR,
    });
    assert.deepEqual(t.intermediateErrorCodes, [29]);
  });

  test('COPC: Continue sent, no fragment: technical failure, COPC(s) not sent', () => {
    const s = new TransferScript('C-COPC-NOT-SENT');
    sent(s);
    s.copcContinue(3 * MIN);
    assert.deepEqual(outcomeOf(s), [S.TECHNICAL_FAILURE, R.COPC_NOT_SENT]);
  });

  test('COPC: a fragment never acked: technical failure, COPC(s) not acknowledged', () => {
    const s = new TransferScript('C-COPC-UNACKED');
    sent(s);
    s.copcContinue(3 * MIN);
    s.fragmentAck(s.copcFragment(4 * MIN), 5 * MIN);
    s.copcFragment(4 * MIN);
    assert.deepEqual(outcomeOf(s), [S.TECHNICAL_FAILURE, R.COPC_NOT_ACKNOWLEDGED]);
  });

  test('COPC: all fragments acked, no final ack: process failure, transferred not integrated', () => {
    const s = new TransferScript('C-COPC-DONE');
    sent(s);
    s.copcContinue(3 * MIN);
    s.fragmentAck(s.copcFragment(4 * MIN), 5 * MIN);
    assert.deepEqual(outcomeOf(s), [S.PROCESS_FAILURE, R.TRANSFERRED_NOT_INTEGRATED]);
  });

  for (const code of ['06', '6', '99', '30']) {
    test(`fatal sender code ${code} on the request ack: technical failure, contains fatal sender error`, () => {
      const s = new TransferScript(`C-FATAL-${code}`);
      s.request();
      s.requestAck(MIN, code);
      assert.deepEqual(outcomeOf(s), [S.TECHNICAL_FAILURE, R.FATAL_SENDER_ERROR]);
    });
  }

  test('a fatal sender code outranks an extract that was sent anyway', () => {
    const s = new TransferScript('C-FATAL-SENT');
    sent(s, 99);
    assert.deepEqual(outcomeOf(s), [S.TECHNICAL_FAILURE, R.FATAL_SENDER_ERROR]);
  });

  test('request never acknowledged: technical failure, request not acknowledged', () => {
    const s = new TransferScript('C-NO-ACK');
    s.request();
    s.extract(MIN); // an extract without a request ack still fails here: the rule comes first
    assert.deepEqual(outcomeOf(s), [S.TECHNICAL_FAILURE, R.REQUEST_NOT_ACKNOWLEDGED]);
  });

  test('request acknowledged, no extract: technical failure, core extract not sent', () => {
    const s = new TransferScript('C-NO-EXTRACT');
    s.request();
    s.requestAck(MIN);
    assert.deepEqual(outcomeOf(s), [S.TECHNICAL_FAILURE, R.CORE_EHR_NOT_SENT]);
  });

  test('a non-fatal code on the request ack with no extract is still core extract not sent', () => {
    const s = new TransferScript('C-19');
    s.request();
    s.requestAck(MIN, 19);
    assert.deepEqual(outcomeOf(s), [S.TECHNICAL_FAILURE, R.CORE_EHR_NOT_SENT]);
  });

  test('extract sent after a non-fatal request error: unclassified, transferred not integrated with error', () => {
    const s = new TransferScript('C-WITH-ERR');
    sent(s, 19);
    const t = classify(s);
    assert.deepEqual(t.outcome, {
      status: S.UNCLASSIFIED_FAILURE,
      failureReason: R.TRANSFERRED_NOT_INTEGRATED_WITH_ERROR,
    });
    assert.deepEqual(t.senderErrorCodes, [19]);
  });

  test('extract sent, never acknowledged: process failure, transferred not integrated', () => {
    const s = new TransferScript('C-PENDING');
    sent(s);
    assert.deepEqual(outcomeOf(s), [S.PROCESS_FAILURE, R.TRANSFERRED_NOT_INTEGRATED]);
  });
});

describe('reading a conversation as the classifier does', () => {
  test('a conversation that does not begin with a request is left out', () => {
    const s = new TransferScript('C-NO-START', Date.UTC(2024, 0, 15));
    s.request(HOUR);
    s.requestAck(0); // logged before the request: the conversation began before this log
    assert.deepEqual(classifyTexts([spineLogCsv(s.entries)], { cutoffDays: 14 }), []);
  });

  test('an ack logged before the message it names is not paired', () => {
    const s = new TransferScript('C-EARLY-ACK');
    s.request();
    s.requestAck(MIN);
    s.extractAck('C-EARLY-ACK-9', 2 * MIN); // names an extract logged later
    s.extract(3 * MIN, 'C-EARLY-ACK-9');
    assert.deepEqual(outcomeOf(s), [S.PROCESS_FAILURE, R.TRANSFERRED_NOT_INTEGRATED]);
  });

  test('an extract logged again under its GUID replaces the first copy and drops its acks', () => {
    const s = new TransferScript('C-RESENT');
    const x = sent(s);
    s.extractAck(x, 3 * MIN);
    s.extract(4 * MIN, x);
    assert.deepEqual(outcomeOf(s), [S.PROCESS_FAILURE, R.TRANSFERRED_NOT_INTEGRATED]);
  });

  test('rows in the same millisecond: request first, a message before its ack', () => {
    const s = new TransferScript('C-SAME-MS');
    s.request(0);
    s.requestAck(0);
    const x = s.extract(0);
    s.extractAck(x, 0);
    // written acks-first: reading must not depend on the file's order within one millisecond
    const t = classifyTexts([spineLogCsv([...s.entries].reverse())], { cutoffDays: 14 })[0]!;
    assert.equal(t.outcome.status, S.INTEGRATED_ON_TIME);
    assert.equal(t.slaSeconds, 0);
  });

  test('rows of one transfer split across two files are one conversation', () => {
    const s = new TransferScript('C-SPLIT').integrated(DAY);
    const [a, b] = [s.entries.slice(0, 2), s.entries.slice(2)];
    const t = classifyTexts([spineLogCsv(b), spineLogCsv(a)], { cutoffDays: 14 });
    assert.equal(t.length, 1);
    assert.equal(t[0]!.outcome.status, S.INTEGRATED_ON_TIME);
  });
});

describe('cutoff', () => {
  test('a final ack after the cutoff is not seen; with cutoff 0 everything is', () => {
    const s = new TransferScript('C-CUT').integrated(15 * DAY);
    assert.deepEqual(outcomeOf(s, 14), [S.PROCESS_FAILURE, R.TRANSFERRED_NOT_INTEGRATED]);
    assert.equal(classify(s, 14).dateCompleted, null);
    assert.deepEqual(outcomeOf(s, 0), [S.PROCESS_FAILURE, R.INTEGRATED_LATE]);
    assert.deepEqual(outcomeOf(s, 16), [S.PROCESS_FAILURE, R.INTEGRATED_LATE]);
  });

  test('the cutoff is inclusive and counts from the first message', () => {
    const s = new TransferScript('C-EDGE');
    s.request();
    s.requestAck(MIN);
    const x = s.extract(2 * MIN);
    s.extractAck(x, 2 * DAY);
    assert.equal(outcomeOf(s, 2)[0], S.INTEGRATED_ON_TIME, 'ack exactly 2 days after the request');
    assert.equal(outcomeOf(s, 1)[1], R.TRANSFERRED_NOT_INTEGRATED);
  });
});

describe('months by request date (UTC), attributed to the requesting practice', () => {
  const header =
    '_time,conversationID,GUID,interactionID,messageSender,messageRecipient,messageRef,jdiEvent,toSystem,fromSystem';
  const req = (time: string, id: string) =>
    `"${time}",${id},${id},urn:nhs:names:services:gp2gp/RCMR_IN010000UK05,${REQUESTER_ASID},${SENDER_ASID},NotProvided,NONE,SupplierB,SupplierA`;
  const text = [
    header,
    req('2019-12-31T23:59:59.999+0000', 'C-DEC'),
    req('2020-01-01T00:00:00.000+0000', 'C-JAN'),
    // the classifier reads BST as UTC+1 whatever the date: 00:30 BST on 1 July is 23:30 UTC on 30 June
    req('2020-07-01 00:30:00.000 BST', 'C-JUN'),
  ].join('\n');

  test('each transfer is reported in the UTC month of its request, under the requester', async () => {
    const { reportingMonth } = await import('./transfer.ts');
    const transfers = classifyTexts([text], { cutoffDays: 14 });
    assert.deepEqual(
      transfers.map((t) => [t.conversationId, reportingMonth(t.dateRequested), t.requestingPracticeAsid]),
      [
        ['C-DEC', '2019-12', REQUESTER_ASID],
        ['C-JAN', '2020-01', REQUESTER_ASID],
        ['C-JUN', '2020-06', REQUESTER_ASID],
      ],
    );
  });

  test('--month keeps the transfers requested in that month', () => {
    assert.deepEqual(
      classifyTexts([text], { cutoffDays: 14, month: '2020-01' }).map((t) => t.conversationId),
      ['C-JAN'],
    );
    assert.deepEqual(
      classifyTexts([text], { cutoffDays: 14, month: '2019-12' }).map((t) => t.conversationId),
      ['C-DEC'],
    );
  });
});
