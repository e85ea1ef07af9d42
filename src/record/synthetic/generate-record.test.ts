import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Bundle, FhirResource, MedicationRequest, Reference } from 'fhir/r3.js';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import { generatePatients } from './demographics.ts';
import { SYNTHETIC_DOCUMENT_URL_PREFIX, withDocumentUrls } from './documents.ts';
import { generateRecord } from './generate-record.ts';

const resources = (bundle: Bundle): FhirResource[] =>
  (bundle.entry ?? []).map((e) => e.resource as FhirResource);
const ofType = <T extends FhirResource['resourceType']>(bundle: Bundle, type: T) =>
  resources(bundle).filter((r): r is Extract<FhirResource, { resourceType: T }> => r.resourceType === type);

test('the same seed gives the same record; another seed another record', () => {
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const a = generateRecord({ seed, practiceOds: 'A12345', profile: 'small' });
      const b = generateRecord({ seed, practiceOds: 'A12345', profile: 'small' });
      assert.deepEqual(a.bundle, b.bundle);
      assert.deepEqual(
        a.documents.map((d) => [d.id, d.title, d.contentType, d.bytes]),
        b.documents.map((d) => [d.id, d.title, d.contentType, d.bytes]),
      );
      const other = generateRecord({ seed: seed + 1, practiceOds: 'A12345', profile: 'small' });
      assert.notDeepEqual(other.bundle, a.bundle);
    }),
    { numRuns: 15 },
  );
});

test('a median record holds every kind of clinical entry GP Connect sends', () => {
  for (const seed of [1, 2, 3, 4]) {
    const { bundle } = generateRecord({ seed, practiceOds: 'A12345' });
    const conditions = ofType(bundle, 'Condition');
    assert.ok(
      conditions.some((c) => c.clinicalStatus === 'active'),
      'an active problem',
    );
    assert.ok(
      conditions.some((c) => c.clinicalStatus === 'inactive' && c.abatementDateTime),
      'a past problem',
    );
    for (const c of conditions) assert.ok(c.extension?.some((e) => e.url.endsWith('ActualProblem-1')));
    const requests: MedicationRequest[] = ofType(bundle, 'MedicationRequest');
    const type = (r: (typeof requests)[number]) =>
      r.extension?.find((e) => e.url.endsWith('PrescriptionType-1'))?.valueCodeableConcept?.coding?.[0]?.code;
    const plans = requests.filter((r) => r.intent === 'plan');
    assert.ok(
      plans.some((p) => type(p) === 'repeat'),
      'a repeat authorisation',
    );
    assert.ok(
      plans.some((p) => type(p) === 'acute'),
      'an acute course',
    );
    const planRefs = new Set(plans.map((p) => `MedicationRequest/${p.id}`));
    const orders = requests.filter((r) => r.intent === 'order');
    assert.ok(orders.length > plans.length, 'issues');
    for (const o of orders)
      assert.ok(planRefs.has([o.basedOn].flat()[0]?.reference ?? ''), 'each issue is based on a plan');
    const allergies = ofType(bundle, 'AllergyIntolerance');
    assert.ok(
      allergies.some((a) => a.category?.includes('medication')),
      'a drug allergy',
    );
    assert.ok(
      allergies.some((a) => a.category?.includes('environment')),
      'a non-drug allergy',
    );
    assert.ok(ofType(bundle, 'Immunization').length > 0, 'an immunisation');
    const reports = ofType(bundle, 'DiagnosticReport');
    assert.ok(
      reports.length > 0 &&
        reports.every((r) => (r.specimen?.length ?? 0) > 0 && (r.result?.length ?? 0) > 0),
    );
    const observations = ofType(bundle, 'Observation');
    assert.ok(
      observations.some((o) => o.related?.some((m) => m.type === 'has-member')),
      'a battery',
    );
    assert.ok(
      observations.some((o) => o.referenceRange?.[0]?.low && o.referenceRange[0].high),
      'a reference range',
    );
    assert.ok(
      observations.some((o) => o.component?.length === 2),
      'a blood pressure',
    );
    assert.ok(ofType(bundle, 'ReferralRequest').length > 0, 'a referral');
    assert.ok(
      ofType(bundle, 'ProcedureRequest').some((p) => p.intent === 'plan'),
      'a recall',
    );
    const encounters = ofType(bundle, 'Encounter');
    const lists = ofType(bundle, 'List');
    assert.equal(
      lists.filter((l) => l.code?.coding?.[0]?.code === '325851000000107').length,
      encounters.length,
    );
    const documents = ofType(bundle, 'DocumentReference');
    assert.equal(documents.length, 47);
    for (const d of documents) {
      const attachment = d.content[0]?.attachment;
      assert.ok(attachment?.contentType && attachment.title && attachment.size && attachment.url);
    }
  }
});

