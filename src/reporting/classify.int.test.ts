import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';
import { buildAck, buildEhrExtractMessage, buildEhrRequest } from '../hl7/index.ts';
import { minimalEhrFolder } from '../hl7/testing/minimal-folder.ts';
import type { OutboundMessage } from '../spine/mhs/mhs-outbound.ts';
import { type LocalNetwork, startLocalNetwork } from '../spine/simulator/local-network.ts';
import { samplePractices } from '../spine/simulator/sample-network.ts';
import { FAST_RELIABILITY, tempDir } from '../spine/testing/fixtures.ts';
import { classifySpineLogs } from './classify-logs.ts';

describe("the Spine simulator's message log is read by the classifier", () => {
  const tmp = tempDir('gp2gp-classify-int-');
  let net: LocalNetwork;

  before(async () => {
    net = await startLocalNetwork({ dataDir: tmp.dir, practices: samplePractices(), attemptTimeoutMs: 2000 });
  });

  after(async () => {
    await net.stop();
    tmp.remove();
  });

  const practice = (ods: string) => {
    const p = net.practices.get(ods);
    assert.ok(p, `practice ${ods} is running`);
    return p;
  };

  test('request, extract and AA ack between two practices: integrated on time', async () => {
    const conversationId = crypto.randomUUID().toUpperCase();
    const ids = { request: '', extract: '', ack: '' };
    const a = practice('SIMA01'); // the new practice, asking for the record
    const b = practice('SIMB02'); // the old practice, sending it
    const nhsNumber = '9990000018';
    const requestId = crypto.randomUUID().toUpperCase();
    const send = async (
      from: typeof a,
      to: typeof b,
      m: Omit<OutboundMessage, 'reliability' | 'toPartyKey'>,
    ) => {
      const outcome = await from.outbound.send({
        ...m,
        toPartyKey: to.entry.partyKey,
        reliability: FAST_RELIABILITY,
      });
      assert.equal(outcome.kind, 'acknowledged', JSON.stringify(outcome));
    };

    ids.request = crypto.randomUUID().toUpperCase();
    await send(a, b, {
      interactionId: 'RCMR_IN010000UK05',
      conversationId,
      messageId: ids.request,
      payload: buildEhrRequest({
        messageId: ids.request,
        creationTime: new Date(),
        requestId,
        nhsNumber,
        requestingPractice: { asid: a.entry.asid, ods: a.entry.ods },
        sendingPractice: { asid: b.entry.asid, ods: b.entry.ods },
      }),
    });

    ids.extract = crypto.randomUUID().toUpperCase();
    await send(b, a, {
      interactionId: 'RCMR_IN030000UK06',
      conversationId,
      messageId: ids.extract,
      payload: buildEhrExtractMessage(
        {
          messageId: ids.extract,
          creationTime: new Date(),
          extractId: crypto.randomUUID().toUpperCase(),
          availabilityTime: new Date(),
          nhsNumber,
          sendingPractice: { asid: b.entry.asid, ods: b.entry.ods },
          requestingPractice: { asid: a.entry.asid, ods: a.entry.ods },
          requestId,
          nopat: false,
        },
        minimalEhrFolder(b.entry.ods),
      ),
    });

    ids.ack = crypto.randomUUID().toUpperCase();
    await send(a, b, {
      interactionId: 'MCCI_IN010000UK13',
      conversationId,
      messageId: ids.ack,
      payload: buildAck({
        messageId: ids.ack,
        creationTime: new Date(),
        senderAsid: a.entry.asid,
        receiverAsid: b.entry.asid,
        acknowledgedMessageId: ids.extract,
        typeCode: 'AA',
      }),
    });

    await net.spine.log?.close(); // flush the log; nothing more is sent in this file
    const logFile = net.spine.log!.file;

    const { transfers } = await classifySpineLogs([logFile], { cutoffDays: 14 });
    assert.equal(transfers.length, 1, readFileSync(logFile, 'utf8'));
    const t = transfers[0]!;
    assert.equal(t.conversationId, conversationId);
    assert.deepEqual(t.outcome, { status: 'Integrated on time', failureReason: null });
    assert.equal(t.requestingPracticeAsid, a.entry.asid);
    assert.equal(t.sendingPracticeAsid, b.entry.asid);
    assert.equal(t.requestingSupplier, a.entry.supplier);
    assert.equal(t.sendingSupplier, b.entry.supplier);
    assert.deepEqual(t.finalErrorCodes, [null]);
    assert.ok(t.slaSeconds !== null && t.slaSeconds >= 0 && t.slaSeconds < 60);
    assert.ok(t.dateCompleted && t.dateCompleted >= t.dateRequested);

    // and the same through the command line, as an outside check would run it
    const r = spawnSync(join(REPO_ROOT, 'bin', 'gp2gp'), ['classify', '--cutoff-days', '14', logFile], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const [printed] = JSON.parse(r.stdout) as Record<string, unknown>[];
    assert.equal(printed?.conversation_id, conversationId);
    assert.equal(printed?.status, 'Integrated on time');
    assert.equal(printed?.failure_reason, null);
  });
});
