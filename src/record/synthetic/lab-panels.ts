import { type Concept, c } from './vocabulary.ts';

/**
 * Pathology tests as UK laboratories report them to practices: the test (SNOMED CT), its UCUM unit, reference
 * range and the values a general population gives (mean, spread), grouped into the batteries a request orders.
 */

/** One numeric test with its unit, reference range and population values. */
export interface LabTest extends Concept {
  readonly unit: string;
  readonly low: number;
  readonly high: number;
  readonly mean: number;
  readonly sd: number;
  readonly decimals: number;
}

/** What a request orders: a battery under a header, a single test, or a test reported as text. */
export interface LabPanel {
  /** The battery's header (FBC, U&E…); none for a single test. */
  readonly header?: Concept;
  readonly specimen: 'Blood' | 'Serum' | 'Urine';
  readonly tests: readonly LabTest[];
  /** A culture-style result reported as text instead of numbers. */
  readonly textResults?: { readonly test: Concept; readonly results: readonly string[] };
  /** How often a practice orders it, relative to the others. */
  readonly weight: number;
}

const t = (
  code: string,
  display: string,
  unit: string,
  [low, high]: readonly [number, number],
  [mean, sd]: readonly [number, number],
  decimals: number,
): LabTest => ({ ...c(code, display), unit, low, high, mean, sd, decimals });

/** What practices order most: FBC, U&E, LFT, lipids, TSH, CRP, urine culture. */
export const LAB_PANELS: readonly LabPanel[] = [
  {
    header: c('1022441000000101', 'FBC - full blood count'),
    specimen: 'Blood',
    weight: 30,
    tests: [
      t('1022431000000105', 'Haemoglobin estimation', 'g/L', [115, 165], [138, 13], 0),
      t('1022541000000102', 'Total white cell count', '10*9/L', [4, 11], [7, 1.8], 1),
      t('1022651000000100', 'Platelet count', '10*9/L', [150, 450], [270, 60], 0),
      t('1022451000000103', 'Red blood cell count', '10*12/L', [3.8, 5.5], [4.6, 0.4], 2),
      t('1022491000000106', 'MCV - Mean corpuscular volume', 'fL', [76, 100], [89, 5], 0),
      t('1022551000000104', 'Neutrophil count', '10*9/L', [2, 7.5], [4.2, 1.3], 1),
      t('1022581000000105', 'Lymphocyte count', '10*9/L', [1, 4], [2.1, 0.6], 1),
    ],
  },
  {
    header: c('1000971000000107', 'Urea and electrolytes level'),
    specimen: 'Serum',
    weight: 30,
    tests: [
      t('1000661000000107', 'Serum sodium level', 'mmol/L', [133, 146], [139, 2.5], 0),
      t('1000651000000109', 'Serum potassium level', 'mmol/L', [3.5, 5.3], [4.3, 0.4], 1),
      t('1000951000000103', 'Serum urea level', 'mmol/L', [2.5, 7.8], [5.2, 1.5], 1),
      t('1000731000000107', 'Serum creatinine level', 'umol/L', [59, 104], [80, 15], 0),
    ],
  },
  {
    header: c('1031081000000108', 'Liver function tests'),
    specimen: 'Serum',
    weight: 15,
    tests: [
      t('1018251000000107', 'Serum alanine aminotransferase level', 'U/L', [0, 40], [22, 10], 0),
      t('1000621000000104', 'Serum alkaline phosphatase level', 'U/L', [30, 130], [80, 20], 0),
      t('1000821000000103', 'Serum albumin level', 'g/L', [35, 50], [42, 3], 0),
      t('1000811000000109', 'Serum total protein', 'g/L', [60, 80], [70, 5], 0),
    ],
  },
  {
    header: c('1005661000000103', 'Serum lipids level'),
    specimen: 'Serum',
    weight: 10,
    tests: [
      t('1005671000000105', 'Serum cholesterol level', 'mmol/L', [0, 5], [5.1, 1], 1),
      t(
        '1005681000000107',
        'Serum high density lipoprotein cholesterol level',
        'mmol/L',
        [1, 2],
        [1.4, 0.3],
        1,
      ),
      t('1022191000000100', 'Serum low density lipoprotein cholesterol level', 'mmol/L', [0, 3], [3, 0.8], 1),
      t('1005691000000109', 'Serum triglycerides level', 'mmol/L', [0, 1.7], [1.5, 0.6], 1),
    ],
  },
  {
    specimen: 'Serum',
    weight: 8,
    tests: [
      t(
        '1022791000000101',
        'Serum TSH (thyroid stimulating hormone) level',
        'mU/L',
        [0.3, 4.4],
        [1.8, 0.8],
        2,
      ),
    ],
  },
  {
    specimen: 'Serum',
    weight: 5,
    tests: [t('1001371000000100', 'Serum CRP (C reactive protein) level', 'mg/L', [0, 5], [4, 4], 0)],
  },
  {
    specimen: 'Urine',
    weight: 4,
    tests: [],
    textResults: {
      test: c('1015411000000100', 'Microscopy, culture and sensitivities'),
      results: [
        'No significant growth',
        'Mixed growth - please repeat if clinically indicated',
        'Escherichia coli isolated',
      ],
    },
  },
];

/** What a lab says about a result now and then. */
export const LAB_COMMENTS: readonly string[] = [
  'Haemolysed sample: potassium may be falsely raised.',
  'Sample received more than 24 hours after collection.',
  'Please interpret in the light of clinical findings.',
  'Result confirmed on repeat analysis.',
];

/** What the clinician who filed a report wrote on it. */
export const FILING_COMMENTS: readonly string[] = [
  'Normal - no action',
  'Satisfactory',
  'Please book routine appointment to discuss',
  'Repeat in 3 months',
  'Borderline - recheck at next review',
  'Discussed with patient by telephone',
];

/** What a clinician notes against one result. */
export const RESULT_NOTES: readonly string[] = [
  'Known - stable for this patient',
  'Expected on current medication',
  'Discussed at review',
];
