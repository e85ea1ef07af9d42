import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, FhirResource, Immunization } from 'fhir/r3.js';
import { translateBundleToExtract } from '../to-hl7/index.ts';
import { baseResources, bundleOf } from '../to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../to-hl7/testing/test-address.ts';
import { observation, syntheticExtract } from './fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './translate-extract.ts';

const READ_V2 = '2.16.840.1.113883.2.1.6.2';

function typeOf(code: string): string | undefined {
  const { bundle } = translateExtractToBundle(syntheticExtract({ consultation: observation('IMM-1', code) }));
  return bundle.entry?.map((e) => e.resource).find((r) => r?.id === 'IMM-1')?.resourceType;
}

test('an immunisation is recognised by the code list: Read v2 only, a mistyped OID, a translation, a vaccine product', () => {
  assert.equal(
    typeOf(`<code code="65ED.00" codeSystem="${READ_V2}" displayName="Seasonal influenza vaccination"/>`),
    'Immunization',
  );
  assert.equal(
    typeOf(`<code code="86198006" codeSystem="${READ_V2}" displayName="Influenza vaccination"/>`),
    'Immunization',
  );
  assert.equal(
    typeOf(
      `<code code="EMISFLU1" codeSystem="2.16.840.1.113883.2.1.6.3" displayName="Flu jab"><translation code="XaZ0d" codeSystem="2.16.840.1.113883.2.1.3.2.4.14"/></code>`,
    ),
    'Immunization',
  );
  assert.equal(
    typeOf(
      '<code code="39115611000001103" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="COVID-19 mRNA Vaccine BNT162b2"/>',
    ),
    'Immunization',
  );
  assert.equal(typeOf(`<code code="H33..00" codeSystem="${READ_V2}" displayName="Asthma"/>`), 'Observation');
});

test('FHIR → HL7: a vaccination code off the list travels with the generic immunisation procedure, and comes back an Immunization', () => {
  const immunization: FhirResource = {
    resourceType: 'Immunization',
    id: 'imm-x',
    extension: [
      {
        url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1',
        valueCodeableConcept: {
          coding: [{ system: 'http://snomed.info/sct', code: '1119349007', display: 'COVID-19 vaccination' }],
        },
      },
    ],
    status: 'completed',
    notGiven: false,
    primarySource: true,
    patient: { reference: 'Patient/pat-1' },
    date: '2023-01-05',
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/v3/NullFlavor', code: 'UNK' }] },
  };
  const { xml, warnings } = translateBundleToExtract(bundleOf([...baseResources(), immunization]), {
    addressing: TEST_ADDRESS,
  });
  assert.match(xml, /<translation code="127785005"/);
  assert.ok(warnings.some((w) => w.includes('not on the immunisation list')));
  const back: Bundle = translateExtractToBundle(xml).bundle;
  const found = back.entry?.map((e) => e.resource).find((r) => r?.resourceType === 'Immunization') as
    | Immunization
    | undefined;
  assert.ok(found, 'still an Immunization');
  const procedure = found.extension?.[0]?.valueCodeableConcept?.coding?.map((c) => c.code);
  assert.deepEqual(procedure, ['1119349007', '127785005']);
});
