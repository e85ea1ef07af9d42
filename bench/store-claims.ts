/**
 * MHS duplicate-elimination claims per second (`DatabaseSeenMessageIds.claim`, one `INSERT … ON CONFLICT`):
 * sequential on PGlite, and sequential and concurrent (pool of 8) on PostgreSQL when one answers at
 * `DATABASE_URL` (or the local test server). Prints one JSON line.
 *
 *   node bench/store-claims.ts [--claims 1000]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openStore, type Store } from '../src/store/index.ts';
import { createTestDatabase, tempFolder } from '../src/store/testing/test-databases.ts';

const { values } = parseArgs({ options: { claims: { type: 'string', default: '1000' } } });
const claims = Number(values.claims);
const until = new Date(Date.now() + 3_600_000);

/** Claims per second, `claims` fresh ids, `parallel` at a time. */
async function rate(store: Store, parallel: number): Promise<number> {
  const run = randomUUID();
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < claims) await store.seenMessageIds.claim(`${run}-${next++}`, until);
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return Math.round((claims / (performance.now() - started)) * 1000);
}

const tmp = await tempFolder('bench-claims-');
const result: Record<string, number | string> = { claims };
try {
  const embedded = await openStore({ dataDir: tmp.path, database: { kind: 'pglite' } });
  try {
    await rate(embedded, 1); // warm-up: first statements prepare plans
    result.pglite_sequential_per_s = await rate(embedded, 1);
  } finally {
    await embedded.close();
  }
  const pgdb = await createTestDatabase();
  if (pgdb.ok) {
    const server = await openStore({
      dataDir: tmp.path,
      database: { kind: 'postgres', url: pgdb.url, poolSize: 8 },
    });
    try {
      await rate(server, 8);
      result.postgres_sequential_per_s = await rate(server, 1);
      result.postgres_pool8_per_s = await rate(server, 8);
    } finally {
      await server.close();
      await pgdb.drop();
    }
  } else {
    result.postgres = pgdb.skip;
  }
} finally {
  await tmp.remove();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
