import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FhirResource } from 'fhir/r3.js';
import { syntheticNhsNumber } from '../../common/nhs-number.ts';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { ExtractIdentityError } from '../../hl7/index.ts';
import { translateBundleToExtract } from './index.ts';
import { countCompound, countStatements } from './testing/statement-counts.ts';
import {
  baseResources,
  bundleOf,
  clinicalResources,
  consultation,
  SYNTHETIC_NHS_NUMBER,
  sequentialIds,
  syntheticBundle,
} from './testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './testing/test-address.ts';

const FIXED = { clock: () => new Date('2024-05-01T12:00:00Z'), newId: sequentialIds() };
const noXsd = xsdUnavailable();

test('a synthetic record translates to an XSD-valid UK06 extract', { skip: noXsd ?? false }, () => {
  const { xml, interactionId } = translateBundleToExtract(syntheticBundle(), {
    addressing: TEST_ADDRESS,
    ...FIXED,
    newId: sequentialIds(),
  });
  assert.equal(interactionId, 'RCMR_IN030000UK06');
  const result = validateXsd(xml, 'RCMR_IN030000UK06');
  assert.ok(result.valid, result.valid ? '' : result.errors);
});

test('every kind of entry becomes its statement', () => {
  const { xml } = translateBundleToExtract(syntheticBundle(), {
    addressing: TEST_ADDRESS,
    ...FIXED,
    newId: sequentialIds(),
  });
  const counts = countStatements(xml);
  // 1 consultation + 11 entries outside it (the issue gets its own composition; the result sits in its report).
  assert.equal(counts.ehrComposition, 12);
  assert.equal(counts.LinkSet, 1);
  assert.equal(counts.MedicationStatement, 2);
  assert.equal(counts.ehrSupplyAuthorise, 1);
  assert.equal(counts.ehrSupplyPrescribe, 1);
  assert.equal(counts.PlanStatement, 1);
  assert.equal(counts.RequestStatement, 1);
  assert.equal(counts.referredToExternalDocument, 2);
  assert.equal(counts.specimen, 1);
  assert.equal(countCompound(xml, 'TOPIC'), 1);
  assert.equal(countCompound(xml, 'BATTERY'), 1);
  assert.match(xml, /extension="9990000018"/);
  assert.match(xml, /code="14L\.\.00"/);
  assert.match(xml, /<inFulfillmentOf typeCode="FLFS">\s*<priorMedicationRef/);
});

test('the flat layout writes consultation entries straight into the ehrComposition', () => {
  const { xml } = translateBundleToExtract(syntheticBundle(), {
    addressing: TEST_ADDRESS,
    ...FIXED,
    newId: sequentialIds(),
    consultationLayout: 'flat',
  });
  assert.equal(countCompound(xml, 'TOPIC'), 0);
  assert.equal(countCompound(xml, 'CATEGORY'), 1); // only the allergy's own CATEGORY
});

test('a coding without SNOMED CT is degraded and keeps the original code and text', () => {
  const { xml, warnings } = translateBundleToExtract(syntheticBundle(), {
    addressing: TEST_ADDRESS,
    ...FIXED,
    newId: sequentialIds(),
  });
  assert.match(
    xml,
    /code="196411000000103" codeSystem="2\.16\.840\.1\.113883\.2\.1\.3\.2\.4\.15" displayName="Transfer-degraded record entry">\s*<originalText>Local only finding<\/originalText>\s*<translation code="XaBcD" codeSystem="2\.16\.840\.1\.113883\.2\.1\.6\.2"/,
  );
  assert.ok(
    warnings.some((w) => w.startsWith('Observation/obs-degraded') && w.includes('transfer-degraded')),
  );
});

test('a document without content is referenced as an AbsentAttachment placeholder', () => {
  const { xml, documents, warnings } = translateBundleToExtract(syntheticBundle(), {
    addressing: TEST_ADDRESS,
    ...FIXED,
    newId: sequentialIds(),
  });
  const absent = documents.find((d) => d.resourceId === 'doc-absent');
  assert.ok(absent?.absent);
  assert.match(absent.filename, /^AbsentAttachment[0-9A-F-]+\.txt$/);
  assert.ok(xml.includes(`file://localhost/${absent.filename}`));
  const pdf = documents.find((d) => d.resourceId === 'doc-1');
  assert.equal(pdf?.contentType, 'application/pdf');
  assert.equal(pdf?.absent, false);
  assert.ok(warnings.some((w) => w.startsWith('DocumentReference/doc-absent')));
});

