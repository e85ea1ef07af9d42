import type { Bundle, FhirResource } from 'fhir/r3.js';

/** Synthetic data only: NHS number in the 999 test range (passes modulus 11), invented people and places. */
export const SYNTHETIC_NHS_NUMBER = '9990000018';

const SCT = 'http://snomed.info/sct';
const READ = 'http://read.info/readv2';
const LIST_SYSTEM = SCT;

/** A SNOMED CodeableConcept. */
export function sct(
  code: string,
  display: string,
): { coding: { system: string; code: string; display: string }[] } {
  return { coding: [{ system: SCT, code, display }] };
}

/** A bundle holding the given resources. */
export function bundleOf(resources: readonly FhirResource[]): Bundle {
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

/** Patient, practice, clinician: the agents every synthetic record needs. */
export function baseResources(): FhirResource[] {
  return [
    {
      resourceType: 'Patient',
      id: 'pat-1',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: SYNTHETIC_NHS_NUMBER }],
      managingOrganization: { reference: 'Organization/org-1' },
    },
    {
      resourceType: 'Organization',
      id: 'org-1',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'X99001' }],
      name: 'Synthetic Surgery',
      telecom: [{ system: 'phone', value: '0000 000000' }],
      address: [{ line: ['1 Test Street'], city: 'Testtown', postalCode: 'ZZ99 9ZZ' }],
    },
    {
      resourceType: 'Practitioner',
      id: 'prac-1',
      name: [{ family: 'Example', given: ['Alex'], prefix: ['Dr'] }],
    },
    {
      resourceType: 'PractitionerRole',
      id: 'role-1',
      practitioner: { reference: 'Practitioner/prac-1' },
      organization: { reference: 'Organization/org-1' },
      code: [{ text: 'General Medical Practitioner' }],
    },
    { resourceType: 'Location', id: 'loc-1', name: 'Synthetic Surgery Main Site' },
  ];
}

/** A consultation: Encounter + Consultation list → Topic → Category holding the given entry references. */
export function consultation(
  id: string,
  entryRefs: readonly string[],
  looseRefs: readonly string[] = [],
): FhirResource[] {
  return [
    {
      resourceType: 'Encounter',
      id,
      status: 'finished',
      type: [{ text: 'Surgery consultation' }],
      period: { start: '2021-03-04T10:15:00+00:00' },
      participant: [
        {
          type: [{ coding: [{ system: 'http://hl7.org/fhir/v3/ParticipationType', code: 'PPRF' }] }],
          individual: { reference: 'Practitioner/prac-1' },
        },
      ],
      location: [{ location: { reference: 'Location/loc-1' } }],
    },
    list(`${id}-consultation`, '325851000000107', 'Consultation', [`List/${id}-topic`], {
      encounter: { reference: `Encounter/${id}` },
      date: '2021-03-04T10:20:00+00:00',
    }),
    list(`${id}-topic`, '25851000000105', 'Topic (EHR)', [`List/${id}-category`, ...looseRefs], {
      title: 'Chest pain',
    }),
    list(`${id}-category`, '24781000000107', 'Category (EHR)', entryRefs, { title: 'Examination' }),
  ];
}

function list(
  id: string,
  code: string,
  display: string,
  refs: readonly string[],
  extra: Record<string, unknown>,
): FhirResource {
  return {
    resourceType: 'List',
    id,
    status: 'current',
    mode: 'snapshot',
    code: { coding: [{ system: LIST_SYSTEM, code, display }] },
    entry: refs.map((reference) => ({ item: { reference } })),
    ...extra,
  } as FhirResource;
}

