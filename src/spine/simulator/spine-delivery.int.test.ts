import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { buildAck } from '../../hl7/index.ts';
import type { SendOutcome } from '../mhs/mhs-outbound.ts';
import { ehrRequestMessage, tempDir } from '../testing/fixtures.ts';
import type { FaultKind } from './fault-injector.ts';
import { type LocalNetwork, startLocalNetwork } from './local-network.ts';
import { samplePractices } from './sample-network.ts';
import { SPINE_LOG_COLUMNS } from './spine-message-log.ts';

describe('Spine simulator delivers each message exactly once despite faults', () => {
  const tmp = tempDir();
  let net: LocalNetwork;
  /** ODS code of the receiving practice, by MessageId, one entry per delivery. */
  const deliveries: { ods: string; messageId: string }[] = [];
  let failNext = 0;

  before(async () => {
    net = await startLocalNetwork({
      dataDir: tmp.dir,
      practices: samplePractices(),
      attemptTimeoutMs: 400,
      faults: { seed: 7, delayMs: { min: 20, max: 120 }, reorderHoldMs: 300, dropHoldMs: 800 },
      onMessage: async (ods, d) => {
        if (failNext > 0) {
          failNext--;
          throw new Error('database busy');
        }
        deliveries.push({ ods, messageId: d.message.header.messageId });
      },
    });
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

  const deliveredCount = (messageId: string, ods: string): number =>
    deliveries.filter((d) => d.messageId === messageId && d.ods === ods).length;

  for (const kind of [
    'drop',
    'duplicate',
    'delay',
    'reorder',
    'reset',
    'error5xx',
  ] as const satisfies readonly FaultKind[]) {
    test(`one ${kind} fault: acknowledged, delivered once to the addressee`, async () => {
      const a = practice('SIMA01');
      const b = practice('SIMB02');
      net.spine.faults.inject(kind);
      const message = ehrRequestMessage(a.entry, b.entry);
      const outcome = await a.outbound.send(message);
      assert.equal(outcome.kind, 'acknowledged', JSON.stringify(outcome));
      if (kind === 'drop' || kind === 'reset' || kind === 'error5xx')
        assert.ok(outcome.attempts >= 2, 'the sender had to retry');
      await waitFor(() => deliveredCount(message.messageId!, 'SIMB02') >= 1);
      await new Promise((r) => setTimeout(r, kind === 'duplicate' ? 100 : 0)); // let the second copy land
      assert.equal(deliveredCount(message.messageId!, 'SIMB02'), 1);
      assert.equal(
        deliveries.filter((d) => d.messageId === message.messageId).length,
        1,
        'nobody else got it',
      );
    });
  }

  test('a reordered message is overtaken by the next one to the same practice', async () => {
    const a = practice('SIMA01');
    const b = practice('SIMB02');
    // a long hold, so a slow machine cannot release the first message before the second arrives
    net.spine.faults.configure({ reorderHoldMs: 5000 });
    const reordered = net.spine.faults.stats().reorder;
    net.spine.faults.inject('reorder');
    const first = ehrRequestMessage(a.entry, b.entry);
    const second = ehrRequestMessage(a.entry, b.entry);
    const p1 = a.outbound.send(first);
    await waitFor(() => net.spine.faults.stats().reorder > reordered); // the first is parked
    const p2 = a.outbound.send(second);
    const [o1, o2] = await Promise.all([p1, p2]);
    net.spine.faults.configure({});
    assert.equal(o1.kind, 'acknowledged');
    assert.equal(o2.kind, 'acknowledged');
    const order = deliveries.map((d) => d.messageId);
    assert.ok(
      order.indexOf(second.messageId!) < order.indexOf(first.messageId!),
      'second delivered before first',
    );
  });

  test('an application that fails once gets the retry, and the message only once', async () => {
    const a = practice('SIMA01');
    const c = practice('SIMC03');
    failNext = 1;
    const message = ehrRequestMessage(a.entry, c.entry);
    const outcome = await a.outbound.send(message);
    assert.equal(outcome.kind, 'acknowledged');
    assert.equal(outcome.attempts, 2);
    assert.equal(deliveredCount(message.messageId!, 'SIMC03'), 1);
  });

  test('random faults at 60% (seeded) over 40 messages in both directions: none lost, none doubled', async () => {
    net.spine.faults.configure({
      seed: 20240601,
      rates: { drop: 0.1, duplicate: 0.1, delay: 0.15, reorder: 0.05, reset: 0.1, error5xx: 0.1 },
      delayMs: { min: 10, max: 150 },
      reorderHoldMs: 200,
      dropHoldMs: 600,
    });
    const pairs = [
      ['SIMA01', 'SIMB02'],
      ['SIMB02', 'SIMA01'],
      ['SIMC03', 'SIMA01'],
      ['SIMA01', 'SIMC03'],
    ] as const;
    const sent = Array.from({ length: 40 }, (_, i) => {
      const [from, to] = pairs[i % pairs.length]!;
      return { to, message: ehrRequestMessage(practice(from).entry, practice(to).entry), from };
    });
    const outcomes: SendOutcome[] = await Promise.all(
      sent.map((s) => practice(s.from).outbound.send(s.message)),
    );
    net.spine.faults.configure({});
    assert.deepEqual(
      outcomes.filter((o) => o.kind !== 'acknowledged'),
      [],
    );
    const faults = net.spine.faults.stats();
    assert.ok(
      faults.drop + faults.reset + faults.error5xx > 5,
      `faults were injected: ${JSON.stringify(faults)}`,
    );
    await new Promise((r) => setTimeout(r, 200)); // late duplicate copies
    for (const s of sent) {
      assert.equal(deliveredCount(s.message.messageId!, s.to), 1, `${s.message.messageId} to ${s.to}`);
      assert.equal(deliveries.filter((d) => d.messageId === s.message.messageId).length, 1);
    }
  });

  test('the Spine message log has one line per message, in the export format', async () => {
    const a = practice('SIMA01');
    const b = practice('SIMB02');
    const request = ehrRequestMessage(a.entry, b.entry);
    assert.equal((await a.outbound.send(request)).kind, 'acknowledged');
    const ackId = crypto.randomUUID().toUpperCase();
    const ack = buildAck({
      messageId: ackId,
      creationTime: new Date(),
      senderAsid: b.entry.asid,
      receiverAsid: a.entry.asid,
      acknowledgedMessageId: request.messageId!,
      typeCode: 'AE',
      reasonCode: '06',
    });
    const outcome = await b.outbound.send({
      toPartyKey: a.entry.partyKey,
      interactionId: 'MCCI_IN010000UK13',
      conversationId: request.conversationId,
      messageId: ackId,
      payload: ack,
      reliability: request.reliability,
    });
    assert.equal(outcome.kind, 'acknowledged');
    await net.spine.log?.close(); // flush; later tests write nothing more
    const [header, ...rows] = readFileSync(net.spine.log!.file, 'utf8').trimEnd().split('\n');
    assert.equal(header, SPINE_LOG_COLUMNS.join(','));
    const guids = rows.map((r) => r.split(',')[2]);
    assert.equal(new Set(guids).size, guids.length, 'each GUID logged once');
    assert.equal(guids.length, deliveries.length, 'every delivered message (the ack included) logged');
    for (const row of rows) {
      const cols = row.split(',');
      assert.equal(cols.length, 10);
      assert.match(cols[0]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
      assert.match(cols[3]!, /^urn:nhs:names:services:gp2gp\/[A-Z]{4}_IN\d{6}UK\d{2}$/);
      assert.match(cols[4]!, /^\d{12}$/);
      assert.match(cols[5]!, /^\d{12}$/);
    }
    const reqRow = rows
      .find((r) => r.includes(request.messageId!) && r.includes('RCMR_IN010000UK05'))!
      .split(',');
    assert.deepEqual(reqRow.slice(1, 10), [
      request.conversationId,
      request.messageId,
      'urn:nhs:names:services:gp2gp/RCMR_IN010000UK05',
      a.entry.asid,
      b.entry.asid,
      'NotProvided',
      'NONE',
      b.entry.supplier,
      a.entry.supplier,
    ]);
    const ackRow = rows.find((r) => r.includes(ackId))!.split(',');
    assert.deepEqual(ackRow.slice(3, 8), [
      'urn:nhs:names:services:gp2gp/MCCI_IN010000UK13',
      b.entry.asid,
      a.entry.asid,
      request.messageId,
      '06',
    ]);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
