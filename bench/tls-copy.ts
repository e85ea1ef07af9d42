import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DevPki, type TlsIdentity } from '../src/spine/index.ts';
import { mutualTlsClientOptions, mutualTlsServerOptions } from '../src/spine/tls/tls-identity.ts';

/** One piece to copy: something that opens its bytes as a stream. */
export type CopySource = () => Readable | Promise<Readable>;

/**
 * The transfer benchmarks' baseline: posts each source's bytes over mutual TLS to a loopback server that
 * discards them, `concurrency` at a time, and times it. What GP2GP adds on top of this is the figure to watch.
 *
 * @example
 * const { ms } = await copyOverMutualTls(files.map((f) => () => createReadStream(f)));
 */
export async function copyOverMutualTls(
  sources: readonly CopySource[],
  options: { server?: TlsIdentity; client?: TlsIdentity; concurrency?: number } = {},
): Promise<{ ms: number; bytes: number }> {
  const dir = options.server && options.client ? undefined : mkdtempSync(join(tmpdir(), 'gp2gp-copy-'));
  const pki = dir ? DevPki.open({ dir }) : undefined;
  const server = options.server ?? pki!.ephemeralIdentity('copy-server');
  const client = options.client ?? pki!.ephemeralIdentity('copy-client');
  let bytes = 0;
  const https = createServer(mutualTlsServerOptions(server), (req, res) => {
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    req.on('end', () => res.writeHead(200).end());
  });
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const port = (https.address() as AddressInfo).port;
  const started = performance.now();
  try {
    const queue = [...sources];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const body = await next();
        await new Promise<void>((resolve, reject) => {
          const req = request(
            {
              host: '127.0.0.1',
              port,
              method: 'POST',
              path: '/',
              ...mutualTlsClientOptions(client),
              servername: 'localhost',
              checkServerIdentity: () => undefined,
            },
            (res) => {
              res.resume();
              res.on('end', resolve);
            },
          );
          req.on('error', reject);
          body.on('error', reject);
          body.pipe(req);
        });
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 16 }, worker));
    return { ms: performance.now() - started, bytes };
  } finally {
    https.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}