/** One resource of every clinical kind, some inside a consultation, the rest outside. */
export function clinicalResources(): FhirResource[] {
  return [
    {
      resourceType: 'Observation',
      id: 'obs-1',
      status: 'final',
      code: {
        coding: [
          { system: READ, code: '22K..00', display: 'Body Mass Index' },
          { system: SCT, code: '60621009', display: 'Body mass index' },
        ],
      },
      effectiveDateTime: '2021-03-04T10:15:00+00:00',
      issued: '2021-03-04T10:30:00+00:00',
      valueQuantity: { value: 24.5, unit: 'kg/m2', system: 'http://unitsofmeasure.org', code: 'kg/m2' },
      comment: 'Measured in clinic',
      performer: [{ reference: 'Practitioner/prac-1' }],
    },
    {
      resourceType: 'Observation',
      id: 'bp-1',
      status: 'final',
      code: sct('163020007', 'O/E - blood pressure reading'),
      effectiveDateTime: '2021-03-04T10:16:00+00:00',
      comment: 'Sitting',
      component: [
        {
          code: sct('72313002', 'Systolic arterial pressure'),
          valueQuantity: { value: 128, unit: 'mm[Hg]' },
        },
        {
          code: sct('1091811000000102', 'Diastolic arterial pressure'),
          valueQuantity: { value: 82, unit: 'mm[Hg]' },
        },
      ],
    },
    {
      resourceType: 'Observation',
      id: 'comment-1',
      status: 'final',
      code: sct('37331000000100', 'Comment note'),
      effectiveDateTime: '2021-03-04',
      comment: 'Patient well.',
    },
    {
      resourceType: 'Observation',
      id: 'obs-degraded',
      status: 'final',
      code: {
        coding: [{ system: READ, code: 'XaBcD', display: 'Local only finding' }],
        text: 'Local only finding',
      },
      effectiveDateTime: '2020-01-01',
    },
    {
      resourceType: 'Condition',
      id: 'cond-1',
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
      code: sct('38341003', 'Hypertensive disorder'),
      subject: { reference: 'Patient/pat-1' },
      onsetDateTime: '2019-05-01',
      assertedDate: '2019-05-02T09:00:00+01:00',
      asserter: { reference: 'Practitioner/prac-1' },
      extension: [
        {
          url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ProblemSignificance-1',
          valueCode: 'major',
        },
        {
          url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1',
          valueReference: { reference: 'Observation/bp-1' },
        },
      ],
    },
    {
      resourceType: 'AllergyIntolerance',
      id: 'allergy-1',
      clinicalStatus: 'active',
      verificationStatus: 'confirmed',
      category: ['medication'],
      code: sct('294505008', 'Amoxicillin allergy'),
      patient: { reference: 'Patient/pat-1' },
      assertedDate: '2018-02-03',
      recorder: { reference: 'Practitioner/prac-1' },
      reaction: [{ manifestation: [{ text: 'Rash' }] }],
    },
    { resourceType: 'Medication', id: 'med-1', code: sct('322236009', 'Paracetamol 500mg tablets') },
    {
      resourceType: 'MedicationRequest',
      id: 'plan-1',
      status: 'active',
      intent: 'plan',
      medicationReference: { reference: 'Medication/med-1' },
      subject: { reference: 'Patient/pat-1' },
      authoredOn: '2021-01-01',
      recorder: { reference: 'Practitioner/prac-1' },
      dosageInstruction: [{ text: 'One or two four times a day' }],
      dispenseRequest: { quantity: { value: 100, unit: 'tablet' }, validityPeriod: { start: '2021-01-01' } },
    },
    {
      resourceType: 'MedicationRequest',
      id: 'order-1',
      status: 'completed',
      intent: 'order',
      basedOn: [{ reference: 'MedicationRequest/plan-1' }],
      medicationReference: { reference: 'Medication/med-1' },
      subject: { reference: 'Patient/pat-1' },
      authoredOn: '2021-01-01',
      dosageInstruction: [{ text: 'One or two four times a day' }],
      dispenseRequest: { quantity: { value: 100, unit: 'tablet' } },
    },
    {
      resourceType: 'Immunization',
      id: 'imm-1',
      status: 'completed',
      notGiven: false,
      primarySource: true,
      patient: { reference: 'Patient/pat-1' },
      date: '2020-10-10',
      vaccineCode: sct('39114911000001105', 'Influenza vaccine'),
    },
    {
      resourceType: 'ProcedureRequest',
      id: 'plan-recall',
      status: 'active',
      intent: 'plan',
      subject: { reference: 'Patient/pat-1' },
      code: sct('185389009', 'Follow-up visit'),
      occurrenceDateTime: '2021-06-01',
      authoredOn: '2021-03-04',
    },
    {
      resourceType: 'ReferralRequest',
      id: 'ref-1',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/pat-1' },
      priority: 'routine',
      reasonCode: [sct('183519002', 'Referral to cardiology service')],
      recipient: [{ reference: 'Organization/org-1' }],
      authoredOn: '2021-03-04',
    },
    {
      resourceType: 'DocumentReference',
      id: 'doc-1',
      status: 'current',
      type: { text: 'Discharge summary' },
      indexed: '2021-02-02T12:00:00+00:00',
      content: [
        { attachment: { contentType: 'application/pdf', url: 'https://example.invalid/Binary/doc-1' } },
      ],
    },
    {
      resourceType: 'DocumentReference',
      id: 'doc-absent',
      status: 'current',
      type: { text: 'Scanned letter' },
      indexed: '2021-02-03',
      content: [],
    },
    {
      resourceType: 'DiagnosticReport',
      id: 'dr-1',
      status: 'final',
      code: sct('721981007', 'Diagnostic studies report'),
      issued: '2021-02-10T09:00:00+00:00',
      specimen: [{ reference: 'Specimen/spec-1' }],
      result: [{ reference: 'Observation/lab-1' }],
      conclusion: 'Normal',
    },
    {
      resourceType: 'Specimen',
      id: 'spec-1',
      type: { text: 'Serum' },
      receivedTime: '2021-02-09T15:00:00+00:00',
      collection: { collectedDateTime: '2021-02-09' },
    },
    {
      resourceType: 'Observation',
      id: 'lab-1',
      status: 'final',
      code: sct('1000661000000107', 'Serum sodium level'),
      issued: '2021-02-10T09:00:00+00:00',
      specimen: { reference: 'Specimen/spec-1' },
      valueQuantity: { value: 140, unit: 'mmol/L' },
      referenceRange: [{ low: { value: 133, unit: 'mmol/L' }, high: { value: 146, unit: 'mmol/L' } }],
      interpretation: { coding: [{ system: 'http://hl7.org/fhir/v2/0078', code: 'N', display: 'Normal' }] },
    },
  ] as FhirResource[];
}

/** The full synthetic record: base, one consultation (BMI, BP, comment), everything else outside. */
export function syntheticBundle(): Bundle {
  return bundleOf([
    ...baseResources(),
    ...consultation('enc-1', ['Observation/obs-1', 'Observation/bp-1'], ['Observation/comment-1']),
    ...clinicalResources(),
  ]);
}

/** A deterministic id generator for tests (upper-case UUIDs). */
export function sequentialIds(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString(16).toUpperCase().padStart(12, '0')}`;
}
