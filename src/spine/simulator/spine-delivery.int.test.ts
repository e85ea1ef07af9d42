import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ManualClock } from '../../common/clock.ts';
import { buildAck } from '../../hl7/index.ts';
import type { OutboundMessage, SendOutcome } from '../mhs/mhs-outbound.ts';
import { driveClock } from '../testing/clock-driver.ts';
import { ehrRequestMessage, tempDir } from '../testing/fixtures.ts';
import type { FaultKind, FaultPlan } from './fault-injector.ts';
import { type LocalNetwork, type LocalPractice, startLocalNetwork } from './local-network.ts';
import { samplePractices } from './sample-network.ts';
import { SPINE_LOG_COLUMNS } from './spine-message-log.ts';

/** Reliability in clock time, which costs nothing: enough retries that no seeded fault run exhausts them. */
const RELIABILITY = { persistDurationSeconds: 3600, retries: 20, retryIntervalSeconds: 1 } as const;

/** One network per test, on a clock the test drives; deliveries recorded per receiving practice. */
interface Scenario {
  readonly net: LocalNetwork;
  readonly clock: ManualClock;
  readonly deliveries: { ods: string; messageId: string }[];
  /** Makes the receiving application fail this many times before it takes messages again. */
  failNext: number;
  practice(ods: string): LocalPractice;
  message(from: string, to: string): OutboundMessage;
  /** Sends and drives the clock until the send ends. */
  send(from: string, message: OutboundMessage): Promise<SendOutcome>;
  /** How many times `messageId` reached `ods` (and, without `ods`, anyone). */
  delivered(messageId: string, ods?: string): number;
}

async function withScenario(faults: FaultPlan, run: (s: Scenario) => Promise<void>): Promise<void> {
  const tmp = tempDir();
  const clock = new ManualClock();
  const deliveries: { ods: string; messageId: string }[] = [];
  const scenario = { failNext: 0 } as Scenario;
  const net = await startLocalNetwork({
    dataDir: tmp.dir,
    practices: samplePractices(),
    clock,
    faults,
    onMessage: async (ods, d) => {
      if (scenario.failNext > 0) {
        scenario.failNext--;
        throw new Error('database busy');
      }
      deliveries.push({ ods, messageId: d.message.header.messageId });
    },
  });
  const practice = (ods: string) => {
    const p = net.practices.get(ods);
    assert.ok(p, `practice ${ods} is running`);
    return p;
  };
  Object.assign(scenario, {
    net,
    clock,
    deliveries,
    practice,
    message: (from: string, to: string) =>
      ehrRequestMessage(practice(from).entry, practice(to).entry, '9990000018', { reliability: RELIABILITY }),
    send: (from: string, message: OutboundMessage) =>
      driveClock(clock, net, practice(from).outbound.send(message)),
    delivered: (messageId: string, ods?: string) =>
      deliveries.filter((d) => d.messageId === messageId && (ods === undefined || d.ods === ods)).length,
  });
  try {
    await run(scenario);
  } finally {
    await net.stop();
    tmp.remove();
  }
}

