import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { DevPki } from '../certs/dev-pki.ts';
import { tempDir } from '../testing/fixtures.ts';
import { mutualTlsClientOptions, mutualTlsServerOptions, peerCommonName } from './tls-identity.ts';

const tmp = tempDir();
after(() => tmp.remove());

/** Connects a client named `A99901` at `maxVersion`, reads the peer's name twice and counts certificate reads. */
async function readPeerTwice(
  maxVersion: 'TLSv1.2' | 'TLSv1.3',
): Promise<{ names: unknown[]; reads: number }> {
  const pki = DevPki.open({ dir: tmp.dir });
  const server = createServer(mutualTlsServerOptions(pki.identity('spine')));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const accepted = once(server, 'secureConnection');
    const client = connect({
      ...mutualTlsClientOptions(pki.identity('A99901')),
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      servername: 'localhost',
      maxVersion,
    });
    const [socket] = (await accepted) as [TLSSocket];
    let reads = 0;
    const read = socket.getPeerCertificate.bind(socket);
    socket.getPeerCertificate = ((detailed?: boolean) => {
      reads++;
      return read(detailed as true);
    }) as TLSSocket['getPeerCertificate'];
    const names = [peerCommonName(socket), peerCommonName(socket)];
    client.destroy();
    socket.destroy();
    return { names, reads };
  } finally {
    server.close();
  }
}

test('a TLS 1.3 connection has its peer certificate read once however many requests ask its name', async () => {
  const { names, reads } = await readPeerTwice('TLSv1.3');
  assert.deepEqual(names, ['A99901', 'A99901']);
  assert.equal(reads, 1);
});

test('a TLS 1.2 connection, which could renegotiate, has its peer certificate read on every ask', async () => {
  const { names, reads } = await readPeerTwice('TLSv1.2');
  assert.deepEqual(names, ['A99901', 'A99901']);
  assert.equal(reads, 2);
});

test('a plain socket has no peer name', () => {
  assert.equal(peerCommonName({}), undefined);
});
