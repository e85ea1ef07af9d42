import type { CodeableConcept, Observation, Quantity } from 'fhir/r3.js';
import { type RecordDraft, type Recorded, snomedConcept } from './record-draft.ts';
import { ukInstant } from './uk-time.ts';
import { BLOOD_PRESSURE, COMMENT_NOTE, type Concept, type MEASUREMENTS } from './vocabulary.ts';

/** Observations of a consultation: comment notes, findings, measurements and blood pressures. */

const UCUM = 'http://unitsofmeasure.org';

/** A quantity in a UCUM unit. */
export function ucum(value: number, unit: string): Quantity {
  return { value, unit, system: UCUM, code: unit };
}

/** A number rounded to a count of decimals. */
export function rounded(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

function observation(draft: RecordDraft, code: Observation['code'], recorded: Recorded): Observation {
  return {
    resourceType: 'Observation',
    id: draft.id(),
    status: 'final',
    code,
    subject: draft.agents.patient,
    effectiveDateTime: ukInstant(recorded.at),
    issued: ukInstant(recorded.entered),
    performer: [recorded.by.practitioner],
  };
}

/** A free-text note ("Comment note"), as GP Connect sends consultation text. */
export function commentNote(draft: RecordDraft, text: string, recorded: Recorded): Observation {
  return draft.add({ ...observation(draft, snomedConcept(COMMENT_NOTE), recorded), comment: text });
}

/** A coded finding without a value; now and then legacy-coded (or coded as `code` says). */
export function finding(
  draft: RecordDraft,
  concept: Concept,
  recorded: Recorded,
  code: CodeableConcept = draft.entryCode(concept),
): Observation {
  return draft.add(observation(draft, code, recorded));
}

/** A measurement with a plausible adult value in its UCUM unit. */
export function measurement(
  draft: RecordDraft,
  kind: (typeof MEASUREMENTS)[keyof typeof MEASUREMENTS],
  recorded: Recorded,
): Observation {
  const value = Math.max(kind.mean / 4, kind.mean + kind.sd * draft.random.normal());
  return draft.add({
    ...observation(draft, draft.entryCode(kind), recorded),
    valueQuantity: ucum(rounded(value, kind.decimals), kind.unit),
  });
}

/** A blood pressure reading: one Observation with systolic and diastolic components, as GP Connect sends it. */
export function bloodPressure(draft: RecordDraft, recorded: Recorded, hypertensive: boolean): Observation {
  const { random } = draft;
  const systolic = Math.round((hypertensive ? 148 : 124) + 12 * random.normal());
  const diastolic = Math.round(Math.min(systolic - 25, (hypertensive ? 92 : 78) + 8 * random.normal()));
  const bp: Observation = {
    ...observation(draft, snomedConcept(BLOOD_PRESSURE.reading), recorded),
    component: [
      { code: snomedConcept(BLOOD_PRESSURE.systolic), valueQuantity: ucum(systolic, 'mm[Hg]') },
      { code: snomedConcept(BLOOD_PRESSURE.diastolic), valueQuantity: ucum(diastolic, 'mm[Hg]') },
    ],
  };
  if (random.chance(0.3))
    bp.comment = random.pick(['Sitting', 'Left arm, sitting', 'Repeat reading', 'Home reading']);
  return draft.add(bp);
}
