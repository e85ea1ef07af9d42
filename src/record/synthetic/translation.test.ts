import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, CodeableConcept, FhirResource } from 'fhir/r3.js';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { CODE_SYSTEMS, DEGRADED_TAG, isDegradeCode } from '../codes/index.ts';
import { translateExtractToBundle } from '../from-hl7/translate-extract.ts';
import { CLINICAL_TYPES, countByType } from '../testing/clinical-fingerprint.ts';
import { compareRoundTrip } from '../testing/round-trip-compare.ts';
import { translateBundleToExtract } from '../to-hl7/index.ts';
import { sequentialIds } from '../to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../to-hl7/testing/test-address.ts';
import { type GenerateRecordOptions, generateRecord } from './generate-record.ts';

const noXsd = xsdUnavailable();

function toExtract(bundle: Bundle) {
  return translateBundleToExtract(bundle, {
    addressing: TEST_ADDRESS,
    newId: sequentialIds(),
    clock: () => new Date('2026-01-02T12:00:00Z'),
  });
}

const record = (options: Partial<GenerateRecordOptions> & { seed: number }) =>
  generateRecord({ practiceOds: 'X99001', ...options }).bundle;

test('synthetic records make schema-valid EHR Extracts', { skip: noXsd ?? false }, () => {
  for (const bundle of [record({ seed: 1, profile: 'small' }), record({ seed: 2 })]) {
    const { xml, interactionId } = toExtract(bundle);
    const result = validateXsd(xml, interactionId);
    assert.ok(result.valid, result.valid ? '' : result.errors);
  }
});

// What may differ in a round trip, and why, is listed in src/record/testing/round-trip-compare.ts.
test('synthetic records come back from their extract with every clinical entry, unchanged', () => {
  for (const bundle of [
    record({ seed: 3, profile: 'small', legacyCodeRate: 0 }),
    record({ seed: 4, legacyCodeRate: 0 }),
  ]) {
    const back = translateExtractToBundle(toExtract(bundle).xml).bundle;
    const counts = countByType(back);
    for (const type of CLINICAL_TYPES) assert.ok((counts[type] ?? 0) > 0, `${type} came back`);
    const differences = compareRoundTrip(bundle, back);
    assert.deepEqual(differences, [], JSON.stringify(differences, null, 1));
  }
});

const SNOMED = CODE_SYSTEMS.snomed.url;

/** The main code of a resource: its code, a referral's reason, a Medication's drug. */
function codeOf(resource: FhirResource): CodeableConcept | undefined {
  if (resource.resourceType === 'ReferralRequest') return resource.reasonCode?.[0];
  return 'code' in resource ? (resource.code as CodeableConcept | undefined) : undefined;
}

/** Legacy codes of a record's entries coded without SNOMED CT, and the type of entry each is on. */
function legacyCodes(bundle: Bundle): Map<string, string> {
  const legacy = new Map<string, string>();
  for (const e of bundle.entry ?? []) {
    const resource = e.resource as FhirResource;
    const codings = codeOf(resource)?.coding ?? [];
    if (codings.length > 0 && !codings.some((c) => c.system === SNOMED))
      for (const c of codings) if (c.code) legacy.set(c.code, resource.resourceType);
  }
  return legacy;
}

const LEGACY_KINDS = ['Observation', 'Condition', 'AllergyIntolerance', 'Medication', 'ReferralRequest'];

test('entries with a legacy code only come back degraded, their original code kept', () => {
  // The first record with a legacy-coded entry of every kind (most entries have a legacy equivalent).
  let seed = 1;
  let bundle = record({ seed, legacyCodeRate: 1 });
  const hasEveryKind = (b: Bundle) => LEGACY_KINDS.every((k) => [...legacyCodes(b).values()].includes(k));
  while (!hasEveryKind(bundle) && seed < 50) bundle = record({ seed: ++seed, legacyCodeRate: 1 });
  assert.ok(hasEveryKind(bundle), 'no record in 50 with a legacy-coded entry of every kind');
  const legacy = legacyCodes(bundle);
  const back = translateExtractToBundle(toExtract(bundle).xml).bundle;
  const found = new Set<string>();
  for (const e of back.entry ?? []) {
    const resource = e.resource as FhirResource;
    const codings = codeOf(resource)?.coding ?? [];
    const original = codings.find((c) => c.code && legacy.has(c.code));
    if (!original?.code) continue;
    found.add(original.code);
    assert.ok(
      codings.some((c) => c.system === SNOMED && isDegradeCode(c.code)),
      `${resource.resourceType} ${original.code} has a degrade code`,
    );
    assert.ok(
      resource.meta?.tag?.some((t) => t.code === DEGRADED_TAG.code),
      `${resource.resourceType} ${original.code} is tagged for the degrades worklist`,
    );
  }
  assert.deepEqual([...found].sort(), [...legacy.keys()].sort());
});
