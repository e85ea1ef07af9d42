import { drugAllergy, nonDrugAllergy } from './allergies.ts';
import { type SyntheticDocument, syntheticDocument } from './documents.ts';
import { clinicTime, type History } from './history.ts';
import { immunisation } from './immunisations.ts';
import { acuteCourse } from './medications.ts';
import { bloodPressure } from './observations.ts';
import { pathologyReport } from './pathology.ts';
import { DRUGS, type ProblemKind } from './problems-and-drugs.ts';
import type { RecordDraft } from './record-draft.ts';
import { hospital, recall, referral } from './referrals-and-recalls.ts';
import { DAY_MS, startOfDay, ukWallClock } from './uk-time.ts';
import { CHILDHOOD_IMMUNISATIONS, FLU_VACCINATION, HEPATITIS_B_VACCINATION } from './vocabulary.ts';

/** Drugs a GP gives as a one-off course. */
const ACUTE_DRUGS = [
  DRUGS.amoxicillin,
  DRUGS.paracetamol,
  DRUGS.cocodamol,
  DRUGS.ciprofloxacin,
  DRUGS.omeprazole,
];

/**
 * The entries of a record besides its problems: acute courses, allergies, pathology, referrals, recalls and
 * immunisations, filed in consultations (or outside them, as practices file recalls, results and vaccinations).
 */
export function writeEntries(history: History, chronic: readonly ProblemKind[]): void {
  const { draft, shape, asOf, town } = history.context;
  const { random } = draft;
  for (let i = 0; i < shape.acuteCourses; i++) {
    const consultation = history.pick();
    const drug = random.pick(ACUTE_DRUGS);
    consultation.file(undefined, 'Medication', acuteCourse(draft, drug, consultation.recorded(), asOf));
  }
  for (let i = 0; i < shape.drugAllergies; i++) {
    const consultation = history.pick();
    consultation.file(undefined, 'Allergies', drugAllergy(draft, consultation.recorded()));
  }
  for (let i = 0; i < shape.otherAllergies; i++) {
    const consultation = history.pick();
    consultation.file(undefined, 'Allergies', nonDrugAllergy(draft, consultation.recorded()));
  }
  const lab = hospital(draft, town, 'Pathology Laboratory');
  for (let i = 0; i < shape.pathologyReports; i++) {
    const consultation = history.pick();
    const report = pathologyReport(draft, consultation.recorded(), lab);
    // Half are filed in the consultation that asked for them; the rest arrive on their own.
    if (random.chance(0.5)) consultation.file(undefined, 'Test results', report);
  }
  for (let i = 0; i < shape.referrals; i++) {
    const consultation = history.pick();
    consultation.file(undefined, 'Referral', referral(draft, consultation.recorded(), hospital(draft, town)));
  }
  for (let i = 0; i < shape.recalls; i++) {
    const consultation = history.pick();
    const planned = recall(draft, consultation.recorded());
    if (random.chance(0.5)) consultation.file(undefined, 'Plan', planned);
  }
  writeImmunisations(history, chronic);
  if (shape.everyKind) {
    const consultation = history.pick();
    consultation.file(undefined, 'Examination', bloodPressure(draft, consultation.recorded(), false));
  }
}

/** The childhood schedule where the record covers childhood, flu vaccinations each autumn the patient qualifies. */
function writeImmunisations(history: History, chronic: readonly ProblemKind[]): void {
  const { draft, birth, start, asOf, shape } = history.context;
  const { random } = draft;
  let given = 0;
  for (const [procedure, ageDays] of CHILDHOOD_IMMUNISATIONS) {
    const at = ukWallClock(startOfDay(birth) + (ageDays + random.int(0, 14)) * DAY_MS, random.int(9, 16), 0);
    if (at < start || at >= asOf) continue;
    immunisation(draft, procedure, draft.recordedAt(at));
    given++;
  }
  const fluEligible = chronic.some((k) => k.fluEligible);
  for (let year = new Date(start).getUTCFullYear(); year <= new Date(asOf).getUTCFullYear(); year++) {
    const autumn = Date.UTC(year, 9, 1);
    const at = clinicTime(draft, autumn, autumn + 60 * DAY_MS);
    if (at < start || at >= asOf) continue;
    if ((history.ageAt(at) >= 65 || fluEligible) && random.chance(0.8)) {
      immunisation(draft, FLU_VACCINATION, draft.recordedAt(at));
      given++;
    }
  }
  if (given === 0 && shape.everyKind) {
    const consultation = history.pick();
    const vaccine = history.ageAt(consultation.start) >= 16 ? HEPATITIS_B_VACCINATION : FLU_VACCINATION;
    consultation.file(undefined, 'Immunisations', immunisation(draft, vaccine, consultation.recorded()));
  }
}

/**
 * The record's documents, one per size, filed over its years: about half in a consultation (as a practice
 * files a letter it discussed), the rest on their own; most from a hospital. Drawn through `draft` (a branch
 * of the history's), so the documents asked for change nothing else in the record.
 */
export function writeDocuments(
  history: History,
  draft: RecordDraft,
  sizes: readonly number[],
  options: { recordSeed: number; url: (d: SyntheticDocument) => string },
): SyntheticDocument[] {
  const { start, asOf, town } = history.context;
  const { random } = draft;
  return sizes.map((bytes) => {
    const inConsultation = random.chance(0.5);
    const consultation = inConsultation ? history.pick(start, asOf, random) : undefined;
    const recorded = consultation
      ? consultation.recorded()
      : draft.recordedAt(clinicTime(draft, start, asOf));
    const author = random.chance(0.7) ? hospital(draft, town) : undefined;
    const { reference, document } = syntheticDocument(draft, recorded, bytes, {
      recordSeed: options.recordSeed,
      earliest: start,
      url: options.url,
      ...(author ? { author } : {}),
      ...(consultation ? { encounter: consultation.encounter } : {}),
    });
    consultation?.file(undefined, 'Correspondence', reference);
    return document;
  });
}
