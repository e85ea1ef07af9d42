import { type Concept, c, FINDINGS } from './vocabulary.ts';

/** Drugs (dm+d) and the problems they treat, for synthetic records; ids and terms as in the shared corpus. */

/** A dm+d product with how it is usually prescribed. */
export interface Drug extends Concept {
  readonly dosage: string;
  readonly quantity: number;
  readonly unit: string;
  /** Days one issue lasts. */
  readonly days: number;
}

/** A problem as a practice records it: its code, whether it lasts, what treats it and how it is followed up. */
export interface ProblemKind {
  readonly concept: Concept;
  /** Long-term (stays active, repeat medication, recalls) or a past episode (resolved, acute course). */
  readonly chronic: boolean;
  readonly drugs: readonly Drug[];
  /** What the patient presented with. */
  readonly findings: readonly Concept[];
  readonly recall?: Concept;
  /** Chronic problems that make a patient eligible for a yearly flu vaccination. */
  readonly fluEligible?: boolean;
}

const drug = (
  code: string,
  display: string,
  dosage: string,
  quantity: number,
  unit: string,
  days: number,
): Drug => ({
  code,
  display,
  dosage,
  quantity,
  unit,
  days,
});

/** The drugs records prescribe (dm+d VMPs), with a usual dosage, quantity and supply. */
export const DRUGS = {
  ramipril: drug('318900007', 'Ramipril 1.25mg capsules', 'One capsule once daily', 28, 'capsule', 28),
  salbutamol: drug(
    '39113611000001102',
    'Salbutamol 100micrograms/dose inhaler CFC free',
    'Two puffs when required',
    1,
    'inhaler',
    56,
  ),
  metformin: drug(
    '325278007',
    'Metformin 500mg tablets',
    'One tablet twice a day with food',
    56,
    'tablet',
    28,
  ),
  atorvastatin: drug('320030001', 'Atorvastatin 20mg tablets', 'One tablet at night', 28, 'tablet', 28),
  rosuvastatin: drug('408037007', 'Rosuvastatin 20mg tablets', 'One tablet once daily', 28, 'tablet', 28),
  propranolol: drug(
    '318352004',
    'Propranolol 10mg tablets',
    'One tablet up to three times a day when required',
    84,
    'tablet',
    28,
  ),
  loratadine: drug('38896711000001106', 'Loratadine 5mg/5ml oral solution', '10ml once daily', 100, 'ml', 10),
  contraceptive: drug(
    '326324002',
    'Ethinylestradiol 30microgram / Levonorgestrel 150microgram tablets',
    'One tablet daily for 21 days then 7 day break',
    63,
    'tablet',
    84,
  ),
  omeprazole: drug(
    '317291008',
    'Omeprazole 20mg gastro-resistant capsules',
    'One capsule once daily',
    28,
    'capsule',
    28,
  ),
  furosemide: drug('317971007', 'Furosemide 20mg tablets', 'One tablet each morning', 28, 'tablet', 28),
  amoxicillin: drug(
    '323509004',
    'Amoxicillin 250mg capsules',
    'One capsule three times a day',
    21,
    'capsule',
    7,
  ),
  ciprofloxacin: drug('324607004', 'Ciprofloxacin 250mg tablets', 'One tablet twice a day', 6, 'tablet', 3),
  paracetamol: drug(
    '322280009',
    'Paracetamol 500mg capsules',
    'One or two tablets up to four times a day',
    32,
    'tablet',
    4,
  ),
  cocodamol: drug(
    '3805611000001109',
    'Co-codamol 15mg/500mg tablets',
    'One or two tablets four times a day when required',
    30,
    'tablet',
    7,
  ),
  timolol: drug('330720009', 'Timolol 0.25% eye drops', 'One drop twice a day', 5, 'ml', 28),
} as const satisfies Record<string, Drug>;

