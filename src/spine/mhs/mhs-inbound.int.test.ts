import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, test } from 'node:test';
import { ManualClock } from '../../common/clock.ts';
import type { SeenMessageIds } from '../../common/seen-message-ids.ts';
import { DatabaseSeenMessageIds } from '../../store/index.ts';
import { pgliteStoreForSuite } from '../../store/testing/test-databases.ts';
import { httpExchange } from '../http/http-io.ts';
import { SdsDirectory } from '../sds/sds-directory.ts';
import { samplePractice } from '../simulator/sample-network.ts';
import { ehrRequestMessage } from '../testing/fixtures.ts';
import { InMemorySeenMessageIds } from './in-memory-seen-message-ids.ts';
import { MhsInboundEndpoint } from './mhs-inbound.ts';
import { buildOutboundMessage } from './mhs-outbound.ts';
import { readTransportReply } from './transport-signals.ts';

const sender = samplePractice('SIMA01', 1);
const receiver = samplePractice('SIMB02', 2);
const directory = new SdsDirectory([sender, receiver]);

/** Posts one copy of a built message to an endpoint and reads the transport reply. */
async function post(
  url: string,
  agent: Agent,
  messageId: string,
  built: { contentType: string; body: Buffer },
) {
  const out = await httpExchange({
    url: new URL(url),
    method: 'POST',
    headers: { 'content-type': built.contentType },
    body: built.body,
    agent,
    timeoutMs: 60_000,
  });
  assert.ok(out.ok, 'the endpoint answered');
  return readTransportReply(out.response.status, out.response.body, messageId);
}

/** Delivered once, duplicates acknowledged, and (for a shared memory) still so after the endpoint restarts. */
function endpointCases(seenFor: () => SeenMessageIds): void {
  test('a copy is delivered once and a resent copy is acknowledged without delivery, across a restart', async () => {
    const seen = seenFor();
    const agent = new Agent({ keepAlive: true });
    const delivered: string[] = [];
    const start = () =>
      MhsInboundEndpoint.start({
        party: { ods: receiver.ods, partyKey: receiver.partyKey, asid: receiver.asid },
        identity: undefined,
        directory,
        seen,
        onMessage: async (d) => void delivered.push(d.message.header.messageId),
      });
    const message = ehrRequestMessage(sender, receiver);
    const messageId = message.messageId ?? '';
    const built = buildOutboundMessage(sender.partyKey, { ...message, messageId, timestamp: new Date() });
    let endpoint = await start();
    try {
      assert.deepEqual(await post(endpoint.url, agent, messageId, built), { kind: 'acknowledged' });
      assert.deepEqual(await post(endpoint.url, agent, messageId, built), { kind: 'acknowledged' });
      await endpoint.close();
      endpoint = await start(); // a new process of the same practice, with the same memory
      assert.deepEqual(await post(endpoint.url, agent, messageId, built), { kind: 'acknowledged' });
      assert.deepEqual(delivered, [messageId]);
      assert.equal(endpoint.stats.duplicates, 1);
    } finally {
      await endpoint.close();
      agent.destroy();
    }
  });
}

test('the endpoint remembers a MessageId for rememberMs of its clock, then takes a copy as new', async () => {
  const clock = new ManualClock();
  const agent = new Agent({ keepAlive: true });
  const delivered: string[] = [];
  const endpoint = await MhsInboundEndpoint.start({
    party: { ods: receiver.ods, partyKey: receiver.partyKey, asid: receiver.asid },
    identity: undefined,
    directory,
    seen: new InMemorySeenMessageIds({ clock }),
    clock,
    rememberMs: 60_000,
    onMessage: async (d) => void delivered.push(d.receivedAt.toISOString()),
  });
  try {
    const message = ehrRequestMessage(sender, receiver);
    const messageId = message.messageId ?? '';
    const built = buildOutboundMessage(sender.partyKey, { ...message, messageId, timestamp: new Date() });
    await post(endpoint.url, agent, messageId, built);
    await clock.advance(59_999);
    await post(endpoint.url, agent, messageId, built);
    assert.equal(delivered.length, 1, 'a duplicate within rememberMs');
    await clock.advance(1);
    await post(endpoint.url, agent, messageId, built);
    assert.deepEqual(delivered, ['2026-01-05T09:00:00.000Z', '2026-01-05T09:01:00.000Z']);
  } finally {
    await endpoint.close();
    agent.destroy();
  }
});

describe('inbound endpoint with the in-memory seen ids', () => {
  const seen = new InMemorySeenMessageIds();
  endpointCases(() => seen);
});

describe('inbound endpoint with the database seen ids (PGlite)', () => {
  const pglite = pgliteStoreForSuite('inbound-seen-');
  endpointCases(() => new DatabaseSeenMessageIds(pglite.store.db));
});
