import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FhirResource, Observation, Quantity } from 'fhir/r3.js';
import { ucumCodeOf } from './codes/index.ts';
import { observation, syntheticExtract } from './from-hl7/fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { baseResources, bundleOf } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

/* Lab values: UCUM units for common UK laboratory units, one-sided ranges keep > versus >=. */

const SODIUM =
  '<code code="1000661000000107" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Serum sodium level"/>';

function quantityRead(value: string): Quantity | undefined {
  const { bundle } = translateExtractToBundle(
    syntheticExtract({ consultation: observation('OBS-V', SODIUM, value) }),
  );
  return (bundle.entry?.map((e) => e.resource).find((r) => r?.id === 'OBS-V') as Observation | undefined)
    ?.valueQuantity;
}

test('the table gives the UCUM form of the units UK laboratories write', () => {
  const cases: [string, string][] = [
    ['mmol/l', 'mmol/L'],
    ['umol/L', 'umol/L'],
    ['x10^9/L', '10*9/L'],
    ['g/dl', 'g/dL'],
    ['mU/L', 'm[IU]/L'],
    ['IU/L', '[IU]/L'],
    ['mL/min/1.73m2', 'mL/min/{1.73_m2}'],
    ['mm/hr', 'mm/h'],
    ['fL', 'fL'],
  ];
  for (const [text, code] of cases) assert.equal(ucumCodeOf(text), code, text);
  assert.equal(ucumCodeOf('cups'), undefined);
  assert.equal(ucumCodeOf('constructor'), undefined);
});

test('a unit written as text is coded in UCUM, the laboratory text kept', () => {
  const q = quantityRead(
    '<value xsi:type="PQ" value="4.1" unit="1"><translation value="4.1"><originalText>x10^9/L</originalText></translation></value>',
  );
  assert.deepEqual(q, { value: 4.1, unit: 'x10^9/L', system: 'http://unitsofmeasure.org', code: '10*9/L' });
});

test('one-sided results keep > versus >= (inclusive) and < versus <=', () => {
  const bound = (side: 'low' | 'high', inclusive: string) =>
    quantityRead(`<value xsi:type="IVL_PQ"><${side} value="90" unit="mmol/L"${inclusive}/></value>`)
      ?.comparator;
  assert.equal(bound('low', ' inclusive="false"'), '>');
  assert.equal(bound('low', ' inclusive="true"'), '>=');
  assert.equal(bound('low', ''), '>=');
  assert.equal(bound('high', ' inclusive="false"'), '<');
  assert.equal(bound('high', ' inclusive="true"'), '<=');
});

test('FHIR → HL7 → FHIR: comparators and text units survive (property)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom<Quantity['comparator'] | undefined>(undefined, '<', '<=', '>=', '>'),
      fc.constantFrom('mmol/l', 'x10^9/L', 'mU/L', 'g/L', 'ratio', 'cups'),
      fc.integer({ min: 1, max: 500 }),
      (comparator, unit, value) => {
        const obs: FhirResource = {
          resourceType: 'Observation',
          id: 'obs-q',
          status: 'final',
          code: { coding: [{ system: 'http://snomed.info/sct', code: '1000661000000107' }] },
          subject: { reference: 'Patient/pat-1' },
          effectiveDateTime: '2023-01-01',
          valueQuantity: { value, unit, ...(comparator ? { comparator } : {}) },
        };
        const { xml } = translateBundleToExtract(bundleOf([...baseResources(), obs]), {
          addressing: TEST_ADDRESS,
        });
        const back = translateExtractToBundle(xml)
          .bundle.entry?.map((e) => e.resource)
          .find((r) => r?.resourceType === 'Observation') as Observation;
        assert.equal(back.valueQuantity?.value, value);
        assert.equal(back.valueQuantity?.comparator, comparator);
        assert.equal(back.valueQuantity?.unit, unit, 'the laboratory text kept');
        assert.equal(back.valueQuantity?.code, ucumCodeOf(unit));
      },
    ),
    { numRuns: 60 },
  );
});
