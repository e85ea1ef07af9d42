import type { Condition, FhirResource } from 'fhir/r3.js';
import { conceptText } from './coded.ts';
import { isStoppedOrder } from './medication.ts';

/**
 * The "transformed problem header": where a problem's actual problem is an entry that is not an
 * ObservationStatement (an allergy, an immunisation, a medication…), a LinkSet still has to name an
 * ObservationStatement. The NHS sending adaptor (integration-adaptor-gp2gp-sending, "Generated Observation
 * Statement" in NHS England's mapping documentation) makes one whose annotation reads
 * `Problem Info: Problem Notes: … Transformed {Type} problem header Originally coded: {text}` and links the actual
 * entry from the LinkSet with a statementRef. We write the same marker, with the Condition's own code (not
 * "Problem" 55607006) and its notes one a line, so the reader can give the problem back its code, notes and
 * actual problem (`from-hl7/problem-header.ts`).
 */

/** Resource types whose statement a transformed header may point at (their statements are in the extract). */
const TRANSFORMABLE = new Set([
  'AllergyIntolerance',
  'Immunization',
  'MedicationRequest',
  'ProcedureRequest',
  'ReferralRequest',
  'DocumentReference',
  'DiagnosticReport',
]);

/** True where the actual problem is written as its own (non-Observation) statement the LinkSet can point at. */
export function needsTransformedHeader(target: FhirResource | undefined): target is FhirResource {
  if (!target || !TRANSFORMABLE.has(target.resourceType)) return false;
  // A stopped issue is never sent, so there is no statement to point at.
  return !(target.resourceType === 'MedicationRequest' && isStoppedOrder(target));
}

/** The header's annotation: the marker line (as the NHS sending adaptor words it), then the problem's notes. */
export function transformedHeaderText(
  condition: Condition,
  target: FhirResource,
  conditionNotes: readonly (string | undefined)[] = (Array.isArray(condition.note) ? condition.note : []).map(
    (n) => n?.text,
  ),
): string {
  const original = conceptText(condition.code);
  const marker = `Problem Info: Transformed ${target.resourceType} problem header${original ? ` Originally coded: ${firstLine(original)}` : ''}`;
  const notes = conditionNotes.map((t) => t?.trim()).filter((t): t is string => t !== undefined && t !== '');
  return notes.length > 0 ? `${marker}\nProblem Notes: ${notes.join('\n')}` : marker;
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}
