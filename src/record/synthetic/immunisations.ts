import type { Immunization } from 'fhir/r3.js';
import { type RecordDraft, type Recorded, snomedConcept } from './record-draft.ts';
import { ukInstant } from './uk-time.ts';
import type { Concept } from './vocabulary.ts';

const SITES: readonly string[] = ['Left upper arm', 'Right upper arm', 'Left thigh', 'Right thigh'];

/**
 * An immunisation as GP Connect sends it: the vaccination procedure in the CareConnect extension, the vaccine
 * product unknown (GP2GP carries the procedure), with batch and site now and then.
 */
export function immunisation(draft: RecordDraft, procedure: Concept, recorded: Recorded): Immunization {
  const { random } = draft;
  return draft.add<Immunization>({
    resourceType: 'Immunization',
    id: draft.id(),
    extension: [
      {
        url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1',
        valueCodeableConcept: snomedConcept(procedure),
      },
    ],
    status: 'completed',
    notGiven: false,
    patient: draft.agents.patient,
    date: ukInstant(recorded.at),
    primarySource: true,
    practitioner: [{ actor: recorded.by.practitioner }],
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/v3/NullFlavor', code: 'UNK' }] },
    ...(random.chance(0.6)
      ? { lotNumber: `${random.pick(['FL', 'MM', 'HB', 'PC'])}${random.int(1000, 9999)}` }
      : {}),
    ...(random.chance(0.5) ? { site: { text: random.pick(SITES) } } : {}),
  });
}
