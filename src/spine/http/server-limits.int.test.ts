import assert from 'node:assert/strict';
import { type Socket, connect as tcpConnect } from 'node:net';
import { describe, test } from 'node:test';
import { connect as tlsConnect } from 'node:tls';
import { buildOutboundMessage } from '../mhs/mhs-outbound.ts';
import type { AttemptOutcome } from '../mhs/transport-signals.ts';
import {
  type LocalNetwork,
  type LocalNetworkOptions,
  startLocalNetwork,
} from '../simulator/local-network.ts';
import { samplePractices } from '../simulator/sample-network.ts';
import { ehrRequestMessage, tempDir } from '../testing/fixtures.ts';
import { mutualTlsClientOptions, SPINE_PEER_NAME, type TlsIdentity } from '../tls/tls-identity.ts';
import { ByteBudget, type ServerLimits } from './server-limits.ts';

/**
 * The hub and the practice endpoints bound connections, handshakes, slow requests and the memory held by bodies.
 * Limits are small here; the tests wait for the server to close a socket (an event), never for a duration.
 */

async function withNetwork(
  options: Partial<LocalNetworkOptions>,
  run: (net: LocalNetwork) => Promise<void>,
): Promise<void> {
  const tmp = tempDir();
  const net = await startLocalNetwork({ dataDir: tmp.dir, practices: samplePractices(), ...options });
  try {
    await run(net);
  } finally {
    await net.stop();
    tmp.remove();
  }
}

/** The two servers under test: Spine's hub and a practice's inbound endpoint, with who may talk to each. */
const servers = [
  {
    name: 'the Spine hub',
    options: (limits: ServerLimits): Partial<LocalNetworkOptions> => ({ limits }),
    url: (net: LocalNetwork) => new URL(net.spine.urls.mhs),
    client: (net: LocalNetwork) => net.spine.identityFor('SIMA01'),
  },
  {
    name: 'a practice endpoint',
    options: (limits: ServerLimits): Partial<LocalNetworkOptions> => ({ endpointLimits: limits }),
    url: (net: LocalNetwork) => new URL(net.practices.get('SIMB02')?.inbound.url ?? ''),
    client: (net: LocalNetwork) => net.spine.identityFor(SPINE_PEER_NAME),
  },
] as const;

function closed(socket: Socket): Promise<string> {
  let received = '';
  socket.on('data', (c: Buffer) => {
    received += c.toString('latin1');
  });
  socket.on('error', () => undefined);
  return new Promise((resolve) => socket.once('close', () => resolve(received)));
}

function tcp(url: URL): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(Number(url.port), url.hostname, () => resolve(socket));
    socket.once('error', reject);
  });
}

function tlsSocket(url: URL, identity: TlsIdentity | undefined): Promise<Socket> {
  assert.ok(identity);
  return new Promise((resolve, reject) => {
    const socket = tlsConnect(
      { host: url.hostname, port: Number(url.port), ...mutualTlsClientOptions(identity) },
      () => resolve(socket),
    );
    socket.once('error', reject);
  });
}

/** One attempt from SIMA01 to SIMB02 through the hub. */
function attempt(net: LocalNetwork): Promise<AttemptOutcome> {
  const a = net.practices.get('SIMA01');
  const b = net.practices.get('SIMB02');
  assert.ok(a && b);
  const message = ehrRequestMessage(a.entry, b.entry);
  const messageId = message.messageId ?? '';
  const built = buildOutboundMessage(a.entry.partyKey, { ...message, messageId, timestamp: new Date() });
  return a.outbound.attempt(messageId, built);
}

for (const server of servers) {
  // the timeout is a safety net only: a limit that does not work would leave a socket open for ever
  describe(`${server.name} under limits`, { timeout: 120_000 }, () => {
    test('connections past the cap are closed as they come; silent ones at the handshake timeout', () =>
      withNetwork(server.options({ maxConnections: 2, handshakeTimeoutMs: 500 }), async (net) => {
        const url = server.url(net);
        const silent = [await tcp(url), await tcp(url)].map(closed); // TCP only, never a TLS byte
        const third = await tcp(url);
        assert.equal(await closed(third), '', 'the third connection is closed unanswered');
        assert.deepEqual(
          await Promise.all(silent),
          ['', ''],
          'the silent ones are closed by the handshake timeout',
        );
        // room again: a real client gets through (retried in case a busy machine's handshake outlasts 500 ms)
        let outcome: AttemptOutcome = { kind: 'transient', reason: 'not tried' };
        for (let i = 0; i < 5 && outcome.kind !== 'acknowledged'; i++) outcome = await attempt(net);
        assert.deepEqual(outcome, { kind: 'acknowledged' });
      }));

    test('a body that stops arriving is cut, and headers that never end are answered 408 and cut', () =>
      withNetwork(server.options({ bodyIdleTimeoutMs: 300, headersTimeoutMs: 300 }), async (net) => {
        const url = server.url(net);
        const drip = await tlsSocket(url, server.client(net));
        const dripClosed = closed(drip);
        drip.write(
          `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n0123456789`,
        );
        assert.equal(await dripClosed, '', 'cut without an answer');
        const slowHeaders = await tlsSocket(url, server.client(net));
        const headersClosed = closed(slowHeaders);
        slowHeaders.write(`POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\n`);
        assert.match(await headersClosed, /^HTTP\/1\.1 408/);
      }));

    test('a whole request that takes too long is cut, however steadily it drips', () =>
      withNetwork(server.options({ requestTimeoutMs: 400, headersTimeoutMs: 400 }), async (net) => {
        const url = server.url(net);
        const drip = await tlsSocket(url, server.client(net));
        const dripClosed = closed(drip);
        drip.write(`POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: 100000\r\n\r\n`);
        // one byte each turn of the event loop: never idle, never done
        const timer = setInterval(() => drip.writable && drip.write('x'), 5);
        try {
          await dripClosed;
        } finally {
          clearInterval(timer);
        }
      }));

    test('bodies past the shared memory budget are refused with a transient DeliveryFailure', async () => {
      const budget = new ByteBudget(1024 * 1024);
      await withNetwork(server.options({ bodyBudget: budget }), async (net) => {
        const others = budget.lease(); // bodies already in flight, holding all but a few KB
        assert.ok(others.take(budget.limit - 2048));
        const refused = await attempt(net);
        assert.equal(refused.kind, 'transient');
        if (refused.kind === 'transient') assert.match(refused.reason, /DeliveryFailure: too many messages/);
        others.release();
        assert.deepEqual(await attempt(net), { kind: 'acknowledged' });
      });
      assert.equal(budget.inUse, 0, 'every body gave its bytes back');
    });
  });
}
