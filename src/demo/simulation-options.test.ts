import assert from 'node:assert/strict';
import { test } from 'node:test';
import { percentile } from './simulation-audit.ts';
import { concurrencyOf, simulationProblems } from './simulation-options.ts';

test('sensible options have no problems', () => {
  assert.deepEqual(simulationProblems({ patients: 200 }), []);
  assert.deepEqual(
    simulationProblems({
      patients: 2,
      documents: { count: 0, bytes: 0 },
      faultRate: 0.05,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/sim',
      engines: 2,
    }),
    [],
  );
});

test('each bad option is named in words fit for a command line', () => {
  assert.deepEqual(simulationProblems({ patients: 0 }), ['patients must be 1 to 100000']);
  assert.deepEqual(simulationProblems({ patients: 1.5 }), ['patients must be 1 to 100000']);
  assert.deepEqual(simulationProblems({ patients: 1, faultRate: -0.1 }), [
    'faults must be a rate from 0 to 1',
  ]);
  assert.deepEqual(simulationProblems({ patients: 1, concurrency: 0 }), ['concurrency must be 1 to 1000']);
  assert.deepEqual(simulationProblems({ patients: 1, documents: { count: 1_501, bytes: 1 } }), [
    'attachments must be 0 to 1500',
  ]);
});

test('more than one engine needs PostgreSQL: PGlite belongs to one process', () => {
  const problems = simulationProblems({ patients: 1, engines: 2 });
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /more than one engine needs --database-url/);
});

test('percentiles are nearest-rank, and there is none of nothing', () => {
  assert.equal(percentile([30, 10, 20], 0.5), 20);
  assert.equal(percentile([1, 2, 3, 4], 0.5), 2);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 0.95), 19);
  assert.equal(percentile([7], 0.95), 7);
  assert.equal(percentile([], 0.5), null);
});

test('a run keeps one transfer in flight per engine process unless told otherwise', () => {
  assert.equal(concurrencyOf({}), 1);
  assert.equal(concurrencyOf({ engines: 2 }), 2);
  assert.equal(concurrencyOf({ engines: 2, concurrency: 8 }), 8);
});
