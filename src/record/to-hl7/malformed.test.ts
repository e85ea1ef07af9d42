import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, FhirResource } from 'fhir/r3.js';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { ExtractIdentityError } from '../../hl7/index.ts';
import { translateBundleToExtract } from './index.ts';
import { countStatements } from './testing/statement-counts.ts';
import { baseResources, bundleOf, consultation, sct, sequentialIds } from './testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './testing/test-address.ts';

const noXsd = xsdUnavailable();
const GOOD: FhirResource = {
  resourceType: 'Observation',
  id: 'good',
  status: 'final',
  code: sct('60621009', 'Body mass index'),
  effectiveDateTime: '2020-01-01',
};

/** Translates base + the bad resource + a good Observation; checks validity, the warning and that the good entry survived. */
function check(bad: FhirResource | FhirResource[], warningPattern: RegExp): string {
  const bundle = bundleOf([...baseResources(), ...(Array.isArray(bad) ? bad : [bad]), GOOD]);
  const { xml, warnings } = translateBundleToExtract(bundle, {
    addressing: TEST_ADDRESS,
    newId: sequentialIds(),
  });
  assert.ok(
    warnings.some((w) => warningPattern.test(w)),
    `no warning matching ${warningPattern}: ${warnings.join(' | ')}`,
  );
  assert.match(xml, /code="60621009"/, 'the good entry was lost');
  if (!noXsd) {
    const result = validateXsd(xml, 'RCMR_IN030000UK06');
    assert.ok(result.valid, result.valid ? '' : result.errors);
  }
  return xml;
}

test('Observation without a code is degraded', () => {
  check(
    {
      resourceType: 'Observation',
      id: 'o1',
      status: 'final',
      code: {},
      effectiveDateTime: 'not a date',
      valueQuantity: { value: Number.NaN },
    } as FhirResource,
    /Observation\/o1: no SNOMED/,
  );
});

test('Condition without a code and with a dangling actual problem is degraded', () => {
  const xml = check(
    {
      resourceType: 'Condition',
      id: 'c1',
      subject: { reference: 'Patient/pat-1' },
      extension: [
        {
          url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ActualProblem-1',
          valueReference: { reference: 'Observation/missing' },
        },
      ],
    } as FhirResource,
    /Condition\/c1: actual problem reference does not resolve/,
  );
  assert.equal(countStatements(xml).LinkSet, 1);
});

test('AllergyIntolerance without code or category is a degraded non-drug allergy', () => {
  const xml = check(
    { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/pat-1' } } as FhirResource,
    /AllergyIntolerance\/a1: .*non-drug allergy/,
  );
  assert.match(xml, /196471000000108/);
});

test('MedicationRequest with a missing Medication and a missing authorisation still goes', () => {
  const xml = check(
    {
      resourceType: 'MedicationRequest',
      id: 'm1',
      status: 'completed',
      intent: 'order',
      subject: { reference: 'Patient/pat-1' },
      medicationReference: { reference: 'Medication/none' },
      basedOn: [{ reference: 'MedicationRequest/none' }],
    } as FhirResource,
    /MedicationRequest\/m1: (medication could not be found|issue refers)/,
  );
  assert.match(xml, /196421000000109/);
});

test('Immunization, ProcedureRequest and ReferralRequest without codes are degraded by kind', () => {
  const xml = check(
    [
      {
        resourceType: 'Immunization',
        id: 'i1',
        status: 'completed',
        notGiven: false,
        primarySource: true,
        patient: { reference: 'Patient/pat-1' },
        vaccineCode: { text: 'Local vaccine' },
      } as FhirResource,
      {
        resourceType: 'ProcedureRequest',
        id: 'p1',
        status: 'active',
        intent: 'plan',
        subject: { reference: 'Patient/pat-1' },
        code: { text: 'Recall' },
      } as FhirResource,
      {
        resourceType: 'ReferralRequest',
        id: 'r1',
        status: 'active',
        intent: 'order',
        subject: { reference: 'Patient/pat-1' },
      } as FhirResource,
    ],
    /ReferralRequest\/r1: no SNOMED/,
  );
  assert.match(xml, /196451000000104/); // plan
  assert.match(xml, /196431000000106/); // referral
});

test('DocumentReference without content becomes an absent attachment', () => {
  check(
    {
      resourceType: 'DocumentReference',
      id: 'd1',
      status: 'current',
      indexed: '2020-01-01',
      content: [{}],
    } as FhirResource,
    /DocumentReference\/d1: document has no content/,
  );
});

test('DiagnosticReport with unresolvable results and specimens is still written', () => {
  const xml = check(
    [
      {
        resourceType: 'DiagnosticReport',
        id: 'dr1',
        status: 'final',
        code: {},
        result: [{ reference: 'Observation/gone' }],
        specimen: [{ reference: 'Specimen/gone' }],
      } as FhirResource,
      { resourceType: 'Basic', id: 'b1', code: {} } as FhirResource,
    ],
    /Basic\/b1: resource type is not carried/,
  );
  assert.match(xml, /EMPTY REPORT|Status: final/);
});

test('consultation lists pointing at missing resources are skipped with a warning', () => {
  check(
    consultation('enc-x', ['Observation/nowhere']),
    /List\/enc-x-category: category entry Observation\/nowhere does not resolve/,
  );
});

test('a resource whose translation throws is skipped, the rest translates', () => {
  const exploding = {
    resourceType: 'Observation',
    id: 'boom',
    status: 'final',
    code: sct('1', 'x'),
  } as FhirResource;
  Object.defineProperty(exploding, 'effectiveDateTime', {
    get() {
      throw new Error('corrupt field');
    },
    enumerable: true,
  });
  check(exploding, /Observation\/boom: could not be translated \(corrupt field\)/);
});

test('garbage bundle entries are ignored', () => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      null,
      {},
      { resource: 42 },
      ...baseResources().map((resource) => ({ resource })),
      { resource: GOOD },
    ],
  } as unknown as Bundle;
  const { xml } = translateBundleToExtract(bundle, { addressing: TEST_ADDRESS, newId: sequentialIds() });
  assert.match(xml, /code="60621009"/);
  // No bundle at all has no patient: refused for want of an NHS number, not a crash.
  assert.throws(
    () => translateBundleToExtract(undefined as unknown as Bundle, { addressing: TEST_ADDRESS }),
    (e: unknown) => e instanceof ExtractIdentityError && /no patient NHS number/.test(e.message),
  );
});

test('text with characters XML cannot carry is cleaned', () => {
  const xml = check(
    {
      resourceType: 'Observation',
      id: 'ctl',
      status: 'final',
      code: { text: 'bad\u0001text\uFFFF' },
      comment: 'a\u0000b \uD800 c',
    } as FhirResource,
    /Observation\/ctl: no SNOMED/,
  );
  assert.match(xml, /badtext/);
});
