import type { CodeableConcept } from 'fhir/r3.js';
import { CODE_SYSTEMS } from '../codes/index.ts';

/**
 * Codes from before SNOMED CT, which entries of long records still carry: Read v2 codes and EMIS local
 * ("Egton") and drug codes, for the same things the SNOMED CT concepts of this vocabulary name. An entry sent
 * with such a code alone, no SNOMED CT coding, must degrade on transfer (docs/protocol.md#degraded-codes): its
 * code becomes the degrade code of its kind, the original code and text travelling alongside. Pairs as the
 * shared corpus's GP Connect records give them (a coding in one system and its translation in the other).
 */

type Legacy = readonly [system: string, code: string, display: string];

const READ = CODE_SYSTEMS.readV2.url;
const EMIS = CODE_SYSTEMS.emisLocal.url;
const EMIS_DRUG = CODE_SYSTEMS.emisDrugFhir.url;

/** SNOMED CT concept id → the legacy code an older system gave the same thing. */
const LEGACY_EQUIVALENTS: ReadonlyMap<string, Legacy> = new Map<string, Legacy>([
  // Problems (their entries: Observation and Condition)
  ['22298006', [READ, 'G30..14', 'Heart attack']],
  ['21719001', [READ, 'H170.00', 'Allergic rhinitis due to pollens']],
  ['76376003', [READ, 'K500.00', 'Endometriosis of uterus']],
  ['359814004', [READ, 'A57y500', 'Monkeypox']],
  // Drugs (Medication), as EMIS Web codes them
  ['318900007', [EMIS_DRUG, 'RACA8950EMIS', 'Ramipril 1.25mg capsules']],
  ['39113611000001102', [EMIS_DRUG, 'SACF26553EMIS', 'Salbutamol 100micrograms/dose inhaler CFC free']],
  ['325278007', [EMIS_DRUG, 'META1787', 'Metformin 500mg tablets']],
  ['320030001', [EMIS_DRUG, 'ATTA30131EMIS', 'Atorvastatin 20mg tablets']],
  ['408037007', [EMIS_DRUG, 'ROTA15071NEMIS', 'Rosuvastatin 20mg tablets']],
  ['318352004', [EMIS_DRUG, 'PRTA2393', 'Propranolol 10mg tablets']],
  ['38896711000001106', [EMIS_DRUG, 'LOSY19819EMIS', 'Loratadine 5mg/5ml oral solution']],
  ['317291008', [EMIS_DRUG, 'OMCA10940BRIDL', 'Omeprazole 20mg gastro-resistant capsules']],
  ['323509004', [EMIS_DRUG, 'AMCA17510NEMIS', 'Amoxicillin 250mg capsules']],
  ['324607004', [EMIS_DRUG, 'CITA6845', 'Ciprofloxacin 250mg tablets']],
  ['322280009', [EMIS_DRUG, 'PACA35207EMIS', 'Paracetamol 500mg capsules']],
  ['3805611000001109', [EMIS_DRUG, 'COTA14835NEMIS', 'Co-codamol 15mg/500mg tablets']],
  // Allergies
  ['294505008', [READ, 'TJ00300', 'Adverse reaction to amoxycillin']],
  ['91936005', [READ, 'TJ00.00', 'Adverse reaction to penicillins']],
  ['293586001', [READ, '14LK.00', 'H/O: aspirin allergy']],
  ['294881007', [READ, '14LP.00', 'H/O: warfarin allergy']],
  ['91931000', [READ, '14LA.00', 'H/O: erythromycin allergy']],
  ['292939004', [READ, 'TJ0yC00', 'Adverse reaction to trimethoprim']],
  ['91935009', [READ, 'SN58200', 'Peanut allergy']],
  ['300916003', [READ, 'SN53100', 'Latex allergy']],
  ['91930004', [READ, 'SN58000', 'Egg allergy']],
  ['300909004', [READ, 'SN59200', 'Allergic reaction to wasp sting']],
  // Referrals
  ['183444007', [READ, '8H...00', 'Referral for further care']],
  // Findings
  ['856901000006102', [EMIS, 'EMISSCE2', 'Cervical smear adequate']],
]);

/** The legacy code for a SNOMED CT concept, where an older system had one. */
export function legacyEquivalent(snomedId: string): Legacy | undefined {
  return LEGACY_EQUIVALENTS.get(snomedId);
}

/** A concept coded only with a legacy code: no SNOMED CT coding, its term picked by the clinician. */
export function legacyConcept([system, code, display]: Legacy): CodeableConcept {
  return { coding: [{ system, code, display, userSelected: true }] };
}
