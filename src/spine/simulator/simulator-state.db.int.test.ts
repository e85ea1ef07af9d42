import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openStore, type Store } from '../../store/index.ts';
import { createTestDatabase, pgliteStoreForSuite, tempFolder } from '../../store/testing/test-databases.ts';
import { DatabaseSimulatorState } from './database-simulator-state.ts';
import { InMemorySimulatorState, type SimulatorState } from './simulator-state.ts';

/**
 * One set of cases for every {@link SimulatorState}: in memory, in the store on PGlite, and on PostgreSQL (skipped
 * with a message where none answers). Each case uses keys of its own, so the database ones share a store.
 */
function cases(make: () => SimulatorState): void {
  const at = new Date('2026-01-05T09:00:00Z');
  const key = (): string => randomUUID().slice(0, 8).toUpperCase();

  test('an endpoint saved is read back; a later one replaces it', async () => {
    const state = make();
    const ods = `E${key()}`;
    await state.saveEndpoint(ods, 'https://127.0.0.1:9001/mhs', at);
    await state.saveEndpoint(ods, 'https://127.0.0.1:9002/mhs', at);
    assert.equal((await state.endpoints()).get(ods), 'https://127.0.0.1:9002/mhs');
  });

  test('a registration history is saved only over an older version', async () => {
    const state = make();
    const nhs = `R${key()}`;
    const v2 = [
      { ods: 'SIMA01', start: '2015-06-01', end: '2026-01-05' },
      { ods: 'SIMB02', start: '2026-01-05' },
    ];
    assert.equal(await state.saveRegistrations(nhs, 2, v2, at), true);
    const rival = [v2[0]!, { ods: 'SIMC03', start: '2026-01-05' }];
    assert.equal(await state.saveRegistrations(nhs, 2, rival, at), false, 'the same version again loses');
    assert.deepEqual((await state.registrations()).get(nhs), v2);
    const v3 = [...v2.slice(0, 1), { ...v2[1]!, end: '2026-02-01' }, { ods: 'SIMC03', start: '2026-02-01' }];
    assert.equal(await state.saveRegistrations(nhs, 3, v3, at), true);
    assert.deepEqual((await state.registrations()).get(nhs), v3);
  });

  test('a MessageId is claimed for the log once, whatever its case', async () => {
    const state = make();
    const id = randomUUID();
    assert.equal(await state.claimLogged(id.toLowerCase(), at), true);
    assert.equal(await state.claimLogged(id.toUpperCase(), at), false);
    const both = await Promise.all([state.claimLogged(`${id}-2`, at), state.claimLogged(`${id}-2`, at)]);
    assert.deepEqual([...both].sort(), [false, true], 'two copies at once: one is logged');
  });
}

describe('simulator state: in memory', () => {
  const state = new InMemorySimulatorState();
  cases(() => state);
});

describe('simulator state: store on PGlite', () => {
  const pglite = pgliteStoreForSuite('sim-state-');
  cases(() => new DatabaseSimulatorState(pglite.store.db));
});

const pgdb = await createTestDatabase();
describe('simulator state: store on PostgreSQL', { skip: pgdb.ok ? false : pgdb.skip }, () => {
  let tmp: Awaited<ReturnType<typeof tempFolder>>;
  let store: Store;
  before(async () => {
    if (!pgdb.ok) return;
    tmp = await tempFolder('sim-state-pg-');
    store = await openStore({ dataDir: tmp.path, database: { kind: 'postgres', url: pgdb.url } });
  });
  after(async () => {
    await store?.close();
    if (pgdb.ok) await pgdb.drop();
    await tmp?.remove();
  });
  cases(() => new DatabaseSimulatorState(store.db));
});
