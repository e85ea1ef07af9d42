import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import { redact } from '../postgres-connection.ts';
import { openStore, type Store } from '../store.ts';

/** The server integration tests use when `DATABASE_URL` is unset (this machine and CI run one there). */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** A database of its own for one test run, or why there is none (the tests then skip with that message). */
export type TestDatabase =
  | { readonly ok: true; readonly url: string; drop(): Promise<void> }
  | { readonly ok: false; readonly skip: string };

/**
 * Creates a fresh, uniquely named database on the test server (`DATABASE_URL`, else
 * {@link DEFAULT_TEST_DATABASE_URL}), so parallel and repeated runs never meet; `drop()` removes it.
 *
 * @example
 * const pgdb = await createTestDatabase();
 * test('on PostgreSQL', { skip: pgdb.ok ? false : pgdb.skip }, async () => { ... });
 * after(() => pgdb.ok && pgdb.drop());
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  const name = `gp2gp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2_000 });
  admin.on('error', () => undefined);
  try {
    await admin.connect();
  } catch (e) {
    return {
      ok: false,
      skip: `no PostgreSQL at ${redact(base)} (${(e as Error).message}): set DATABASE_URL to a server that answers to run these`,
    };
  }
  try {
    await admin.query(`create database "${name}"`);
  } catch (e) {
    await admin.end();
    return { ok: false, skip: `cannot create a test database on ${redact(base)}: ${(e as Error).message}` };
  }
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    ok: true,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`); // force: a leaked connection must not block
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * A temporary folder removed by the returned `remove()`.
 *
 * @example
 * const tmp = await tempFolder('store-'); ...; await tmp.remove();
 */
export async function tempFolder(
  prefix: string,
): Promise<{ readonly path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `gp2gp-${prefix}`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/**
 * A migrated PGlite store in a temporary folder for the calling test suite: opened before its tests, closed and
 * removed after them. Read `.store` inside the tests.
 *
 * @example
 * describe('on PGlite', () => { const pglite = pgliteStoreForSuite('seen-'); test('…', () => use(pglite.store)); });
 */
export function pgliteStoreForSuite(prefix: string): { readonly store: Store } {
  let tmp: Awaited<ReturnType<typeof tempFolder>> | undefined;
  let store: Store | undefined;
  // hooks, not awaits in the describe body: node:test runs hooks registered after an await at the wrong time
  before(async () => {
    tmp = await tempFolder(prefix);
    store = await openStore({ dataDir: tmp.path, database: { kind: 'pglite' } });
  });
  after(async () => {
    await store?.close();
    await tmp?.remove();
  });
  return {
    get store(): Store {
      if (!store) throw new Error('the suite store is opened in its before hook');
      return store;
    },
  };
}
