/**
 * A writer that dies midway, for the crash test: run as a child process with `URL CHUNK_BYTES CHUNKS`, it opens
 * the database store on that PostgreSQL, writes CHUNKS chunks of a document, prints "midway" once they are stored
 * and waits to be killed.
 */
import { randomBytes } from 'node:crypto';
import { DatabaseDocumentStore } from '../database-document-store.ts';
import { PostgresConnection } from '../postgres-connection.ts';

const [url, chunkBytes, chunks] = [process.argv[2] ?? '', Number(process.argv[3]), Number(process.argv[4])];
const connection = await PostgresConnection.open(url, { poolSize: 1 });
const docs = await DatabaseDocumentStore.open(connection.db, { chunkBytes });
setInterval(() => undefined, 3600_000); // stay alive until killed
await docs.put(
  (async function* () {
    for (let i = 0; i < chunks; i++) yield randomBytes(chunkBytes);
    // Asked for more: every chunk yielded so far is stored (the store writes a full chunk before pulling on).
    process.stdout.write('midway\n');
    await new Promise(() => undefined);
  })(),
);