describe('Spine simulator delivers each message exactly once despite faults', () => {
  const plan: FaultPlan = { seed: 7, delayMs: { min: 20, max: 120 }, reorderHoldMs: 300, dropHoldMs: 800 };

  for (const kind of [
    'drop',
    'duplicate',
    'delay',
    'reorder',
    'reset',
    'error5xx',
  ] as const satisfies readonly FaultKind[]) {
    test(`one ${kind} fault: acknowledged, delivered once to the addressee`, () =>
      withScenario(plan, async (s) => {
        s.net.spine.faults.inject(kind);
        const message = s.message('SIMA01', 'SIMB02');
        const outcome = await s.send('SIMA01', message);
        assert.equal(outcome.kind, 'acknowledged', JSON.stringify(outcome));
        if (kind === 'drop' || kind === 'reset' || kind === 'error5xx')
          assert.ok(outcome.attempts >= 2, 'the sender had to retry');
        await s.net.spine.router.whenIdle(); // a duplicate's second copy has landed (or been refused)
        assert.equal(s.net.spine.faults.stats()[kind], 1, `the ${kind} fault was injected`);
        assert.equal(s.delivered(message.messageId!, 'SIMB02'), 1);
        assert.equal(s.delivered(message.messageId!), 1, 'nobody else got it');
      }));
  }

  test('a reordered message is overtaken by the next one to the same practice', () =>
    withScenario(plan, async (s) => {
      s.net.spine.faults.inject('reorder');
      const first = s.message('SIMA01', 'SIMB02');
      const second = s.message('SIMA01', 'SIMB02');
      const a = s.practice('SIMA01').outbound;
      const p1 = a.send(first);
      await s.net.spine.router.activity.held.until((n) => n === 1); // the first is parked
      const p2 = a.send(second);
      // nothing moves the clock: only the second message can release the first
      const [o1, o2] = await Promise.all([p1, p2]);
      assert.equal(o1.kind, 'acknowledged');
      assert.equal(o2.kind, 'acknowledged');
      assert.deepEqual(
        s.deliveries.map((d) => d.messageId),
        [second.messageId, first.messageId],
        'second delivered before first',
      );
    }));

  test('a reordered message with no successor is released when its hold time has passed on the clock', () =>
    withScenario(plan, async (s) => {
      s.net.spine.faults.inject('reorder');
      const message = s.message('SIMA01', 'SIMB02');
      const sending = s.practice('SIMA01').outbound.send(message);
      await s.net.spine.router.activity.held.until((n) => n === 1);
      await s.clock.advance(299);
      assert.equal(s.net.spine.router.activity.held.count, 1, 'still held before reorderHoldMs');
      await s.clock.advance(1);
      assert.equal((await sending).kind, 'acknowledged');
      assert.equal(s.delivered(message.messageId!, 'SIMB02'), 1);
    }));

  test('an application that fails once gets the retry, and the message only once', () =>
    withScenario(plan, async (s) => {
      s.failNext = 1;
      const message = s.message('SIMA01', 'SIMC03');
      const outcome = await s.send('SIMA01', message);
      assert.equal(outcome.kind, 'acknowledged');
      assert.equal(outcome.attempts, 2);
      assert.equal(s.delivered(message.messageId!, 'SIMC03'), 1);
    }));

  test('random faults at 60% (seeded) over 40 messages in both directions: none lost, none doubled', () =>
    withScenario(
      {
        seed: 20240601,
        rates: { drop: 0.1, duplicate: 0.1, delay: 0.15, reorder: 0.05, reset: 0.1, error5xx: 0.1 },
        delayMs: { min: 10, max: 150 },
        reorderHoldMs: 200,
        dropHoldMs: 600,
      },
      async (s) => {
        const pairs = [
          ['SIMA01', 'SIMB02'],
          ['SIMB02', 'SIMA01'],
          ['SIMC03', 'SIMA01'],
          ['SIMA01', 'SIMC03'],
        ] as const;
        const sent = Array.from({ length: 40 }, (_, i) => {
          const [from, to] = pairs[i % pairs.length]!;
          return { from, to, message: s.message(from, to) };
        });
        const outcomes: SendOutcome[] = await driveClock(
          s.clock,
          s.net,
          Promise.all(sent.map((m) => s.practice(m.from).outbound.send(m.message))),
        );
        assert.deepEqual(
          outcomes.filter((o) => o.kind !== 'acknowledged'),
          [],
        );
        const faults = s.net.spine.faults.stats();
        assert.ok(
          faults.drop + faults.reset + faults.error5xx > 5,
          `faults were injected: ${JSON.stringify(faults)}`,
        );
        await s.net.spine.router.whenIdle(); // late duplicate copies have landed
        for (const m of sent) {
          assert.equal(s.delivered(m.message.messageId!, m.to), 1, `${m.message.messageId} to ${m.to}`);
          assert.equal(s.delivered(m.message.messageId!), 1);
        }
      },
    ));

  test('the Spine message log has one line per message, in the export format', () =>
    withScenario({ rates: { duplicate: 0.5, reset: 0.3 }, seed: 3 }, async (s) => {
      const a = s.practice('SIMA01');
      const b = s.practice('SIMB02');
      const request = s.message('SIMA01', 'SIMB02');
      assert.equal((await s.send('SIMA01', request)).kind, 'acknowledged');
      const ackId = crypto.randomUUID().toUpperCase();
      const ack = buildAck({
        messageId: ackId,
        creationTime: new Date(s.clock.now()),
        senderAsid: b.entry.asid,
        receiverAsid: a.entry.asid,
        acknowledgedMessageId: request.messageId!,
        typeCode: 'AE',
        reasonCode: '06',
      });
      const outcome = await s.send('SIMB02', {
        toPartyKey: a.entry.partyKey,
        interactionId: 'MCCI_IN010000UK13',
        conversationId: request.conversationId,
        messageId: ackId,
        payload: ack,
        reliability: RELIABILITY,
      });
      assert.equal(outcome.kind, 'acknowledged');
      await s.net.spine.router.whenIdle();
      await s.net.spine.log?.close(); // flush
      const [header, ...rows] = readFileSync(s.net.spine.log!.file, 'utf8').trimEnd().split('\n');
      assert.equal(header, SPINE_LOG_COLUMNS.join(','));
      assert.deepEqual(
        rows.map((r) => r.split(',')[2]),
        [request.messageId, ackId],
        'each message logged once, though duplicated or resent',
      );
      for (const row of rows) {
        const cols = row.split(',');
        assert.equal(cols.length, 10);
        assert.match(cols[0]!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
        assert.match(cols[3]!, /^urn:nhs:names:services:gp2gp\/[A-Z]{4}_IN\d{6}UK\d{2}$/);
        assert.match(cols[4]!, /^\d{12}$/);
        assert.match(cols[5]!, /^\d{12}$/);
      }
      assert.deepEqual(rows[0]!.split(','), [
        '2026-01-05T09:00:00.000+0000', // the clock's time, not the machine's
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
      assert.deepEqual(rows[1]!.split(',').slice(3, 8), [
        'urn:nhs:names:services:gp2gp/MCCI_IN010000UK13',
        b.entry.asid,
        a.entry.asid,
        request.messageId,
        '06',
      ]);
    }));
});
