import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, DiagnosticReport, Observation, Resource, Specimen } from 'fhir/r3.js';
import { pathologyReport } from './fixtures/pathology-extract.ts';
import { syntheticExtract } from './fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './translate-extract.ts';

function byId<T extends Resource>(bundle: Bundle, type: T['resourceType'], id: string): T {
  const found = (bundle.entry ?? [])
    .map((e) => e.resource)
    .find((r) => r?.resourceType === type && r.id === id);
  assert.ok(found, `${type}/${id} expected`);
  return found as T;
}

function ofType<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

const { bundle, warnings } = translateExtractToBundle(syntheticExtract({ consultation: pathologyReport() }));

test('a laboratory reporting CompoundStatement becomes a DiagnosticReport with its specimen and results', () => {
  const report = byId<DiagnosticReport>(bundle, 'DiagnosticReport', 'REPORT-1');
  assert.deepEqual(report.code.coding?.[0]?.code, '721981007');
  assert.equal(report.status, 'final', 'status read back from its labelled comment');
  assert.equal(report.conclusion, 'Results within normal limits');
  assert.equal(report.issued, '2023-07-05T08:00:00.000+00:00', 'BST wall clock read as UTC');
  assert.equal(report.effectiveDateTime, '2023-07-04');
  assert.equal(report.context?.reference, 'Encounter/COMP-1');
  assert.deepEqual(
    report.specimen?.map((s) => s.reference),
    ['Specimen/SPECIMEN-1'],
  );
  const results = (report.result ?? []).map((r) => r.reference);
  for (const id of ['RESULT-NA', 'RESULT-K', 'BATTERY-FBC', 'NOTE-USER'])
    assert.ok(results.includes(`Observation/${id}`), `${id} is a result`);
  assert.ok(!results.includes('Observation/RESULT-HB'), 'battery members are reached through the battery');
  assert.deepEqual(warnings, []);
});

test('the specimen carries accession, material, collection and the labelled facts of its comment', () => {
  const specimen = byId<Specimen>(bundle, 'Specimen', 'SPECIMEN-1');
  assert.equal(specimen.accessionIdentifier?.value, 'AB123456');
  assert.equal(specimen.type?.text, 'Serum');
  assert.equal(specimen.collection?.collectedDateTime, '2023-07-04T07:30:00+00:00');
  assert.equal(specimen.collection?.bodySite?.text, 'Left arm');
  assert.equal(specimen.receivedTime, '2023-07-04T13:00:00+00:00');
  assert.deepEqual(specimen.note, [{ text: 'Slightly haemolysed' }]);
});

test('results are laboratory Observations of the specimen; cluster notes become their notes and comments', () => {
  const sodium = byId<Observation>(bundle, 'Observation', 'RESULT-NA');
  assert.equal(sodium.specimen?.reference, 'Specimen/SPECIMEN-1');
  assert.equal(sodium.category?.[0]?.coding?.[0]?.code, 'laboratory');
  assert.equal(sodium.valueQuantity?.value, 140);
  const potassium = byId<Observation>(bundle, 'Observation', 'RESULT-K');
  assert.equal(potassium.interpretation?.text, 'Normal');
  assert.equal(potassium.comment, 'Repeat in a year');
  const informed = byId<Observation>(bundle, 'Observation', 'NOTE-K-USER');
  assert.equal(informed.comment, 'Patient informed');
  assert.equal(informed.effectiveDateTime, '2023-07-06');
  assert.deepEqual(informed.related, [
    { type: 'derived-from', target: { reference: 'Observation/RESULT-K' } },
  ]);
});

test('a battery is a header Observation with its members, and its narrative as the header note', () => {
  const fbc = byId<Observation>(bundle, 'Observation', 'BATTERY-FBC');
  assert.deepEqual(
    fbc.related?.map((r) => `${r.type} ${r.target.reference}`),
    ['has-member Observation/RESULT-HB', 'has-member Observation/RESULT-WBC'],
  );
  assert.equal(fbc.comment, 'Film not required');
  const haemoglobin = byId<Observation>(bundle, 'Observation', 'RESULT-HB');
  assert.deepEqual(haemoglobin.related, [
    { type: 'derived-from', target: { reference: 'Observation/BATTERY-FBC' } },
  ]);
  assert.equal(haemoglobin.specimen?.reference, 'Specimen/SPECIMEN-1');
});

test('a filing comment is a Comment note result dated by its comment date; lab comments are not results', () => {
  const filed = byId<Observation>(bundle, 'Observation', 'NOTE-USER');
  assert.equal(filed.code.coding?.[0]?.code, '37331000000100');
  assert.equal(filed.comment, 'Reviewed, no action');
  assert.equal(filed.effectiveDateTime, '2023-07-06T09:30:00+00:00');
  const ids = ofType<Observation>(bundle, 'Observation').map((o) => o.id);
  for (const id of ['NOTE-E141', 'NOTE-STATUS', 'NOTE-FILED', 'NOTE-E271', 'NOTE-K', 'NOTE-FBC'])
    assert.ok(!ids.includes(id), `${id} is read into its resource, not made an Observation`);
});

test("a sender's stand-in specimen (accession NOT PRESENT) makes no Specimen; its results still count", () => {
  const out = translateExtractToBundle(syntheticExtract({ consultation: pathologyReport(true) })).bundle;
  assert.equal(ofType<Specimen>(out, 'Specimen').length, 0);
  const report = byId<DiagnosticReport>(out, 'DiagnosticReport', 'REPORT-1');
  assert.equal(report.specimen, undefined);
  assert.ok(report.result?.some((r) => r.reference === 'Observation/RESULT-NA'));
  assert.equal(byId<Observation>(out, 'Observation', 'RESULT-NA').specimen, undefined);
});