test('every reference in a record resolves to a resource of the record', () => {
  for (const profile of ['small', 'median', 'distribution'] as const) {
    const { bundle } = generateRecord({ seed: 21, practiceOds: 'A12345', profile });
    const ids = new Set(resources(bundle).map((r) => `${r.resourceType}/${r.id}`));
    const dangling: string[] = [];
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        const ref = (value as Reference).reference;
        if (typeof ref === 'string' && !ids.has(ref)) dangling.push(ref);
        Object.values(value).forEach(visit);
      }
    };
    visit(resources(bundle));
    assert.deepEqual(dangling, [], profile);
  }
});

test('the patient is the one given, or an invented one with a test NHS number', () => {
  const [patient] = generatePatients(4, 1, 'A12345');
  assert.ok(patient);
  const given = generateRecord({ seed: 4, practiceOds: 'A12345', patient, profile: 'small' });
  const fhirPatient = ofType(given.bundle, 'Patient')[0];
  assert.equal(fhirPatient?.identifier?.[0]?.value, patient.nhsNumber);
  assert.equal(fhirPatient?.birthDate, patient.birthDate);
  assert.equal(fhirPatient?.name?.[0]?.family, patient.family);
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      const { patient: invented } = generateRecord({ seed, practiceOds: 'A12345', profile: 'small' });
      assert.ok(invented.nhsNumber.startsWith('999') && isValidNhsNumber(invented.nhsNumber));
    }),
    { numRuns: 20 },
  );
  const numbered = generateRecord({
    seed: 5,
    practiceOds: 'A12345',
    nhsNumber: '9990000018',
    profile: 'small',
  });
  assert.equal(numbered.patient.nhsNumber, '9990000018');
});

test('documents are exactly those asked for, and asking for other documents changes nothing else', () => {
  const base = { seed: 8, practiceOds: 'A12345', profile: 'small' } as const;
  const fixed = generateRecord({ ...base, documents: { count: 12, bytes: 256_000 } });
  assert.equal(fixed.documents.length, 12);
  assert.ok(fixed.documents.every((d) => d.bytes === 256_000));
  const listed = generateRecord({ ...base, documents: { sizes: [1, 2, 3] } });
  assert.deepEqual(
    listed.documents.map((d) => d.bytes),
    [1, 2, 3],
  );
  const clinical = (bundle: Bundle) =>
    resources(bundle).filter((r) => !['DocumentReference', 'List', 'Organization'].includes(r.resourceType));
  assert.deepEqual(clinical(fixed.bundle), clinical(generateRecord(base).bundle));
  const references = ofType(fixed.bundle, 'DocumentReference');
  assert.deepEqual(
    references.map((r) => [r.id, r.content[0]?.attachment.size, r.content[0]?.attachment.contentType]),
    fixed.documents.map((d) => [d.id, d.bytes, d.contentType]),
  );
});

