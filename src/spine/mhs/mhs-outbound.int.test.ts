import assert from 'node:assert/strict';
import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ManualClock } from '../../common/clock.ts';
import { buildAcknowledgment, buildErrorList, parseEbxmlMessage } from '../../ebxml/index.ts';
import { readBody } from '../http/http-io.ts';
import { samplePractice } from '../simulator/sample-network.ts';
import { ehrRequestMessage } from '../testing/fixtures.ts';
import { buildOutboundMessage, MhsOutboundClient } from './mhs-outbound.ts';

/** How the scripted receiver answers the next POST. */
type Answer = 'ack' | 'busy' | 'refuse' | 'cut' | 'hang';

const from = samplePractice('SIMA01', 1);
const to = samplePractice('SIMB02', 2);

describe('MHS outbound client: one attempt, and the reliable loop on a clock', () => {
  let server: Server;
  let url: string;
  let script: Answer[] = [];
  let posts: string[] = [];
  const agent = new Agent({ keepAlive: true });

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      void readBody(req, 1024 * 1024).then((read) => {
        if (!read.ok) return;
        const message = parseEbxmlMessage(read.body, String(req.headers['content-type']));
        posts.push(message.header.messageId);
        const answer = script.shift() ?? 'ack';
        if (answer === 'cut') return res.socket?.destroy();
        if (answer === 'hang') return; // never answers: only a timeout or an abort ends the attempt
        const body =
          answer === 'ack'
            ? buildAcknowledgment(message.header)
            : buildErrorList(message.header, [
                answer === 'busy'
                  ? { errorCode: 'DeliveryFailure', severity: 'Error', description: 'busy' }
                  : { errorCode: 'ValueNotRecognized', severity: 'Error', description: 'who?' },
              ]);
        res.writeHead(answer === 'ack' ? 200 : answer === 'busy' ? 503 : 500, { 'content-type': 'text/xml' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/reliablemessaging/forwardreliable`;
  });

  after(async () => {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    script = [];
    posts = [];
  });

  const client = (clock = new ManualClock()) =>
    new MhsOutboundClient({ spineUrl: url, agent, fromPartyKey: from.partyKey, clock, random: () => 0.5 });

  test('buildOutboundMessage: the same MessageId and timestamp give the same header and payload', () => {
    const message = ehrRequestMessage(from, to);
    const fixed = {
      ...message,
      messageId: 'F00D0000-0000-4000-8000-000000000001',
      timestamp: new Date(1e12),
    };
    const [first, second] = [
      buildOutboundMessage(from.partyKey, fixed),
      buildOutboundMessage(from.partyKey, fixed),
    ];
    const [a, b] = [first, second].map((m) => parseEbxmlMessage(m.body, m.contentType));
    assert.deepEqual(a?.header, b?.header);
    assert.equal(a?.payload, b?.payload);
    assert.equal(a?.header.messageId, fixed.messageId);
    assert.equal(a?.header.timestamp, '2001-09-09T01:46:40.000Z');
    assert.equal(a?.header.fromPartyId, from.partyKey);
    assert.equal(a?.header.duplicateElimination, true);
  });

  test('attempt posts once and reports acknowledged, rejected or transient, never retrying', async () => {
    const mhs = client();
    const message = ehrRequestMessage(from, to);
    const built = buildOutboundMessage(from.partyKey, {
      ...message,
      messageId: message.messageId!,
      timestamp: new Date(),
    });
    script = ['busy', 'refuse', 'cut', 'ack'];
    const busy = await mhs.attempt(message.messageId!, built);
    assert.deepEqual(busy, { kind: 'transient', reason: 'DeliveryFailure: busy' });
    const refused = await mhs.attempt(message.messageId!, built);
    assert.equal(refused.kind, 'rejected');
    if (refused.kind === 'rejected') assert.equal(refused.faults[0]?.errorCode, 'ValueNotRecognized');
    assert.equal((await mhs.attempt(message.messageId!, built)).kind, 'transient');
    assert.deepEqual(await mhs.attempt(message.messageId!, built), { kind: 'acknowledged' });
    assert.deepEqual(posts, Array(4).fill(message.messageId), 'one POST per attempt, same MessageId');
  });

  test('an aborted attempt ends at once as transient "cancelled"', async () => {
    const message = ehrRequestMessage(from, to);
    const built = buildOutboundMessage(from.partyKey, {
      ...message,
      messageId: message.messageId!,
      timestamp: new Date(),
    });
    script = ['hang'];
    const stop = new AbortController();
    const pending = client().attempt(message.messageId!, built, { signal: stop.signal, timeoutMs: 600_000 });
    stop.abort();
    assert.deepEqual(await pending, { kind: 'transient', reason: 'cancelled' });
  });

  test('send retries on the clock: nothing is re-sent until the backoff has passed on that clock', async () => {
    const clock = new ManualClock();
    const retried: number[] = [];
    let onRetry: () => void = () => undefined;
    const mhs = new MhsOutboundClient({
      spineUrl: url,
      agent,
      fromPartyKey: from.partyKey,
      clock,
      random: () => 0.5,
      onRetry: (info) => {
        retried.push(info.waitMs);
        onRetry();
      },
    });
    const waiting = () => new Promise<void>((resolve) => (onRetry = resolve));
    script = ['busy', 'busy', 'ack'];
    const message = ehrRequestMessage(from, to, '9990000018', {
      reliability: { persistDurationSeconds: 3600, retries: 5, retryIntervalSeconds: 60 },
    });
    const firstWait = waiting();
    const outcome = mhs.send(message);
    await firstWait;
    assert.equal(posts.length, 1);
    await clock.advance(59_999);
    assert.equal(posts.length, 1, 'no retry before the interval has passed');
    const secondWait = waiting();
    await clock.advance(1);
    await secondWait;
    assert.equal(posts.length, 2);
    await clock.advance(120_000); // the wait doubles
    assert.deepEqual(await outcome, { kind: 'acknowledged', messageId: message.messageId, attempts: 3 });
    assert.deepEqual(retried, [60_000, 120_000]);
    assert.equal(clock.now() - Date.parse('2026-01-05T09:00:00Z'), 180_000);
  });

  test('send gives up once no retry could start within the persist duration (clock time)', async () => {
    const clock = new ManualClock();
    const mhs = new MhsOutboundClient({
      spineUrl: url,
      agent,
      fromPartyKey: from.partyKey,
      clock,
      random: () => 0.5,
      // the wait begins right after this call: wake it as soon as it is registered
      onRetry: (info) => queueMicrotask(() => void clock.advance(info.waitMs)),
    });
    script = Array(10).fill('busy');
    const message = ehrRequestMessage(from, to, '9990000018', {
      reliability: { persistDurationSeconds: 100, retries: 9, retryIntervalSeconds: 40 },
    });
    const outcome = await mhs.send(message);
    // attempts at 0 s and 40 s; the next would wait 80 s, past the 100 s persist duration
    assert.deepEqual(outcome, {
      kind: 'expired',
      messageId: message.messageId,
      attempts: 2,
      lastFailure: 'DeliveryFailure: busy',
    });
    assert.equal(posts.length, 2);
    assert.equal(clock.now() - Date.parse('2026-01-05T09:00:00Z'), 40_000);
  });

  test('send stops retrying when cancelled during a wait', async () => {
    const clock = new ManualClock();
    const stop = new AbortController();
    const mhs = new MhsOutboundClient({
      spineUrl: url,
      agent,
      fromPartyKey: from.partyKey,
      clock,
      onRetry: () => queueMicrotask(() => stop.abort()),
    });
    script = ['busy', 'ack'];
    const outcome = await mhs.send(ehrRequestMessage(from, to), stop.signal);
    assert.equal(outcome.kind, 'cancelled');
    assert.equal(outcome.attempts, 1);
    assert.equal(posts.length, 1);
    assert.equal(clock.pending, 0, 'the wait was given up');
  });
});
