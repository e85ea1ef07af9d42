import type { CodeableConcept, Condition, Extension, Reference } from 'fhir/r3.js';
import type { ProblemKind } from './problems-and-drugs.ts';
import type { RecordDraft, Recorded } from './record-draft.ts';
import { ukDate, ukInstant } from './uk-time.ts';

const CARE_CONNECT = 'https://fhir.hl7.org.uk/STU3/StructureDefinition';

/** A problem as the record holds it: what, when, and the entries that belong to it. */
export interface ProblemEpisode {
  readonly kind: ProblemKind;
  /** Its code, as its actual problem entry carries it (SNOMED CT, or a legacy code). */
  readonly code: CodeableConcept;
  /** When it was diagnosed (recorded in a consultation). */
  readonly diagnosed: Recorded;
  /** When a past problem was resolved; undefined while it is active. */
  readonly resolved?: number;
  /** The entry coding the problem in the consultation where it was diagnosed (GP Connect's actual problem). */
  readonly actual: Reference;
  /** Entries recorded for it since: treatment, reviews, results. */
  readonly related: Reference[];
}

/**
 * The Condition for a problem: active (major) or past (minor, with its end), pointing at its actual problem
 * and related clinical content with the CareConnect extensions, as GP Connect links a problem to its entries.
 */
export function condition(draft: RecordDraft, problem: ProblemEpisode): Condition {
  const active = problem.resolved === undefined;
  const extension: Extension[] = [
    {
      url: `${CARE_CONNECT}/Extension-CareConnect-ProblemSignificance-1`,
      valueCode: active ? 'major' : 'minor',
    },
    { url: `${CARE_CONNECT}/Extension-CareConnect-ActualProblem-1`, valueReference: problem.actual },
    ...problem.related.map((valueReference) => ({
      url: `${CARE_CONNECT}/Extension-CareConnect-RelatedClinicalContent-1`,
      valueReference,
    })),
  ];
  return draft.add<Condition>({
    resourceType: 'Condition',
    id: draft.id(),
    extension,
    clinicalStatus: active ? 'active' : 'inactive',
    verificationStatus: 'confirmed',
    code: problem.code,
    subject: draft.agents.patient,
    onsetDateTime: ukDate(problem.diagnosed.at),
    ...(problem.resolved !== undefined ? { abatementDateTime: ukDate(problem.resolved) } : {}),
    assertedDate: ukInstant(problem.diagnosed.at),
    asserter: problem.diagnosed.by.practitioner,
    ...(draft.random.chance(0.2)
      ? {
          note: [
            {
              text: draft.random.pick([
                'Patient aware',
                'Reviewed at annual check',
                'Managed in primary care',
              ]),
            },
          ],
        }
      : {}),
  });
}