/** The problems records hold: long-term ones and past episodes. */
export const PROBLEMS: readonly ProblemKind[] = [
  {
    concept: c('38341003', 'Hypertensive disorder'),
    chronic: true,
    drugs: [DRUGS.ramipril],
    findings: [FINDINGS.headache],
    recall: c('163020007', 'O/E - blood pressure reading'),
  },
  {
    concept: c('195967001', 'Asthma'),
    chronic: true,
    drugs: [DRUGS.salbutamol],
    findings: [FINDINGS.cough, FINDINGS.dyspnoea],
    recall: c('406162001', 'Asthma management'),
    fluEligible: true,
  },
  {
    concept: c('44054006', 'Diabetes mellitus type 2'),
    chronic: true,
    drugs: [DRUGS.metformin, DRUGS.atorvastatin],
    findings: [FINDINGS.tired, FINDINGS.weightLoss],
    recall: c('73211009', 'Diabetes mellitus'),
    fluEligible: true,
  },
  {
    concept: c('22298006', 'Myocardial infarction'),
    chronic: true,
    drugs: [DRUGS.rosuvastatin, DRUGS.ramipril],
    findings: [FINDINGS.dyspnoea],
    recall: c('268509003', 'Cardiac disease monitoring'),
    fluEligible: true,
  },
  {
    concept: c('197480006', 'Anxiety disorder'),
    chronic: true,
    drugs: [DRUGS.propranolol],
    findings: [FINDINGS.stress],
  },
  {
    concept: c('21719001', 'Allergic rhinitis due to pollen'),
    chronic: true,
    drugs: [DRUGS.loratadine],
    findings: [FINDINGS.blockedEars],
  },
  {
    concept: c('76376003', 'Endometriosis of uterus'),
    chronic: true,
    drugs: [DRUGS.contraceptive],
    findings: [FINDINGS.abdominal],
  },
  {
    concept: c('90176007', 'Tonsillitis'),
    chronic: false,
    drugs: [DRUGS.amoxicillin],
    findings: [FINDINGS.throat, FINDINGS.fever],
  },
  {
    concept: c('15033003', 'Peritonsillar abscess'),
    chronic: false,
    drugs: [DRUGS.amoxicillin, DRUGS.cocodamol],
    findings: [FINDINGS.throat],
  },
  {
    concept: c('18165001', 'Jaundice'),
    chronic: false,
    drugs: [],
    findings: [FINDINGS.jaundiced, FINDINGS.nausea],
  },
  { concept: c('36031001', 'Burning feet'), chronic: false, drugs: [DRUGS.paracetamol], findings: [] },
  {
    concept: c('1240761000000102', 'Suspected COVID-19'),
    chronic: false,
    drugs: [DRUGS.paracetamol],
    findings: [FINDINGS.cough, FINDINGS.fever],
  },
  {
    concept: c('359814004', 'Monkeypox'),
    chronic: false,
    drugs: [DRUGS.paracetamol],
    findings: [FINDINGS.rash, FINDINGS.fever],
  },
  {
    concept: c('21522001', 'Abdominal pain'),
    chronic: false,
    drugs: [DRUGS.omeprazole],
    findings: [FINDINGS.nausea, FINDINGS.vomiting],
  },
];

/** A drug allergy: the allergy concept and, where dm+d has it, the product that caused it. */
export interface DrugAllergyKind {
  readonly concept: Concept;
  readonly substance?: Concept;
}

/** Drug allergies: the allergy concept, with the product where dm+d names it. */
export const DRUG_ALLERGIES: readonly DrugAllergyKind[] = [
  { concept: c('294505008', 'Amoxicillin allergy'), substance: DRUGS.amoxicillin },
  { concept: c('91936005', 'Allergy to penicillin'), substance: DRUGS.amoxicillin },
  { concept: c('62014003', 'Adverse reaction to drug'), substance: DRUGS.ciprofloxacin },
  { concept: c('62014003', 'Adverse reaction to drug'), substance: DRUGS.atorvastatin },
  { concept: c('293586001', 'Aspirin allergy') },
  { concept: c('294881007', 'Warfarin allergy') },
  { concept: c('91931000', 'Allergy to erythromycin') },
  { concept: c('292939004', 'Trimethoprim adverse reaction') },
];
