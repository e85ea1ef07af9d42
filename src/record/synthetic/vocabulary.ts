/**
 * The clinical vocabulary of synthetic records: public SNOMED CT concept ids (dm+d for drugs) with their terms,
 * the ones GP Connect senders use in the shared corpus and the project's tests. Facts only, no patient data.
 */

/** A SNOMED CT concept: id and term. */
export interface Concept {
  readonly code: string;
  readonly display: string;
}

/** A concept from its id and term. */
export const c = (code: string, display: string): Concept => ({ code, display });
/** What patients present with (Observations without a value). */
export const FINDINGS = {
  throat: c('162397003', 'Pain in throat'),
  fever: c('386661006', 'Fever'),
  cough: c('49727002', 'Cough'),
  dyspnoea: c('267036007', 'Dyspnoea'),
  headache: c('25064002', 'Headache'),
  nausea: c('422587007', 'Nausea'),
  vomiting: c('422400008', 'Vomiting'),
  tired: c('267032009', 'Tired all the time'),
  rash: c('271807003', 'Eruption of skin'),
  itchyRash: c('304386008', 'O/E - itchy rash'),
  abdominal: c('43364001', 'Abdominal discomfort'),
  blockedEars: c('103281005', 'Sensation of blocked ears'),
  jaundiced: c('162740002', 'O/E - jaundiced colour'),
  weightLoss: c('161832001', 'Weight decreasing'),
  stress: c('162218007', 'Stress-related problem'),
} as const;

/** Measurements with a UCUM unit and a plausible adult value (mean, spread, decimals). */
export const MEASUREMENTS = {
  weight: { ...c('27113001', 'Body weight'), unit: 'kg', mean: 78, sd: 15, decimals: 1 },
  height: { ...c('50373000', 'Body height'), unit: 'cm', mean: 170, sd: 9, decimals: 0 },
  bmi: { ...c('60621009', 'Body mass index'), unit: 'kg/m2', mean: 27, sd: 4.5, decimals: 1 },
  pulse: { ...c('364075005', 'Heart rate'), unit: '/min', mean: 74, sd: 10, decimals: 0 },
  alcohol: { ...c('160573003', 'Alcohol intake'), unit: '/wk', mean: 8, sd: 6, decimals: 0 },
  cigarettes: { ...c('230056004', 'Cigarette consumption'), unit: '/d', mean: 12, sd: 6, decimals: 0 },
} as const;

/** Smoking and drinking status. */
export const SMOKING_STATUS: readonly Concept[] = [
  c('266919005', 'Never smoked tobacco'),
  c('160617001', 'Stopped smoking'),
  c('105542008', 'Non - drinker'),
];

/** A blood pressure reading and its two components. */
export const BLOOD_PRESSURE = {
  reading: c('163020007', 'O/E - blood pressure reading'),
  systolic: c('72313002', 'Systolic arterial pressure'),
  diastolic: c('1091811000000102', 'Diastolic arterial pressure'),
} as const;

/** GP Connect's code for free text. */
export const COMMENT_NOTE = c('37331000000100', 'Comment note');

/** A screening result (EMIS's SNOMED CT extension), for women of screening age. */
export const CERVICAL_SMEAR = c('856901000006102', 'Cervical smear adequate');

/** Non-drug allergies. */
export const OTHER_ALLERGIES: readonly Concept[] = [
  c('91935009', 'Allergy to peanuts'),
  c('300916003', 'Latex allergy'),
  c('91930004', 'Allergy to eggs'),
  c('300909004', 'Allergic reaction to wasp sting'),
  c('300913006', 'Shellfish allergy'),
];

/** How an allergic reaction showed itself. */
export const REACTIONS: readonly string[] = [
  'Rash',
  'Urticaria',
  'Angioedema',
  'Wheeze',
  'Nausea',
  'Itching',
];

/** Childhood schedule: the vaccination procedure and the age it is given at, in days. */
export const CHILDHOOD_IMMUNISATIONS: readonly (readonly [Concept, number])[] = [
  [
    c(
      '414259000',
      'Administration of first dose of diphtheria and Haemophilus influenza type b and five component acellular pertussis and inactivated poliomyelitis and tetanus vaccine',
    ),
    56,
  ],
  [
    c(
      '415507003',
      'Administration of second dose of diphtheria and Haemophilus influenza type b and five component acellular pertussis and inactivated poliomyelitis and tetanus vaccine',
    ),
    84,
  ],
  [c('247631000000101', 'First pneumococcal conjugated vaccination'), 84],
  [
    c(
      '415712004',
      'Administration of third dose of diphtheria and Haemophilus influenza type b and five component acellular pertussis and inactivated poliomyelitis and tetanus vaccine',
    ),
    112,
  ],
  [c('314414007', 'Administration of first dose of meningitis C vaccine'), 112],
  [c('247641000000105', 'Second pneumococcal conjugated vaccination'), 365],
  [c('428975001', 'Administration of Haemophilus influenzae type b and meningitis C vaccine'), 366],
  [c('38598009', 'Administration of measles and mumps and rubella vaccine'), 367],
  [c('170433008', 'Measles mumps and rubella vaccination - second dose'), 1220],
];

/** Vaccinations outside the childhood schedule. */
export const FLU_VACCINATION = c('822851000000102', 'Seasonal influenza vaccination');
export const HEPATITIS_B_VACCINATION = c('170370000', 'First hepatitis B vaccination');

/** Referral reasons (ReferralRequest.reasonCode). */
export const REFERRALS: readonly Concept[] = [
  c('183519002', 'Referral to cardiology service'),
  c('306206005', 'Referral to service'),
  c('183444007', 'Referral for further care'),
  c('306238000', 'Referral to Social Services'),
  c('306312003', 'Referral to hand surgeon'),
  c('308448008', 'Referral to counsellor'),
  c('183520008', 'Referral to clinical immunology service'),
  c('306237005', 'Referral to palliative care service'),
];

/** What a recall is for, besides a problem's own review. */
export const RECALLS: readonly Concept[] = [
  c('185389009', 'Follow-up visit'),
  c('390906007', 'Follow-up encounter'),
  c('86198006', 'Influenza vaccination'),
];

/** Consultation types: coded, or text only as EMIS Web sends "GP Surgery". */
export const ENCOUNTER_TYPES: readonly (readonly [Concept | string, number])[] = [
  ['GP Surgery', 60],
  [c('185317003', 'Telephone encounter'), 20],
  [c('185316007', 'Indirect encounter'), 8],
  ['Home Visit', 4],
  [c('25741000000100', 'Third Party Consultation'), 8],
];

/** Document types: coded, or the free text a practice files scans under. */
export const DOCUMENT_TYPES: readonly (readonly [Concept | string, number])[] = [
  [c('25611000000107', 'Referral letter'), 15],
  ['Outpatient clinic letter', 30],
  ['Discharge summary', 12],
  ['Scanned correspondence', 20],
  ['Radiology report', 8],
  ['Lloyd George record card', 5],
  ['Patient questionnaire', 10],
];
