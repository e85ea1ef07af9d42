import type { MedicationRequest } from 'fhir/r3.js';
import type { TranslationContext } from './context.ts';
import { cleanText } from './text.ts';

/** The label that marks a course's note among its authorisation's supply annotations (read back by from-hl7). */
export const STATEMENT_NOTE = 'Statement Note: ';

/**
 * The notes of the course (GP Connect MedicationStatement) based on an authorisation, each labelled. GP2GP has no
 * statement of its own for a course: it is the authorisation, so its notes travel as the authorisation's
 * supply annotations, marked apart from the authorisation's own notes.
 */
export function courseNotes(ctx: TranslationContext, plan: MedicationRequest): string[] {
  const key = ctx.index.keyFor(plan);
  if (key === undefined) return [];
  return ctx.index
    .ofType('MedicationStatement')
    .filter((ms) =>
      (Array.isArray(ms.basedOn) ? ms.basedOn : []).some((b) => ctx.index.resolveKey(b) === key),
    )
    .flatMap((ms) => (Array.isArray(ms.note) ? ms.note : []))
    .map((n) => cleanText(n?.text))
    .filter((t): t is string => t !== undefined)
    .map((t) => `${STATEMENT_NOTE}${t}`);
}
