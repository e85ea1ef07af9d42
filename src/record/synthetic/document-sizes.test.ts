import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ATTACHMENT_DISTRIBUTION, drawAttachmentSizes, sizesSummingTo } from './document-sizes.ts';
import { SeededRandom } from './random.ts';

const MB = 1_000_000;
const SEEDS = 2_000;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.floor(p * sorted.length)] ?? Number.NaN;
}

// Tolerances: over 2,000 records the sample median of a lognormal with σ ≈ 0.8 (count) or ≈ 1.3 (total) has a
// standard error of about 2.2% or 3.6%; the bounds below are about three standard errors. The mean of so
// heavy a tail wanders more, hence its wider bound.
test('over 2,000 seeds: median 47 attachments and 10 MB a record, mean 21.5 MB, a tail past 200 MB', () => {
  const counts: number[] = [];
  const totals: number[] = [];
  for (let seed = 1; seed <= SEEDS; seed++) {
    const { sizes } = drawAttachmentSizes(new SeededRandom(seed));
    counts.push(sizes.length);
    totals.push(sizes.reduce((sum, bytes) => sum + bytes, 0));
  }
  counts.sort((a, b) => a - b);
  totals.sort((a, b) => a - b);
  const medianCount = percentile(counts, 0.5);
  const medianTotal = percentile(totals, 0.5) / MB;
  const meanTotal = totals.reduce((sum, t) => sum + t, 0) / SEEDS / MB;
  assert.ok(Math.abs(medianCount - 47) <= 4, `median count ${medianCount}`);
  assert.ok(Math.abs(medianTotal - 10) <= 1.2, `median total ${medianTotal} MB`);
  assert.ok(Math.abs(meanTotal - 21.5) <= 5, `mean total ${meanTotal} MB`);
  assert.ok(totals.filter((t) => t > 200 * MB).length >= 5, 'some records over 200 MB');
  assert.ok(percentile(counts, 0.99) > 200, `99th percentile count ${percentile(counts, 0.99)}`);
  assert.ok((totals.at(-1) ?? 0) <= ATTACHMENT_DISTRIBUTION.maxRecordBytes);
  assert.ok((counts.at(-1) ?? 0) <= ATTACHMENT_DISTRIBUTION.countMax);
});

test('every drawn attachment is whole bytes within the bounds', () => {
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const { sizes } = drawAttachmentSizes(new SeededRandom(seed));
      assert.ok(sizes.length >= 1 && sizes.length <= ATTACHMENT_DISTRIBUTION.countMax);
      for (const bytes of sizes) {
        assert.ok(Number.isInteger(bytes));
        assert.ok(bytes >= 1 && bytes <= ATTACHMENT_DISTRIBUTION.maxBytes);
      }
    }),
    { numRuns: 200 },
  );
});

test('sizes summing to a total add up to exactly that total', () => {
  fc.assert(
    fc.property(
      fc.integer(),
      fc.integer({ min: 0, max: 500 }),
      fc.integer({ min: 0, max: 2e9 }),
      (seed, count, total) => {
        const sizes = sizesSummingTo(new SeededRandom(seed), count, count === 0 ? 0 : total);
        assert.equal(sizes.length, count);
        assert.equal(
          sizes.reduce((sum, bytes) => sum + bytes, 0),
          count === 0 ? 0 : total,
        );
        assert.ok(sizes.every((bytes) => Number.isInteger(bytes) && bytes >= 0));
      },
    ),
  );
});