test('document URLs are placeholders, a caller-chosen URL, or rewritten after storing', () => {
  const record = generateRecord({ seed: 9, practiceOds: 'A12345', profile: 'small' });
  const urls = ofType(record.bundle, 'DocumentReference').map((d) => d.content[0]?.attachment.url);
  assert.ok(urls.every((u) => u?.startsWith(SYNTHETIC_DOCUMENT_URL_PREFIX)));
  const served = generateRecord({
    seed: 9,
    practiceOds: 'A12345',
    profile: 'small',
    documentUrl: (d) => `https://gp.example/Binary/${d.id}`,
  });
  assert.ok(
    ofType(served.bundle, 'DocumentReference').every((d) =>
      d.content[0]?.attachment.url?.startsWith('https://gp.example/Binary/'),
    ),
  );
  const [first] = record.documents;
  assert.ok(first);
  const rewritten = withDocumentUrls(record.bundle, (id) =>
    id === first.id ? 'urn:gp2gp:document:ab12' : undefined,
  );
  const after = ofType(rewritten, 'DocumentReference');
  assert.equal(after.find((d) => d.id === first.id)?.content[0]?.attachment.url, 'urn:gp2gp:document:ab12');
  assert.equal(after.filter((d) => d.content[0]?.attachment.url === 'urn:gp2gp:document:ab12').length, 1);
  assert.ok(
    urls.includes(ofType(record.bundle, 'DocumentReference')[0]?.content[0]?.attachment.url),
    'original kept',
  );
});

test('nothing is dated after the day the record runs up to, except what is due later', () => {
  const { bundle } = generateRecord({ seed: 10, practiceOds: 'A12345', asOf: '2020-06-01T00:00:00Z' });
  const late: string[] = [];
  for (const r of resources(bundle)) {
    if (r.resourceType === 'ProcedureRequest' || r.resourceType === 'MedicationRequest') continue; // due dates, validity
    if (r.resourceType === 'MedicationStatement') continue; // a course's planned end
    const text = JSON.stringify(r);
    for (const m of text.matchAll(/"(\d{4}-\d{2}-\d{2})(T[^"]*)?"/g))
      if ((m[1] ?? '') > '2020-06-01') late.push(`${r.resourceType}/${r.id} ${m[0]}`);
  }
  assert.deepEqual(late, []);
  const issued = ofType(bundle, 'MedicationRequest').filter((r) => r.intent === 'order');
  assert.ok(issued.every((o) => (o.authoredOn ?? '') < '2020-06-01'));
});

test('bad options are refused with a clear error', () => {
  assert.throws(() => generateRecord({ seed: 1.5, practiceOds: 'A12345' }), /seed/);
  assert.throws(() => generateRecord({ seed: 1, practiceOds: '' }), /practiceOds/);
  assert.throws(
    () => generateRecord({ seed: 1, practiceOds: 'A12345', nhsNumber: '9434765919' }),
    /test NHS number/,
  );
  assert.throws(() => generateRecord({ seed: 1, practiceOds: 'A12345', clinicians: [] }), /clinician/);
  assert.throws(
    () => generateRecord({ seed: 1, practiceOds: 'A12345', documents: { count: -1, bytes: 5 } }),
    /documents.count/,
  );
  assert.throws(
    () => generateRecord({ seed: 1, practiceOds: 'A12345', documents: { sizes: [1.5] } }),
    /size/,
  );
  assert.throws(() => generateRecord({ seed: 1, practiceOds: 'A12345', asOf: 'soon' }), /asOf/);
  const [patient] = generatePatients(1, 1, 'A12345');
  assert.ok(patient);
  assert.throws(
    () => generateRecord({ seed: 1, practiceOds: 'A12345', patient, nhsNumber: '9990000018' }),
    /not the patient's/,
  );
  assert.throws(
    () =>
      generateRecord({ seed: 1, practiceOds: 'A12345', patient: { ...patient, birthDate: '2030-01-01' } }),
    /birth date/,
  );
});

test('a record is never older than its patient, however young', () => {
  const patients = generatePatients(12, 400, 'A12345', { asOf: '2026-01-01T00:00:00Z' });
  const babies = patients.filter((p) => p.birthDate > '2024-01-01').slice(0, 5);
  assert.ok(babies.length > 0, 'some patients under two');
  for (const [i, patient] of babies.entries()) {
    const { bundle } = generateRecord({ seed: i, practiceOds: 'A12345', patient, profile: 'large' });
    const early: string[] = [];
    for (const r of resources(bundle))
      for (const m of JSON.stringify(r).matchAll(/"(\d{4}-\d{2}-\d{2})(T[^"]*)?"/g))
        if ((m[1] ?? '') < patient.birthDate) early.push(`${r.resourceType}/${r.id} ${m[0]}`);
    assert.deepEqual(early, []);
  }
});
