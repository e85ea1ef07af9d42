import assert from 'node:assert/strict';
import { Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../common/clock.ts';
import { DevPki } from '../certs/dev-pki.ts';
import { spineAgent } from '../http/agents.ts';
import { httpExchange } from '../http/http-io.ts';
import { buildOutboundMessage, MhsOutboundClient } from '../mhs/mhs-outbound.ts';
import { readTransportReply } from '../mhs/transport-signals.ts';
import type { PracticeDirectoryEntry } from '../sds/sds-types.ts';
import { driveClock } from '../testing/clock-driver.ts';
import { ehrRequestMessage, tempDir } from '../testing/fixtures.ts';
import { SPINE_PEER_NAME } from '../tls/tls-identity.ts';
import { type LocalNetwork, startLocalNetwork } from './local-network.ts';
import { samplePractice, samplePractices } from './sample-network.ts';

describe('Spine simulator refuses what Spine refuses', () => {
  const tmp = tempDir();
  let net: LocalNetwork;
  let delivered = 0;
  const clock = new ManualClock();

  before(async () => {
    // SIMD05 is in SDS but not live, so no adaptor runs for it and it has no endpoint
    const practices = [
      ...samplePractices(),
      samplePractice('SIMD05', 5, { gp2gpLive: false }),
      samplePractice('SIMF06', 6, { gp2gpLive: false }),
    ];
    net = await startLocalNetwork({
      dataDir: tmp.dir,
      practices,
      clock,
      onMessage: async () => void delivered++,
    });
  });

  after(async () => {
    await net.stop();
    tmp.remove();
  });

  const a = () => net.practices.get('SIMA01')!;
  const b = () => net.practices.get('SIMB02')!;
  const c = () => net.practices.get('SIMC03')!;

  test('a client without a certificate cannot connect', async () => {
    const agent = new HttpsAgent({ ca: net.spine.pki!.caCertPem });
    for (const url of [
      net.spine.urls.mhs,
      `${net.spine.urls.pds}/Patient/9990000018`,
      `${net.spine.urls.sds}/practices`,
    ]) {
      const out = await httpExchange({ url: new URL(url), method: 'GET', agent, timeoutMs: 60_000 });
      assert.equal(out.ok, false, `${url} answered without a client certificate`);
      if (!out.ok) assert.equal(out.failure.kind, 'network', 'refused in the handshake, not timed out');
    }
    agent.destroy();
  });

  test('a client with a certificate from another CA cannot connect', async () => {
    const rogue = DevPki.open({ dir: join(tmp.dir, 'rogue-ca') }).identity('SIMA01');
    const agent = spineAgent({ ...rogue, caPem: net.spine.pki!.caCertPem });
    const out = await httpExchange({
      url: new URL(`${net.spine.urls.sds}/practices`),
      method: 'GET',
      agent,
      timeoutMs: 60_000,
    });
    assert.equal(out.ok, false);
    if (!out.ok) assert.equal(out.failure.kind, 'network', 'refused in the handshake, not timed out');
    agent.destroy();
  });

  test('a message whose ConversationId is not a UUID is refused (Inconsistent) and never logged', async () => {
    const logged = net.spine.log?.count ?? 0;
    const outcome = await a().outbound.send({
      ...ehrRequestMessage(a().entry, b().entry),
      conversationId: '=1+2',
    });
    assert.equal(outcome.kind, 'rejected');
    if (outcome.kind === 'rejected') {
      assert.equal(outcome.faults[0]?.errorCode, 'Inconsistent');
      assert.match(outcome.faults[0]?.description ?? '', /ConversationId/);
    }
    assert.equal(net.spine.log?.count ?? 0, logged);
  });

  test('an unknown To party gets an ebXML error at once (no retries)', async () => {
    const msg = ehrRequestMessage(a().entry, b().entry, '9990000018', { toPartyKey: 'ZZZ999-123456' });
    const outcome = await a().outbound.send(msg);
    assert.equal(outcome.kind, 'rejected');
    assert.equal(outcome.attempts, 1);
    if (outcome.kind === 'rejected') {
      assert.equal(outcome.faults[0]?.errorCode, 'ValueNotRecognized');
      assert.match(outcome.faults[0]?.description ?? '', /ZZZ999-123456/);
    }
  });

  test('a practice cannot send as another practice', async () => {
    const impostor = new MhsOutboundClient({
      spineUrl: net.spine.urls.mhs,
      agent: a().agent,
      fromPartyKey: c().entry.partyKey,
    });
    const outcome = await impostor.send(ehrRequestMessage(c().entry, b().entry));
    assert.equal(outcome.kind, 'rejected');
    if (outcome.kind === 'rejected') assert.equal(outcome.faults[0]?.errorCode, 'SecurityFailure');
  });

  test('a message whose HL7 receiver ASID is another practice is refused by the receiver', async () => {
    const before = delivered;
    const msg = ehrRequestMessage(a().entry, c().entry, '9990000018', { toPartyKey: b().entry.partyKey });
    const outcome = await a().outbound.send(msg);
    assert.equal(outcome.kind, 'rejected');
    if (outcome.kind === 'rejected') {
      assert.equal(outcome.faults[0]?.errorCode, 'ValueNotRecognized');
      assert.match(outcome.faults[0]?.description ?? '', /ASID/);
    }
    assert.equal(delivered, before);
  });

  /**
   * Posts a message from `fromPartyKey` straight to an endpoint (not through the hub) with `agent`'s certificate;
   * its HL7 payload says it comes from `hl7From` and is for `to`. Returns the refusal's first fault, if any.
   */
  async function postStraight(
    endpointUrl: string,
    agent: ReturnType<typeof spineAgent>,
    fromPartyKey: string,
    hl7From: PracticeDirectoryEntry,
    to: PracticeDirectoryEntry,
  ): Promise<{ status: number; errorCode: string | undefined }> {
    const message = ehrRequestMessage(hl7From, to);
    const messageId = message.messageId ?? '';
    const built = buildOutboundMessage(fromPartyKey, { ...message, messageId, timestamp: new Date() });
    const out = await httpExchange({
      url: new URL(endpointUrl),
      method: 'POST',
      headers: { 'content-type': built.contentType },
      body: built.body,
      agent,
      timeoutMs: 60_000,
    });
    assert.ok(out.ok, 'the endpoint answered');
    const reply = readTransportReply(out.response.status, out.response.body, messageId);
    return {
      status: out.response.status,
      errorCode: reply.kind === 'rejected' ? reply.faults[0]?.errorCode : undefined,
    };
  }

  const asSpine = async <T>(use: (agent: ReturnType<typeof spineAgent>) => Promise<T>): Promise<T> => {
    const agent = spineAgent(net.spine.identityFor(SPINE_PEER_NAME));
    try {
      return await use(agent);
    } finally {
      agent.destroy();
    }
  };

  test('a message for another practice posted to an endpoint is refused with an ebXML error', async () => {
    const r = await asSpine((agent) =>
      postStraight(b().inbound.url, agent, a().entry.partyKey, a().entry, c().entry),
    );
    assert.deepEqual(r, { status: 500, errorCode: 'ValueNotRecognized' });
  });

  test('a practice cannot post straight to another practice’s endpoint: only Spine may', async () => {
    const before = delivered;
    const r = await postStraight(b().inbound.url, a().agent, a().entry.partyKey, a().entry, b().entry);
    assert.deepEqual(r, { status: 500, errorCode: 'SecurityFailure' });
    assert.equal(delivered, before);
    const viaSpine = await asSpine((agent) =>
      postStraight(b().inbound.url, agent, a().entry.partyKey, a().entry, b().entry),
    );
    assert.deepEqual(viaSpine, { status: 200, errorCode: undefined }, 'the same message from Spine is taken');
    assert.equal(delivered, before + 1);
  });

  test('the hub refuses a message whose HL7 sender ASID is not the From party’s', async () => {
    const before = delivered;
    const outcome = await a().outbound.send(ehrRequestMessage(c().entry, b().entry)); // From A, HL7 from C
    assert.equal(outcome.kind, 'rejected');
    assert.equal(outcome.attempts, 1);
    if (outcome.kind === 'rejected') {
      assert.equal(outcome.faults[0]?.errorCode, 'SecurityFailure');
      assert.match(outcome.faults[0]?.description ?? '', new RegExp(c().entry.asid));
    }
    assert.equal(delivered, before);
  });

  test('an endpoint refuses a message whose HL7 sender is not the From party, even from Spine', async () => {
    const before = delivered;
    const r = await asSpine((agent) =>
      postStraight(b().inbound.url, agent, a().entry.partyKey, c().entry, b().entry),
    );
    assert.deepEqual(r, { status: 500, errorCode: 'SecurityFailure' });
    const unknown = await asSpine((agent) =>
      postStraight(b().inbound.url, agent, 'ZZZ999-123456', a().entry, b().entry),
    );
    assert.deepEqual(unknown, { status: 500, errorCode: 'ValueNotRecognized' });
    assert.equal(delivered, before);
  });

  test('the hub routes on the envelope alone: an attachment it cannot decode is the receiver’s to refuse', async () => {
    const before = delivered;
    const forwardedBefore = net.spine.router.stats.forwarded;
    const message = ehrRequestMessage(a().entry, b().entry);
    const messageId = message.messageId ?? '';
    const built = buildOutboundMessage(a().entry.partyKey, {
      ...message,
      messageId,
      timestamp: new Date(),
      attachments: [
        {
          contentId: 'doc@test',
          contentType: 'text/plain',
          body: Buffer.from('a document that will not survive the trip'),
          description: {
            filename: 'a.txt',
            contentType: 'text/plain',
            compressed: false,
            largeAttachment: false,
            originalBase64: false,
            length: 41,
          },
        },
      ],
    });
    const encoded = Buffer.from('a document').toString('base64').slice(0, 8);
    built.body.write('*!', built.body.indexOf(encoded), 'latin1');
    const out = await httpExchange({
      url: new URL(net.spine.urls.mhs),
      method: 'POST',
      headers: { 'content-type': built.contentType },
      body: built.body,
      agent: a().agent,
      timeoutMs: 60_000,
    });
    assert.ok(out.ok);
    if (!out.ok) return;
    const reply = readTransportReply(out.response.status, out.response.body, messageId);
    assert.equal(reply.kind, 'rejected');
    if (reply.kind === 'rejected') {
      assert.equal(reply.faults[0]?.errorCode, 'MimeProblem');
      assert.match(reply.faults[0]?.description ?? '', /not valid base64/);
    }
    assert.equal(net.spine.router.stats.forwarded, forwardedBefore + 1, 'passed on by the hub');
    assert.equal(delivered, before);
  });

  test('any failure routing a message is answered with an ebXML ErrorList (transient), never JSON', async () => {
    const f = net.spine.directory.odsSync('SIMF06')!;
    // endpoints set straight in the directory (as from a config file), past the registration checks
    for (const broken of ['http://127.0.0.1:9/reliablemessaging/forwardreliable', 'not a url']) {
      assert.ok(net.spine.directory.setEndpoint('SIMF06', broken));
      const message = ehrRequestMessage(a().entry, f);
      const messageId = message.messageId ?? '';
      const built = buildOutboundMessage(a().entry.partyKey, {
        ...message,
        messageId,
        timestamp: new Date(),
      });
      const out = await httpExchange({
        url: new URL(net.spine.urls.mhs),
        method: 'POST',
        headers: { 'content-type': built.contentType },
        body: built.body,
        agent: a().agent,
        timeoutMs: 60_000,
      });
      assert.ok(out.ok);
      if (!out.ok) continue;
      assert.equal(out.response.status, 503, broken);
      assert.match(String(out.response.headers['content-type']), /^text\/xml/);
      const reply = readTransportReply(out.response.status, out.response.body, messageId);
      assert.equal(reply.kind, 'transient', broken);
      if (reply.kind === 'transient') assert.match(reply.reason, /^DeliveryFailure/);
    }
  });

  test('a practice with no endpoint: transient DeliveryFailure, retried until the retries run out', async () => {
    const d = net.spine.directory.odsSync('SIMD05')!;
    const msg = ehrRequestMessage(a().entry, d, '9990000018', {
      reliability: { persistDurationSeconds: 600, retries: 3, retryIntervalSeconds: 10 },
    });
    const outcome = await driveClock(clock, net, a().outbound.send(msg));
    assert.equal(outcome.kind, 'expired');
    assert.equal(outcome.attempts, 4);
    if (outcome.kind === 'expired') assert.match(outcome.lastFailure, /DeliveryFailure/);
  });
});
