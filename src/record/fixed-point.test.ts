import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Bundle } from 'fhir/r3.js';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { generateRecord } from './synthetic/generate-record.ts';
import { randomRecord } from './testing/random-record.ts';
import { compareRoundTrip } from './testing/round-trip-compare.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { sequentialIds, syntheticBundle } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

/*
 * A patient who moves A → B → C: the record goes FHIR → HL7 → FHIR at each move. Whatever a first move changes
 * (what GP2GP has no place for, listed in docs/record-translation.md), a second must change nothing: the record B
 * holds is a fixed point of the translation, so C gets what B had and, through B, what A had.
 */

/** Runs per property: modest so the suite stays fast; `ROUND_TRIP_RUNS=500` for a deeper local run. */
const RUNS = Number(process.env.ROUND_TRIP_RUNS ?? 40);

/** One move: the sending practice's record as an extract, read back by the receiving practice. */
function move(bundle: Bundle): Bundle {
  const { xml } = translateBundleToExtract(bundle, {
    addressing: TEST_ADDRESS,
    newId: sequentialIds(),
    clock: () => new Date('2026-01-02T12:00:00Z'),
  });
  return translateExtractToBundle(xml).bundle;
}

function assertTwoMovesKeepEverything(atA: Bundle): void {
  const atB = move(atA);
  const atC = move(atB);
  const second = compareRoundTrip(atB, atC, { fixedPoint: true });
  assert.deepEqual(second, [], `the second move changed: ${JSON.stringify(second, null, 1)}`);
  const overall = compareRoundTrip(atA, atC);
  assert.deepEqual(overall, [], `A → C lost or made up: ${JSON.stringify(overall, null, 1)}`);
}

test('random records are a fixed point after one move: a second move changes nothing', () => {
  fc.assert(fc.property(randomRecord, assertTwoMovesKeepEverything), { numRuns: RUNS });
});

test('generated practice records are a fixed point after one move, whatever the seed', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.constantFrom(0, 0.03, 1), (seed, legacyCodeRate) =>
      assertTwoMovesKeepEverything(
        generateRecord({ seed, practiceOds: 'X99001', profile: 'small', legacyCodeRate }).bundle,
      ),
    ),
    // A generated record holds years of entries: fewer runs than the random records.
    { numRuns: Math.ceil(RUNS / 4) },
  );
});

test('the hand-made record of every entry kind survives two moves', () => {
  assertTwoMovesKeepEverything(syntheticBundle());
});
