import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { validateXsd, xsdUnavailable } from '../common/testing/xsd.ts';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { randomRecord } from './testing/random-record.ts';
import { compareRoundTrip } from './testing/round-trip-compare.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { sequentialIds } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

/** Runs per property: modest so the suite stays fast; `ROUND_TRIP_RUNS=500` for a deeper local run. */
const RUNS = Number(process.env.ROUND_TRIP_RUNS ?? 40);
const noXsd = xsdUnavailable();

function toHl7(bundle: Parameters<typeof translateBundleToExtract>[0]) {
  return translateBundleToExtract(bundle, {
    addressing: TEST_ADDRESS,
    newId: sequentialIds(),
    clock: () => new Date('2025-06-01T12:00:00Z'),
  });
}

// What may differ, and why, is listed in src/record/testing/round-trip-compare.ts and docs/record-translation.md.
test('random synthetic records survive FHIR → HL7 → FHIR with their clinical content unchanged', () => {
  fc.assert(
    fc.property(randomRecord, (bundle) => {
      const back = translateExtractToBundle(toHl7(bundle).xml).bundle;
      const differences = compareRoundTrip(bundle, back);
      assert.deepEqual(differences, [], JSON.stringify(differences, null, 1));
    }),
    { numRuns: RUNS },
  );
});

test('the extracts made of random synthetic records are XSD-valid', { skip: noXsd ?? false }, () => {
  fc.assert(
    fc.property(randomRecord, (bundle) => {
      const { xml, interactionId } = toHl7(bundle);
      const result = validateXsd(xml, interactionId);
      assert.ok(result.valid, result.valid ? '' : result.errors);
    }),
    // Each run starts xmllint: fewer runs than the round trip.
    { numRuns: Math.ceil(RUNS / 4) },
  );
});
