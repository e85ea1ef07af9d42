import type { AllergyIntolerance } from 'fhir/r3.js';
import { DRUG_ALLERGIES, type DrugAllergyKind } from './problems-and-drugs.ts';
import { type RecordDraft, type Recorded, snomedConcept } from './record-draft.ts';
import { ukDate, ukInstant } from './uk-time.ts';
import { OTHER_ALLERGIES, REACTIONS } from './vocabulary.ts';

/**
 * A drug allergy: the allergy concept and, in the reaction, the dm+d product that caused it; now and then coded
 * with a legacy code only (then it degrades to the drug-allergy degrade code on transfer).
 */
export function drugAllergy(draft: RecordDraft, recorded: Recorded): AllergyIntolerance {
  const chosen = draft.random.pick(DRUG_ALLERGIES);
  return allergy(draft, recorded, 'medication', draft.entryCode(chosen.concept), chosen.substance);
}

/** A non-drug allergy (food, latex, stings): category environment, as GP Connect sends them. */
export function nonDrugAllergy(draft: RecordDraft, recorded: Recorded): AllergyIntolerance {
  const concept = draft.entryCode(draft.random.pick(OTHER_ALLERGIES));
  return allergy(draft, recorded, 'environment', concept, undefined);
}

function allergy(
  draft: RecordDraft,
  recorded: Recorded,
  category: 'medication' | 'environment',
  code: AllergyIntolerance['code'],
  substance: DrugAllergyKind['substance'],
): AllergyIntolerance {
  const { random } = draft;
  return draft.add<AllergyIntolerance>({
    resourceType: 'AllergyIntolerance',
    id: draft.id(),
    // Most allergies stay on the record for life; a few are found to be wrong or outgrown.
    clinicalStatus: random.chance(0.9) ? 'active' : 'resolved',
    verificationStatus: 'confirmed',
    category: [category],
    code,
    patient: draft.agents.patient,
    onsetDateTime: ukDate(recorded.at),
    assertedDate: ukInstant(recorded.at),
    recorder: recorded.by.practitioner,
    reaction: [
      {
        ...(substance ? { substance: snomedConcept(substance) } : {}),
        manifestation: [{ text: random.pick(REACTIONS) }],
      },
    ],
  });
}
