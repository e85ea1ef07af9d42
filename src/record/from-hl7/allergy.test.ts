import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AllergyIntolerance, Bundle, FhirResource } from 'fhir/r3.js';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { parseXml, path } from '../../xml/index.ts';
import { DEGRADED_TAG } from '../codes/index.ts';
import { translateBundleToExtract } from '../to-hl7/index.ts';
import { baseResources, bundleOf } from '../to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../to-hl7/testing/test-address.ts';
import {
  compound,
  DRUG_ALLERGY_HEADER,
  NON_DRUG_ALLERGY_HEADER,
  observation,
  syntheticExtract,
} from './fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './translate-extract.ts';

const SCT = '2.16.840.1.113883.2.1.3.2.4.15';
const noXsd = xsdUnavailable();

/** A drug or non-drug allergy wrapper around one ObservationStatement with the given code and value. */
function allergy(header: string, code: string, value = ''): string {
  return compound('WRAP-1', 'CATEGORY', header, observation('ALG-1', code, value));
}

function cd(code: string, system: string, display: string): string {
  return `<value xsi:type="CD" code="${code}" codeSystem="${system}" displayName="${display}"/>`;
}

function allergyOf(consultation: string): { allergy: AllergyIntolerance; bundle: Bundle } {
  const { bundle } = translateExtractToBundle(syntheticExtract({ consultation }));
  const found = bundle.entry?.map((e) => e.resource).find((r) => r?.resourceType === 'AllergyIntolerance');
  assert.ok(found, 'an AllergyIntolerance is made');
  return { allergy: found as AllergyIntolerance, bundle };
}

const codings = (a: AllergyIntolerance) => a.code?.coding?.map((c) => `${c.system}|${c.code}`);

test('a drug allergy coded only "H/O: drug allergy" is coded with the drug its value names, the generic code kept', () => {
  const { allergy: a } = allergyOf(
    allergy(DRUG_ALLERGY_HEADER, DRUG_ALLERGY_HEADER, cd('322236009', SCT, 'Paracetamol 500mg tablets')),
  );
  assert.deepEqual(codings(a), ['http://snomed.info/sct|322236009', 'http://read.info/readv2|14L..00']);
  assert.equal(a.code?.text, 'Paracetamol 500mg tablets');
  assert.deepEqual(a.category, ['medication']);
  assert.equal(a.meta?.tag, undefined, 'the drug has a SNOMED CT code: not degraded');
});

test('a SNOMED generic code with an EMIS drug value degrades, keeping the drug and the generic code', () => {
  const { allergy: a } = allergyOf(
    allergy(
      DRUG_ALLERGY_HEADER,
      `<code code="416098002" codeSystem="${SCT}" displayName="Allergy to drug"/>`,
      cd('PARA500', '2.16.840.1.113883.2.1.6.9', 'Paracetamol 500mg capsules'),
    ),
  );
  assert.deepEqual(codings(a), [
    'http://snomed.info/sct|196461000000101',
    'urn:oid:2.16.840.1.113883.2.1.6.9|PARA500',
    'http://snomed.info/sct|416098002',
  ]);
  assert.equal(a.code?.text, 'Paracetamol 500mg capsules');
  assert.deepEqual(a.meta?.tag, [{ ...DEGRADED_TAG }]);
});

test('a non-drug allergy names its substance the same way', () => {
  const { allergy: a } = allergyOf(
    allergy(NON_DRUG_ALLERGY_HEADER, NON_DRUG_ALLERGY_HEADER, cd('256349002', SCT, 'Peanut')),
  );
  assert.deepEqual(codings(a), ['http://snomed.info/sct|256349002', 'http://read.info/readv2|SN53.00']);
  assert.equal(a.code?.text, 'Peanut');
  assert.deepEqual(a.category, ['environment']);
});

test('an allergen given only as text becomes the allergy text, and the entry is degraded', () => {
  const { allergy: a } = allergyOf(
    allergy(
      DRUG_ALLERGY_HEADER,
      DRUG_ALLERGY_HEADER,
      '<value xsi:type="CD" nullFlavor="OTH"><originalText>Elastoplast dressing</originalText></value>',
    ),
  );
  assert.equal(a.code?.text, 'Elastoplast dressing');
  assert.deepEqual(codings(a), ['http://snomed.info/sct|196461000000101', 'http://read.info/readv2|14L..00']);
});

test('a specific allergy code keeps its place and the drug the value names follows it', () => {
  const { allergy: a } = allergyOf(
    allergy(
      DRUG_ALLERGY_HEADER,
      `<code code="91936005" codeSystem="${SCT}" displayName="Allergy to penicillin"/>`,
      cd('323509004', SCT, 'Amoxicillin 500mg capsules'),
    ),
  );
  assert.deepEqual(codings(a), ['http://snomed.info/sct|91936005', 'http://snomed.info/sct|323509004']);
  assert.equal(a.code?.text, 'Allergy to penicillin');
});

test("EMIS Web's local value repeating the allergy's own term adds nothing", () => {
  const { allergy: a } = allergyOf(
    allergy(
      DRUG_ALLERGY_HEADER,
      '<code code="14LK.00" codeSystem="2.16.840.1.113883.2.1.6.2" displayName="H/O: aspirin allergy"/>',
      cd('ALLERGY-READ2-14LK', '2.16.840.1.113883.2.1.6.3', 'H/O: aspirin allergy'),
    ),
  );
  assert.deepEqual(codings(a), ['http://snomed.info/sct|196461000000101', 'http://read.info/readv2|14LK.00']);
});

/** A GP Connect drug allergy coded with its drug and the generic code (as the reader makes it). */
function drugAllergyBundle(): Bundle {
  const allergyResource: FhirResource = {
    resourceType: 'AllergyIntolerance',
    id: 'allergy-drug',
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    category: ['medication'],
    code: {
      coding: [
        { system: 'http://snomed.info/sct', code: '322236009', display: 'Paracetamol 500mg tablets' },
        { system: 'http://snomed.info/sct', code: '416098002', display: 'Allergy to drug' },
      ],
      text: 'Paracetamol 500mg tablets',
    },
    patient: { reference: 'Patient/patient-1' },
    assertedDate: '2020-01-01',
  };
  return bundleOf([...baseResources(), allergyResource]);
}

test('FHIR → HL7: the generic code is the ObservationStatement code and the drug its value; read back unchanged', {
  skip: noXsd ?? false,
}, () => {
  const { xml } = translateBundleToExtract(drugAllergyBundle(), { addressing: TEST_ADDRESS });
  const result = validateXsd(xml, 'RCMR_IN030000UK06');
  assert.ok(result.valid, result.valid ? '' : result.errors);
  const obs = parseXml(xml).root;
  const statement = findAllergyObservation(obs);
  assert.equal(path(statement, 'code')?.attrs.code, '416098002');
  assert.equal(path(statement, 'value')?.attrs.code, '322236009');
  const back = translateExtractToBundle(xml)
    .bundle.entry?.map((e) => e.resource)
    .find((r) => r?.resourceType === 'AllergyIntolerance') as AllergyIntolerance;
  assert.deepEqual(codings(back), ['http://snomed.info/sct|322236009', 'http://snomed.info/sct|416098002']);
  assert.equal(back.code?.text, 'Paracetamol 500mg tablets');
});

function findAllergyObservation(root: ReturnType<typeof parseXml>['root']) {
  const stack = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (e.local === 'ObservationStatement' && path(e, 'value')) return e;
    for (const c of e.children) if (typeof c === 'object') stack.push(c);
  }
  assert.fail('no allergy ObservationStatement with a value');
}
