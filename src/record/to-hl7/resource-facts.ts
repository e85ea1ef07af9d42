import type { FhirResource, Reference } from 'fhir/r3.js';
import { firstTime } from './statement-times.ts';

/** When an entry happened (for its composition), as an HL7 TS. */
export function resourceTime(resource: FhirResource): string | undefined {
  switch (resource.resourceType) {
    case 'Observation':
      return firstTime(resource.effectiveDateTime, resource.effectivePeriod?.start, resource.issued);
    case 'AllergyIntolerance':
      return firstTime(resource.onsetDateTime, resource.assertedDate);
    case 'Condition':
      return firstTime(resource.onsetDateTime, resource.assertedDate);
    case 'DiagnosticReport':
      return firstTime(resource.effectiveDateTime, resource.issued);
    case 'DocumentReference':
      return firstTime(resource.created, resource.indexed);
    case 'Immunization':
      return firstTime(resource.date);
    case 'MedicationRequest':
      return firstTime(resource.dispenseRequest?.validityPeriod?.start, resource.authoredOn);
    case 'ProcedureRequest':
      return firstTime(resource.authoredOn, resource.occurrenceDateTime, resource.occurrencePeriod?.start);
    case 'ReferralRequest':
      return firstTime(resource.authoredOn);
    default:
      return undefined;
  }
}

/** When an entry was recorded, as an HL7 TS. */
export function resourceRecorded(resource: FhirResource): string | undefined {
  switch (resource.resourceType) {
    case 'Observation':
      return firstTime(resource.issued, resource.effectiveDateTime, resource.effectivePeriod?.start);
    case 'AllergyIntolerance':
      return firstTime(resource.assertedDate, resource.onsetDateTime);
    case 'Condition':
      return firstTime(resource.assertedDate, resource.onsetDateTime);
    case 'DiagnosticReport':
      return firstTime(resource.issued, resource.effectiveDateTime);
    case 'DocumentReference':
      return firstTime(resource.indexed, resource.created);
    // authoredOn is when the prescription was recorded (its course may start later); GP2GP readers take a
    // medication's dateAsserted from the composition's author time.
    case 'MedicationRequest':
      return firstTime(resource.authoredOn, resource.dispenseRequest?.validityPeriod?.start);
    default:
      return resourceTime(resource);
  }
}

/** Who recorded an entry (author of its composition), where the resource says. */
export function resourceAuthor(resource: FhirResource): Reference | undefined {
  switch (resource.resourceType) {
    case 'Observation':
      return firstRef(resource.performer);
    case 'AllergyIntolerance':
      return resource.recorder ?? resource.asserter;
    case 'Condition':
      return resource.asserter;
    case 'DiagnosticReport':
      return resource.performer?.[0]?.actor;
    case 'DocumentReference':
      return firstRef(resource.author);
    case 'Immunization':
      return resource.practitioner?.[0]?.actor;
    case 'MedicationRequest':
      return resource.recorder ?? resource.requester?.agent;
    case 'ProcedureRequest':
      return resource.requester?.agent;
    case 'ReferralRequest':
      return resource.requester?.agent;
    default:
      return undefined;
  }
}

function firstRef(value: Reference | Reference[] | undefined): Reference | undefined {
  return Array.isArray(value) ? value[0] : value;
}
