import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, DiagnosticReport, FhirResource, Observation, Specimen } from 'fhir/r3.js';
import { readPmip } from './from-hl7/pmip.ts';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { baseResources, bundleOf, sct, sequentialIds } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';
import { keptText } from './to-hl7/text.ts';

/* Pathology-shaped content that the real GP Connect corpus (Guerra) showed being changed on the round trip. */

function roundTrip(resources: FhirResource[]): { xml: string; back: Bundle } {
  const { xml } = translateBundleToExtract(bundleOf([...baseResources(), ...resources]), {
    addressing: TEST_ADDRESS,
    newId: sequentialIds(),
  });
  return { xml, back: translateExtractToBundle(xml).bundle };
}

function observations(bundle: Bundle): Observation[] {
  return (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Observation => r?.resourceType === 'Observation');
}

function byCode(bundle: Bundle, code: string): Observation | undefined {
  return observations(bundle).find((o) => o.code?.coding?.some((c) => c.code === code));
}

const patient = { reference: 'Patient/pat-1' };

function result(id: string, code: string, display: string, extra: Partial<Observation> = {}): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: sct(code, display),
    subject: patient,
    effectiveDateTime: '2001-03-30',
    issued: '2010-02-09T12:31:51.977+00:00',
    ...extra,
  };
}

const COMMENT_NOTE = '37331000000100';

test('a battery header with its own comment is sent with its members and gets its comment back', () => {
  const header = result('lft', '997531000000108', 'Liver function test', {
    comment: '(EMISTest) - Abnormal - Contact Patient',
    interpretation: { coding: [{ system: 'http://hl7.org/fhir/v2/0078', code: 'A', display: 'Abnormal' }] },
    related: [
      { type: 'has-member', target: { reference: 'Observation/bili' } },
      { type: 'has-member', target: { reference: 'Observation/alb' } },
    ],
  });
  const bili = result('bili', '999691000000104', 'Serum bilirubin level', {
    valueQuantity: { value: 8, unit: 'umol/L' },
  });
  const alb = result('alb', '1000821000000103', 'Serum albumin level', {
    valueQuantity: { value: 41, unit: 'g/L' },
  });
  const { xml, back } = roundTrip([header, bili, alb]);
  assert.match(xml, /classCode="BATTERY"/);
  assert.match(
    xml,
    /CommentType:AGGREGATE COMMENT SET\nCommentDate:20010330\nInterpretation: Abnormal\n\(EMISTest\)/,
  );
  const got = byCode(back, '997531000000108');
  assert.equal(got?.comment, '(EMISTest) - Abnormal - Contact Patient');
  assert.equal(got?.interpretation?.text, 'Abnormal');
  assert.equal(got?.related?.filter((r) => r.type === 'has-member').length, 2);
  assert.equal(byCode(back, COMMENT_NOTE), undefined, 'the comment is not a member of its own');
});

const LAID_OUT = '           Oral dose: 75g glucose\n Time        (mmol/l)\n Fasting       4.3';

function report(results: Observation[], specimen: Specimen): DiagnosticReport {
  return {
    resourceType: 'DiagnosticReport',
    id: 'rep',
    status: 'final',
    code: sct('721981007', 'Diagnostic studies report'),
    subject: patient,
    issued: '2003-02-21T11:50:00+00:00',
    specimen: [{ reference: `Specimen/${specimen.id}` }],
    result: results.map((r) => ({ reference: `Observation/${r.id}` })),
  };
}

const blood: Specimen = {
  resourceType: 'Specimen',
  id: 'spec',
  type: { text: 'Blood' },
  subject: patient,
};

function labResult(id: string, code: string, display: string, extra: Partial<Observation>): Observation {
  return result(id, code, display, {
    category: [{ coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'laboratory' }] }],
    specimen: { reference: 'Specimen/spec' },
    ...extra,
  });
}

test('a pathology comment laid out with leading spaces keeps them both ways', () => {
  const toleranceTest = labResult('ft1', '1005711000000106', 'Glucose tolerance test', { comment: LAID_OUT });
  const { xml, back } = roundTrip([toleranceTest, blood, report([toleranceTest], blood)]);
  assert.ok(xml.includes(`\n${LAID_OUT}</text>`), 'written as it is');
  assert.equal(byCode(back, '1005711000000106')?.comment, LAID_OUT);
});

test('only the PMIP header lines are taken off a comment; blank text is no text', () => {
  assert.equal(readPmip(`CommentType:USER COMMENT\nCommentDate:20030109\n${LAID_OUT}`).body, LAID_OUT);
  assert.equal(readPmip('CommentType:USER COMMENT\nCommentDate:UNK\n  \n').body, '');
  assert.equal(keptText('  two  spaces \u0001'), '  two  spaces ');
  assert.equal(keptText(' \n '), undefined);
});

test('a lab result keeps every reference range', () => {
  const b12 = labResult('b12', '993391000000108', 'Serum vitamin B12', {
    valueQuantity: { value: 1000, unit: 'ng/L' },
    referenceRange: [
      { low: { value: 160, unit: 'ng/L' }, high: { value: 200, unit: 'ng/L' } },
      { low: { value: 0, unit: 'ng/L' }, high: { value: 160, unit: 'ng/L' }, text: 'Deficient' },
      { low: { value: 200, unit: 'ng/L' }, high: { value: 800, unit: 'ng/L' } },
    ],
  });
  const { back } = roundTrip([b12, blood, report([b12], blood)]);
  const ranges = byCode(back, '993391000000108')?.referenceRange ?? [];
  assert.deepEqual(
    ranges.map((r) => [r.low?.value, r.high?.value, r.text]),
    [
      [160, 200, undefined],
      [0, 160, 'Deficient'],
      [200, 800, undefined],
    ],
  );
});

test('a filing comment a test group holds and the report lists comes back once, in both lists', () => {
  // As EMIS sends it: the filing comment names no specimen.
  const comment = result('gtt-comm', COMMENT_NOTE, 'Comment note', {
    status: 'unknown',
    effectiveDateTime: '2010-03-26T14:04:43.603+00:00',
    comment: '(EMISTest) - Abnormal - Contact Patient',
  });
  const member = labResult('ft1', '1022191000000100', 'Serum LDL cholesterol level', {
    valueQuantity: { value: 5.5, unit: 'mmol/L' },
  });
  const header = labResult('gtt', '1005711000000106', 'Glucose tolerance test', {
    related: [
      { type: 'has-member', target: { reference: 'Observation/ft1' } },
      { type: 'has-member', target: { reference: 'Observation/gtt-comm' } },
    ],
  });
  const { back } = roundTrip([header, member, comment, blood, report([header, comment], blood)]);
  const comments = observations(back).filter((o) => o.code?.coding?.some((c) => c.code === COMMENT_NOTE));
  assert.equal(comments.length, 1);
  const ref = `Observation/${comments[0]?.id}`;
  const rep = (back.entry ?? []).map((e) => e.resource).find((r) => r?.resourceType === 'DiagnosticReport') as
    | DiagnosticReport
    | undefined;
  assert.ok(
    rep?.result?.some((r) => r.reference === ref),
    'listed by the report',
  );
  const got = byCode(back, '1005711000000106');
  assert.ok(
    got?.related?.some((r) => r.type === 'has-member' && r.target.reference === ref),
    'a member of its group',
  );
});
