import type { FhirResource, Patient, Practitioner, PractitionerRole } from 'fhir/r3.js';
import type { SyntheticPatient } from './demographics.ts';
import { landline } from './demographics.ts';
import { FAMILY_NAMES, FEMALE_GIVEN, MALE_GIVEN, STREET_KINDS, STREET_NAMES } from './people-names.ts';
import type { SeededRandom } from './random.ts';
import { type RecordAgents, refTo, type StaffMember } from './record-draft.ts';

/** A member of the practice's clinical staff, for the record's Practitioners. */
export interface SyntheticClinician {
  readonly given: string;
  readonly family: string;
  readonly role: StaffMember['role'];
}

const ROLE_NAMES: Readonly<Record<StaffMember['role'], string>> = {
  gp: 'General Medical Practitioner',
  nurse: 'Practice Nurse',
  hca: 'Health Care Assistant',
};

/**
 * `count` invented clinicians: GPs first (at least one), then nurses and a health care assistant.
 *
 * @example
 * generateClinicians(new SeededRandom(1), 4) // [{ given: 'Priya', family: 'Walker', role: 'gp' }, …]
 */
export function generateClinicians(random: SeededRandom, count: number): SyntheticClinician[] {
  return Array.from({ length: Math.max(1, count) }, (_, i) => ({
    given: random.pick(random.chance(0.5) ? FEMALE_GIVEN : MALE_GIVEN),
    family: random.pick(FAMILY_NAMES),
    role: i < Math.max(1, Math.ceil(count / 2)) ? 'gp' : i === count - 1 && count > 2 ? 'hca' : 'nurse',
  }));
}

/**
 * The agents of a record: the patient, their practice (Organization with its ODS code, and its main site), and
 * a Practitioner with a PractitionerRole per clinician. Returns the resources and how entries refer to them.
 */
export function practiceAgents(
  random: SeededRandom,
  patient: SyntheticPatient,
  practice: {
    readonly ods: string;
    readonly name?: string;
    readonly clinicians: readonly SyntheticClinician[];
  },
): { resources: FhirResource[]; agents: RecordAgents } {
  const town = patient.address.line.at(-1) ?? 'Brackenford';
  const name = practice.name ?? `${town} ${random.pick(['Medical Practice', 'Surgery', 'Health Centre'])}`;
  const organization: FhirResource = {
    resourceType: 'Organization',
    id: random.uuid(),
    identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: practice.ods }],
    name,
    telecom: [{ system: 'phone', value: landline(random), use: 'work' }],
    address: [
      {
        use: 'work',
        line: [`${random.int(1, 90)} ${random.pick(STREET_NAMES)} ${random.pick(STREET_KINDS)}`],
        city: town,
        postalCode: patient.address.postalCode,
      },
    ],
  };
  const location: FhirResource = { resourceType: 'Location', id: random.uuid(), name: `${name} main site` };
  const people: FhirResource[] = [];
  const staff: StaffMember[] = practice.clinicians.map((clinician) => {
    const practitioner: Practitioner = {
      resourceType: 'Practitioner',
      id: random.uuid(),
      identifier: [
        { system: 'https://fhir.nhs.uk/Id/sds-user-id', value: String(random.int(1e11, 1e12 - 1)) },
      ],
      name: [
        {
          use: 'official',
          family: clinician.family,
          given: [clinician.given],
          ...(clinician.role === 'gp' ? { prefix: ['Dr'] } : {}),
        },
      ],
    };
    const role: PractitionerRole = {
      resourceType: 'PractitionerRole',
      id: random.uuid(),
      practitioner: refTo(practitioner),
      organization: refTo(organization),
      code: [{ text: ROLE_NAMES[clinician.role] }],
    };
    people.push(practitioner, role);
    return { practitioner: refTo(practitioner), role: clinician.role };
  });
  const usualGp = staff.find((s) => s.role === 'gp') ?? staff[0];
  const patientResource: Patient = {
    resourceType: 'Patient',
    id: random.uuid(),
    identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: patient.nhsNumber }],
    name: [
      {
        use: 'official',
        family: patient.family,
        given: [...patient.given],
        ...(patient.prefix ? { prefix: [patient.prefix] } : {}),
      },
    ],
    telecom: patient.telecom.map((t) => ({ ...t })),
    gender: patient.gender,
    birthDate: patient.birthDate,
    address: [
      {
        use: 'home',
        type: 'physical',
        line: patient.address.line.slice(0, -1),
        city: town,
        postalCode: patient.address.postalCode,
      },
    ],
    ...(usualGp ? { generalPractitioner: [usualGp.practitioner] } : {}),
    managingOrganization: refTo(organization),
  };
  return {
    resources: [patientResource, organization, location, ...people],
    agents: {
      patient: refTo(patientResource),
      organization: refTo(organization),
      location: refTo(location),
      staff,
    },
  };
}
