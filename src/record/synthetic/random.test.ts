import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SeededRandom } from './random.ts';

const draws = (random: SeededRandom, n = 20) => Array.from({ length: n }, () => random.next());

test('the same seed gives the same draws; neighbouring seeds give different ones', () => {
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      assert.deepEqual(draws(new SeededRandom(seed)), draws(new SeededRandom(seed)));
      assert.notDeepEqual(draws(new SeededRandom(seed)), draws(new SeededRandom(seed + 1)));
    }),
  );
});

test('a fork is its own stream: deterministic by label, untouched by draws from the parent', () => {
  const parent = new SeededRandom(7);
  const before = draws(parent.fork('documents'));
  draws(parent, 100);
  assert.deepEqual(draws(parent.fork('documents')), before);
  assert.notDeepEqual(draws(parent.fork('clinical')), before);
});

test('integers stay within their bounds, both ends reachable', () => {
  fc.assert(
    fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.nat(20), (seed, min, span) => {
      const random = new SeededRandom(seed);
      const values = Array.from({ length: 200 }, () => random.int(min, min + span));
      assert.ok(values.every((v) => Number.isInteger(v) && v >= min && v <= min + span));
    }),
  );
  const random = new SeededRandom(1);
  const seen = new Set(Array.from({ length: 500 }, () => random.int(1, 6)));
  assert.deepEqual([...seen].sort(), [1, 2, 3, 4, 5, 6]);
});

test('UUIDs are upper-case version 4 and do not repeat', () => {
  const random = new SeededRandom(3);
  const ids = Array.from({ length: 5_000 }, () => random.uuid());
  for (const id of ids)
    assert.match(id, /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
});

test('lognormal draws have the median asked for; weighted picks follow their weights', () => {
  const random = new SeededRandom(11);
  const values = Array.from({ length: 20_000 }, () => random.lognormal(47, 0.8)).sort((a, b) => a - b);
  const median = values[values.length / 2] ?? 0;
  assert.ok(Math.abs(median / 47 - 1) < 0.05, `median ${median}`);
  const picks = Array.from({ length: 20_000 }, () =>
    random.weighted([
      ['a', 3],
      ['b', 1],
    ] as const),
  );
  const share = picks.filter((p) => p === 'a').length / picks.length;
  assert.ok(Math.abs(share - 0.75) < 0.02, `share ${share}`);
});

test('a seed that is not an integer is refused', () => {
  assert.throws(() => new SeededRandom(1.5), RangeError);
  assert.throws(() => new SeededRandom(Number.NaN), RangeError);
});
