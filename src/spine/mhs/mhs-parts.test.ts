import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../common/clock.ts';
import { buildAcknowledgment, buildErrorList, GP2GP_SERVICE, type MessageHeader } from '../../ebxml/index.ts';
import { InMemorySeenMessageIds } from './in-memory-seen-message-ids.ts';
import { backoffMs, retryBudget } from './retry-schedule.ts';
import { readTransportReply } from './transport-signals.ts';

const header: MessageHeader = {
  fromPartyId: 'SIMA01-900001',
  toPartyId: 'SIMB02-900002',
  cpaId: 'S-test',
  conversationId: 'C1',
  service: GP2GP_SERVICE,
  action: 'RCMR_IN010000UK05',
  messageId: 'A1B2C3D4-0000-4000-8000-000000000001',
  timestamp: '2025-01-01T00:00:00Z',
  duplicateElimination: true,
  ackRequested: true,
};

test('seen ids: claim, deliver, duplicate; release lets a retry through; abandoned claims expire', async () => {
  const clock = new ManualClock(1_000);
  const seen = new InMemorySeenMessageIds({ claimTimeoutMs: 100, clock });
  const until = new Date(10_000);
  assert.equal(await seen.claim('abc', until), 'new');
  assert.equal(await seen.claim('ABC', until), 'in-progress');
  await seen.release('abc');
  assert.equal(await seen.claim('abc', until), 'new');
  await seen.markDelivered('abc');
  assert.equal(await seen.claim('abc', until), 'delivered');
  assert.equal(await seen.claim('def', until), 'new');
  await clock.advance(200); // the holder of 'def' died
  assert.equal(await seen.claim('def', until), 'new');
  await clock.advanceTo(20_000); // past rememberUntil: forgotten
  assert.equal(await seen.claim('abc', new Date(30_000)), 'new');
});

test('seen ids: bounded', async () => {
  const seen = new InMemorySeenMessageIds({ maxEntries: 100 });
  for (let i = 0; i < 1000; i++) await seen.claim(`id-${i}`, new Date(Date.now() + 60_000));
  assert.ok(seen.size <= 101, `size ${seen.size}`);
});

test('backoff doubles from the SDS interval, with jitter, capped; budget from SDS settings', () => {
  const mid = () => 0.5;
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => backoffMs(n, 1000, 5000, mid)),
    [1000, 2000, 4000, 5000],
  );
  assert.equal(
    backoffMs(1, 1000, 60_000, () => 0),
    800,
  );
  assert.equal(
    backoffMs(1, 1000, 60_000, () => 0.999_999),
    1200,
  );
  assert.deepEqual(retryBudget({ persistDurationSeconds: 300, retries: 2, retryIntervalSeconds: 60 }, 1000), {
    maxAttempts: 3,
    deadline: 301_000,
    intervalMs: 60_000,
  });
});

test('transport replies: ack, refusal, transient', () => {
  const ack = Buffer.from(buildAcknowledgment(header));
  assert.equal(readTransportReply(200, ack, header.messageId).kind, 'acknowledged');
  assert.equal(
    readTransportReply(200, ack, 'OTHER').kind,
    'transient',
    'an ack of another message is not ours',
  );
  assert.equal(readTransportReply(202, Buffer.alloc(0), header.messageId).kind, 'acknowledged');
  const refused = buildErrorList(header, [
    { errorCode: 'ValueNotRecognized', severity: 'Error', description: 'unknown party' },
  ]);
  const r = readTransportReply(500, Buffer.from(refused), header.messageId);
  assert.equal(r.kind, 'rejected');
  const busy = buildErrorList(header, [{ errorCode: 'DeliveryFailure', severity: 'Error' }]);
  assert.equal(readTransportReply(503, Buffer.from(busy), header.messageId).kind, 'transient');
  assert.equal(
    readTransportReply(502, Buffer.from('<html>bad gateway</html>'), header.messageId).kind,
    'transient',
  );
  assert.equal(readTransportReply(404, Buffer.alloc(0), header.messageId).kind, 'rejected');
});