test('a NOPAT entry makes the message UK07, valid against its schema', { skip: noXsd ?? false }, () => {
  const resources = clinicalResources().map((r) =>
    r.id === 'obs-1'
      ? ({
          ...r,
          meta: { security: [{ system: 'http://hl7.org/fhir/v3/ActCode', code: 'NOPAT' }] },
        } as FhirResource)
      : r,
  );
  const bundle = bundleOf([
    ...baseResources(),
    ...consultation('enc-1', ['Observation/obs-1']),
    ...resources,
  ]);
  const { xml, interactionId } = translateBundleToExtract(bundle, {
    addressing: TEST_ADDRESS,
    ...FIXED,
    newId: sequentialIds(),
  });
  assert.equal(interactionId, 'RCMR_IN030000UK07');
  assert.match(xml, /<confidentialityCode code="NOPAT"/);
  const result = validateXsd(xml, 'RCMR_IN030000UK07');
  assert.ok(result.valid, result.valid ? '' : result.errors);
});

test('the request, both practices and the NHS number come from the addressing', () => {
  const { xml } = translateBundleToExtract(syntheticBundle(), {
    addressing: { ...TEST_ADDRESS, nhsNumber: SYNTHETIC_NHS_NUMBER },
    ...FIXED,
    newId: sequentialIds(),
  });
  assert.match(xml, /<priorEhrRequest[^>]*>\s*<id root="AAAAAAAA-0000-4000-8000-000000000001"\/>/);
  assert.match(xml, /<id root="1.2.826.0.1285.0.2.0.107" extension="200000000001"\/>/);
  assert.match(xml, /extension="Y99002"/);
  assert.match(xml, new RegExp(`extension="${SYNTHETIC_NHS_NUMBER}"`));
});

test('an extract is never written with made-up identity: missing or disagreeing parts are an error (reason 10)', () => {
  const noNhsNumber = bundleOf(baseResources().filter((r) => r.resourceType !== 'Patient'));
  const refusals: [string, () => unknown, RegExp][] = [
    [
      'no NHS number anywhere',
      () => translateBundleToExtract(noNhsNumber, { addressing: TEST_ADDRESS }),
      /no patient NHS number/,
    ],
    [
      'a preview without an NHS number',
      () => translateBundleToExtract(noNhsNumber, { addressing: 'preview' }),
      /no patient NHS number/,
    ],
    [
      'the request names another patient',
      () =>
        translateBundleToExtract(syntheticBundle(), {
          addressing: { ...TEST_ADDRESS, nhsNumber: syntheticNhsNumber(7) },
        }),
      /the record is for NHS number/,
    ],
    [
      'an UNKNOWN ASID',
      () =>
        translateBundleToExtract(syntheticBundle(), {
          addressing: { ...TEST_ADDRESS, sendingPractice: { asid: 'UNKNOWN', ods: 'X99001' } },
        }),
      /ASID for the sending practice/,
    ],
    [
      'no request id',
      () => translateBundleToExtract(syntheticBundle(), { addressing: { ...TEST_ADDRESS, requestId: '' } }),
      /no EHR request id/,
    ],
  ];
  for (const [what, run, message] of refusals) {
    assert.throws(
      run,
      (e: unknown) => e instanceof ExtractIdentityError && e.reasonCode === '10' && message.test(e.message),
      what,
    );
  }
});

test('a preview writes what it does not know as unknown, and still validates', {
  skip: noXsd ?? false,
}, () => {
  const { xml } = translateBundleToExtract(syntheticBundle(), {
    addressing: 'preview',
    ...FIXED,
    newId: sequentialIds(),
  });
  assert.doesNotMatch(xml, /UNKNOWN|"0+"/);
  assert.match(xml, /<priorEhrRequest[^>]*>\s*<id nullFlavor="NI"\/>/);
  assert.match(xml, new RegExp(`extension="${SYNTHETIC_NHS_NUMBER}"`));
  const result = validateXsd(xml, 'RCMR_IN030000UK06');
  assert.ok(result.valid, result.valid ? '' : result.errors);
});

test('an empty bundle still gives a valid extract with a placeholder entry', { skip: noXsd ?? false }, () => {
  const { xml, warnings } = translateBundleToExtract(bundleOf(baseResources()), {
    addressing: TEST_ADDRESS,
    ...FIXED,
    newId: sequentialIds(),
  });
  assert.ok(warnings.some((w) => w.includes('no clinical content')));
  const result = validateXsd(xml, 'RCMR_IN030000UK06');
  assert.ok(result.valid, result.valid ? '' : result.errors);
});
