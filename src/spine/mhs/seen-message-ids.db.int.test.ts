import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type Clock, ManualClock } from '../../common/clock.ts';
import type { SeenMessageIds } from '../../common/seen-message-ids.ts';
import { DatabaseSeenMessageIds, openStore, type Store } from '../../store/index.ts';
import { createTestDatabase, pgliteStoreForSuite, tempFolder } from '../../store/testing/test-databases.ts';
import { InMemorySeenMessageIds } from './in-memory-seen-message-ids.ts';

/**
 * One set of behavioural cases for every {@link SeenMessageIds}: the in-memory map, the table on PGlite and the
 * table on a real PostgreSQL (skipped with a message where none answers). Each case uses ids of its own, so
 * the database implementations share one store per backend.
 */
type Make = (options: { claimTimeoutMs?: number; clock?: Clock }) => SeenMessageIds;

function cases(make: Make): void {
  const id = (): string => `${randomUUID()}`;

  test('claim, in progress (any case), release lets a retry through, then delivered', async () => {
    const seen = make({});
    const m = id();
    const until = new Date(Date.now() + 60_000);
    assert.equal(await seen.claim(m, until), 'new');
    assert.equal(await seen.claim(m.toUpperCase(), until), 'in-progress');
    await seen.release(m);
    assert.equal(await seen.claim(m, until), 'new');
    await seen.markDelivered(m.toUpperCase());
    assert.equal(await seen.claim(m, until), 'delivered');
    await seen.release(m); // releasing a delivered id changes nothing
    assert.equal(await seen.claim(m, until), 'delivered');
  });

  test('a claim older than the timeout is taken over (its holder crashed)', async () => {
    const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
    const seen = make({ claimTimeoutMs: 100, clock });
    const m = id();
    const until = new Date(clock.now() + 60_000);
    assert.equal(await seen.claim(m, until), 'new');
    await clock.advance(99);
    assert.equal(await seen.claim(m, until), 'in-progress');
    await clock.advance(1);
    assert.equal(await seen.claim(m, until), 'new');
    await seen.markDelivered(m);
    await clock.advance(10_000); // a delivered id never goes stale before rememberUntil
    assert.equal(await seen.claim(m, until), 'delivered');
  });

  test('past rememberUntil an id is forgotten, delivered or not', async () => {
    const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
    const seen = make({ clock });
    const [a, b] = [id(), id()];
    assert.equal(await seen.claim(a, new Date(clock.now() + 1_000)), 'new');
    await seen.markDelivered(a);
    assert.equal(await seen.claim(b, new Date(clock.now() + 1_000)), 'new');
    await clock.advance(1_000);
    assert.equal(await seen.claim(a, new Date(clock.now() + 1_000)), 'new');
    assert.equal(await seen.claim(b, new Date(clock.now() + 1_000)), 'new');
  });

  test('marking or releasing an unknown id is harmless', async () => {
    const seen = make({});
    const m = id();
    await seen.markDelivered(m);
    await seen.release(m);
    assert.equal(await seen.claim(m, new Date(Date.now() + 60_000)), 'new');
  });

  test('two concurrent claims of one id: exactly one wins', async () => {
    const [first, second] = [make({}), make({})]; // two receivers (instances) sharing the memory
    const until = new Date(Date.now() + 60_000);
    for (let round = 0; round < 20; round++) {
      const m = id();
      const results = await Promise.all([first.claim(m, until), second.claim(m.toLowerCase(), until)]);
      assert.deepEqual([...results].sort(), ['in-progress', 'new'], `round ${round}: ${results.join(', ')}`);
    }
  });

  test('many concurrent claims over a few ids: one winner per id', async () => {
    const seen = make({});
    const ids = [id(), id(), id(), id()];
    const until = new Date(Date.now() + 60_000);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => seen.claim(ids[i % 4] ?? '', until)),
    );
    assert.equal(results.filter((r) => r === 'new').length, 4);
    assert.ok(results.every((r) => r === 'new' || r === 'in-progress'));
  });
}

describe('seen ids: in memory', () => {
  const shared = new Map<string, InMemorySeenMessageIds>();
  // Instances of one test must share one map, as database instances share one table: keep one per options.
  cases((options) => {
    const key = JSON.stringify({ t: options.claimTimeoutMs });
    if (options.clock) return new InMemorySeenMessageIds(options);
    const seen = shared.get(key) ?? new InMemorySeenMessageIds(options);
    shared.set(key, seen);
    return seen;
  });
});

describe('seen ids: database on PGlite', () => {
  const pglite = pgliteStoreForSuite('seen-');
  cases((options) => new DatabaseSeenMessageIds(pglite.store.db, options));
});

const pgdb = await createTestDatabase();
describe('seen ids: database on PostgreSQL', { skip: pgdb.ok ? false : pgdb.skip }, () => {
  let tmp: Awaited<ReturnType<typeof tempFolder>>;
  let instances: Store[] = [];
  before(async () => {
    if (!pgdb.ok) return;
    tmp = await tempFolder('seen-pg-');
    const open = (): Promise<Store> =>
      openStore({ dataDir: tmp.path, database: { kind: 'postgres', url: pgdb.url } });
    instances = await Promise.all([open(), open()]); // two adaptor instances on one database
  });
  after(async () => {
    await Promise.all(instances.map((s) => s.close()));
    if (pgdb.ok) await pgdb.drop();
    await tmp?.remove();
  });
  let turn = 0; // alternate instances, so concurrent claims really come from two pools
  cases((options) => new DatabaseSeenMessageIds(instances[turn++ % 2]!.db, options));
});
