import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  AllergyIntolerance,
  Bundle,
  DocumentReference,
  FhirResource,
  MedicationStatement,
  Observation,
  Reference,
  ReferralRequest,
  Resource,
} from 'fhir/r3.js';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { baseResources, bundleOf, sct, sequentialIds } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

/* Fields GP2GP has no element for, carried in labelled text or another element, and read back to their place. */

function roundTrip(resources: FhirResource[]): { xml: string; back: Bundle } {
  const { xml } = translateBundleToExtract(bundleOf([...baseResources(), ...resources]), {
    addressing: TEST_ADDRESS,
    newId: sequentialIds(),
  });
  return { xml, back: translateExtractToBundle(xml).bundle };
}

function first<T extends Resource>(bundle: Bundle, type: T['resourceType']): T | undefined {
  return (bundle.entry ?? []).map((e) => e.resource).find((r): r is T => r?.resourceType === type);
}

test('a referral keeps its recipients, description, notes and asap priority', () => {
  const referral: ReferralRequest = {
    resourceType: 'ReferralRequest',
    id: 'ref-1',
    status: 'unknown',
    intent: 'order',
    priority: 'asap',
    subject: { reference: 'Patient/pat-1' },
    reasonCode: [sct('306238000', 'Referral to social services')],
    authoredOn: '2021-01-13',
    recipient: [{ reference: 'Practitioner/prac-1' }, { reference: 'Organization/org-1' }],
    description: 'Seen twice;\nplease review',
    note: [{ text: 'Mode:Written' }],
  };
  const { xml, back } = roundTrip([referral]);
  assert.match(xml, /Priority: ASAP/);
  const got = first<ReferralRequest>(back, 'ReferralRequest');
  assert.equal(got?.priority, 'asap');
  assert.equal(got?.description, 'Seen twice;\nplease review');
  assert.deepEqual(
    ([] as Reference[]).concat(got?.recipient ?? []).map((r) => r.display),
    ['Alex Example', 'Synthetic Surgery'],
  );
  assert.deepEqual(
    got?.note?.map((n) => n.text),
    ['Mode:Written'],
  );
});

test('a course keeps its own notes, apart from its authorisation, and its recorded end date', () => {
  const plan: FhirResource = {
    resourceType: 'MedicationRequest',
    id: 'plan-1',
    status: 'stopped',
    intent: 'plan',
    medicationReference: { reference: 'Medication/med-1' },
    subject: { reference: 'Patient/pat-1' },
    authoredOn: '2020-01-20',
    note: [{ text: 'Patient Notes:Take at night' }],
    extension: [
      {
        url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MedicationStatusReason-1',
        extension: [
          { url: 'statusReason', valueCodeableConcept: { text: 'Patient preference' } },
          { url: 'statusChangeDate', valueDateTime: '2020-03-02T15:52:15+00:00' },
        ],
      },
    ],
    dosageInstruction: [{ text: 'take one daily' }],
    dispenseRequest: { validityPeriod: { start: '2020-01-20', end: '2020-03-02' } },
  };
  const course: MedicationStatement = {
    resourceType: 'MedicationStatement',
    id: 'plan-1-MS',
    basedOn: [{ reference: 'MedicationRequest/plan-1' }],
    status: 'stopped',
    medicationReference: { reference: 'Medication/med-1' },
    subject: { reference: 'Patient/pat-1' },
    taken: 'unk',
    effectivePeriod: { start: '2020-01-20', end: '2020-03-02' },
    note: [{ text: 'Patient Notes:Take at night' }, { text: 'Patient Notes:Issue number 1 Take at night' }],
  };
  const medication: FhirResource = {
    resourceType: 'Medication',
    id: 'med-1',
    code: sct('408037007', 'Rosuvastatin 5mg tablets'),
  };
  const { back } = roundTrip([medication, plan, course]);
  const got = first<MedicationStatement>(back, 'MedicationStatement');
  assert.deepEqual(
    got?.note?.map((n) => n.text),
    ['Patient Notes:Take at night', 'Patient Notes:Issue number 1 Take at night'],
  );
  assert.equal(got?.effectivePeriod?.end, '2020-03-02', 'the recorded end, not the moment it was stopped');
  const request = (back.entry ?? [])
    .map((e) => e.resource)
    .find((r) => r?.resourceType === 'MedicationRequest');
  const planNotes = (request as { note?: { text?: string }[] } | undefined)?.note?.map((n) => n.text) ?? [];
  assert.ok(planNotes.includes('Patient Notes:Take at night'));
  assert.ok(!planNotes.some((n) => n?.includes('Issue number 1')), "the course's notes are not the plan's");
});

test('unknown times stay unknown; a document keeps when it was created', () => {
  const allergy: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: 'alg-1',
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    category: ['medication'],
    code: sct('292971006', 'Adverse reaction to pivampicillin'),
    patient: { reference: 'Patient/pat-1' },
    assertedDate: '2019-01-28T13:43:36+00:00',
  };
  const undated: Observation = {
    resourceType: 'Observation',
    id: 'obs-1',
    status: 'final',
    code: sct('76880004', 'Angelman syndrome'),
    subject: { reference: 'Patient/pat-1' },
    issued: '2013-11-18T09:41:49+00:00',
  };
  const document: DocumentReference = {
    resourceType: 'DocumentReference',
    id: 'doc-1',
    status: 'current',
    type: { text: 'Referral letter' },
    created: '2020-12-22T14:46:00+00:00',
    indexed: '2020-12-22T14:48:54+00:00',
    content: [{ attachment: { contentType: 'text/plain', url: 'https://example.invalid/Binary/doc-1' } }],
  };
  const { back } = roundTrip([allergy, undated, document]);
  assert.equal(first<AllergyIntolerance>(back, 'AllergyIntolerance')?.onsetDateTime, undefined);
  const obs = first<Observation>(back, 'Observation');
  assert.equal(obs?.effectiveDateTime ?? obs?.effectivePeriod, undefined);
  const doc = first<DocumentReference>(back, 'DocumentReference');
  assert.equal(doc?.created, '2020-12-22T14:46:00+00:00');
  assert.equal(doc?.indexed?.startsWith('2020-12-22T14:48:54'), true);
});
