import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { and, count, eq } from 'drizzle-orm';
import { openStore, schema } from '../store/index.ts';
import { createTestDatabase, tempFolder } from '../store/testing/test-databases.ts';
import { NEW_PRACTICE, OLD_PRACTICE, runSimulation } from './simulate.ts';

const SMALL = { count: 2, bytes: 8 * 1024 };

test('a small simulation transfers and integrates every patient once, and the databases hold one record each', async () => {
  const tmp = await tempFolder('simulate-');
  try {
    const result = await runSimulation({ patients: 3, documents: SMALL, seed: 7, dataDir: tmp.path });
    const r = result.report;
    assert.deepEqual(
      {
        transfers: r.transfers,
        completed: r.completed,
        failed: r.failed,
        lost: r.lost,
        duplicated: r.duplicated,
      },
      { transfers: 3, completed: 3, failed: 0, lost: 0, duplicated: 0 },
      result.problems.join('\n'),
    );
    assert.equal(r.bytes, 3 * SMALL.count * SMALL.bytes);
    assert.equal(result.seededBytes, r.bytes);
    assert.ok(r.p50_ms !== null && r.p50_ms > 0 && r.p95_ms !== null && r.p95_ms >= r.p50_ms);
    assert.ok(r.peak_rss_mb > 0);

    // Looked at again from outside the run: one integrated record per patient at the new practice.
    const store = await openStore({ dataDir: join(tmp.path, 'practices'), database: { kind: 'pglite' } });
    try {
      const filed = await store.db
        .select({ nhs: schema.patientRecords.nhsNumber, source: schema.patientRecords.sourceTransferId })
        .from(schema.patientRecords)
        .where(eq(schema.patientRecords.practiceOds, NEW_PRACTICE));
      assert.equal(filed.length, 3);
      assert.equal(new Set(filed.map((f) => f.nhs)).size, 3);
      for (const f of filed) {
        const [integrations] = await store.db
          .select({ n: count() })
          .from(schema.transferEvents)
          .where(
            and(
              eq(schema.transferEvents.transferId, f.source!),
              eq(schema.transferEvents.toState, 'integrated'),
            ),
          );
        assert.equal(integrations?.n, 1, `${f.nhs} integrated once`);
      }
      const sent = await store.db
        .select({ state: schema.transfers.state })
        .from(schema.transfers)
        .where(and(eq(schema.transfers.practiceOds, OLD_PRACTICE), eq(schema.transfers.role, 'sending')));
      assert.deepEqual(
        sent.map((s) => s.state),
        ['completed', 'completed', 'completed'],
      );
    } finally {
      await store.close();
    }
  } finally {
    await tmp.remove();
  }
});

test('with 5% of Spine messages faulted every transfer still completes, none lost or duplicated', async () => {
  // The faults are drawn from a seeded RNG, one draw per message: with seed 3 the second message's draw falls
  // under the rate (and others after it), so faults are injected however the messages interleave.
  const result = await runSimulation({
    patients: 6,
    documents: SMALL,
    faultRate: 0.05,
    seed: 3,
    concurrency: 3,
  });
  const r = result.report;
  const injected = Object.values(result.faults).reduce((a, b) => a + b, 0);
  assert.ok(injected > 0, `faults injected: ${JSON.stringify(result.faults)}`);
  assert.deepEqual(
    { completed: r.completed, lost: r.lost, duplicated: r.duplicated },
    { completed: 6, lost: 0, duplicated: 0 },
    `${JSON.stringify(result.faults)}\n${result.problems.join('\n')}`,
  );
  assert.equal(r.bytes, 6 * SMALL.count * SMALL.bytes);
});

test('a database that already holds transfers is refused: lost and duplicated could not be counted', async () => {
  const tmp = await tempFolder('simulate-used-');
  try {
    await runSimulation({ patients: 1, documents: { count: 0, bytes: 0 }, dataDir: tmp.path });
    await assert.rejects(
      runSimulation({ patients: 1, documents: { count: 0, bytes: 0 }, dataDir: tmp.path }),
      /already holds 2 transfers/,
    );
  } finally {
    await tmp.remove();
  }
});

test('an aborted run registers no more patients and reports the rest as lost', async () => {
  const stop = new AbortController();
  const result = await runSimulation({
    patients: 3,
    documents: SMALL,
    concurrency: 1,
    signal: stop.signal,
    // After the first transfer has ended, before the next patient is taken.
    onProgress: (p) => (p.phase === 'transferring' && p.done === 1 ? stop.abort() : undefined),
  });
  const r = result.report;
  assert.deepEqual(
    {
      transfers: r.transfers,
      completed: r.completed,
      failed: r.failed,
      lost: r.lost,
      duplicated: r.duplicated,
    },
    { transfers: 3, completed: 1, failed: 2, lost: 2, duplicated: 0 },
  );
  assert.equal(r.bytes, SMALL.count * SMALL.bytes);
});

const pg = await createTestDatabase();

test('two engine processes sharing PostgreSQL transfer every patient once', {
  skip: pg.ok ? false : pg.skip,
}, async () => {
  if (!pg.ok) return;
  try {
    const result = await runSimulation({ patients: 4, documents: SMALL, databaseUrl: pg.url, engines: 2 });
    const r = result.report;
    assert.equal(result.engines, 2);
    assert.equal(result.database, 'postgres');
    assert.deepEqual(
      { completed: r.completed, lost: r.lost, duplicated: r.duplicated, bytes: r.bytes },
      { completed: 4, lost: 0, duplicated: 0, bytes: 4 * SMALL.count * SMALL.bytes },
      result.problems.join('\n'),
    );
    // The engines' memory is counted too: more than this process alone.
    assert.ok(r.peak_rss_mb * 1024 > process.resourceUsage().maxRSS, `${r.peak_rss_mb} MB`);
  } finally {
    await pg.drop();
  }
});

test('more than one engine without PostgreSQL is refused before anything starts', async () => {
  await assert.rejects(runSimulation({ patients: 1, engines: 2 }), /needs --database-url/);
});
