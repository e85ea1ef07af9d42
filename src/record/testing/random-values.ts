import fc from 'fast-check';
import type { CodeableConcept, Meta } from 'fhir/r3.js';

/**
 * Building blocks for random synthetic records: made-up texts, FHIR times and a few real SNOMED CT concepts
 * per kind of entry (public concept ids with their preferred terms; no patient data anywhere).
 */

const SCT = 'http://snomed.info/sct';

/** A concept from a pool: SNOMED id, term and (for measurements) the UCUM unit of its value. */
export interface PoolConcept {
  readonly code: string;
  readonly display: string;
  readonly unit?: string;
}

/** Measurements with a UCUM unit. */
export const MEASUREMENTS: readonly PoolConcept[] = [
  { code: '60621009', display: 'Body mass index', unit: 'kg/m2' },
  { code: '27113001', display: 'Body weight', unit: 'kg' },
  { code: '50373000', display: 'Body height', unit: 'cm' },
  { code: '364075005', display: 'Heart rate', unit: '/min' },
];
/** Findings without a value. */
export const FINDINGS: readonly PoolConcept[] = [
  { code: '271807003', display: 'Eruption of skin' },
  { code: '25064002', display: 'Headache' },
  { code: '386661006', display: 'Fever' },
];
/** Pathology tests. */
export const LAB_TESTS: readonly PoolConcept[] = [
  { code: '1000661000000107', display: 'Serum sodium level', unit: 'mmol/L' },
  { code: '1000651000000109', display: 'Serum potassium level', unit: 'mmol/L' },
  { code: '1022431000000105', display: 'Haemoglobin estimation', unit: 'g/L' },
];
export const PROBLEMS: readonly PoolConcept[] = [
  { code: '38341003', display: 'Hypertensive disorder' },
  { code: '195967001', display: 'Asthma' },
  { code: '44054006', display: 'Diabetes mellitus type 2' },
];
export const DRUG_ALLERGIES: readonly PoolConcept[] = [
  { code: '294505008', display: 'Amoxicillin allergy' },
  { code: '91936005', display: 'Allergy to penicillin' },
];
export const OTHER_ALLERGIES: readonly PoolConcept[] = [
  { code: '91935009', display: 'Allergy to peanuts' },
  { code: '300913006', display: 'Shellfish allergy' },
];
export const DRUGS: readonly PoolConcept[] = [
  { code: '322236009', display: 'Paracetamol 500mg tablets' },
  { code: '323509004', display: 'Amoxicillin 500mg capsules' },
];
/** Vaccination procedures from the curated subset (src/record/codes/snomed-subset.ts). */
export const VACCINATIONS: readonly PoolConcept[] = [
  { code: '86198006', display: 'Influenza vaccination' },
  { code: '38598009', display: 'Administration of measles and mumps and rubella vaccine' },
];
export const PLANS: readonly PoolConcept[] = [
  { code: '185389009', display: 'Follow-up visit' },
  { code: '390906007', display: 'Follow-up encounter' },
];
export const REFERRALS: readonly PoolConcept[] = [
  { code: '183519002', display: 'Referral to cardiology service' },
  { code: '306206005', display: 'Referral to service' },
];
export const ENCOUNTER_TYPES: readonly PoolConcept[] = [
  { code: '185317003', display: 'Telephone encounter' },
  { code: '185316007', display: 'Indirect encounter' },
];

/** A SNOMED CodeableConcept for a pool concept. */
export function sctConcept(c: PoolConcept): CodeableConcept {
  return { coding: [{ system: SCT, code: c.code, display: c.display }] };
}

/** One concept of a pool. */
export function poolConcept(pool: readonly PoolConcept[]): fc.Arbitrary<PoolConcept> {
  return fc.constantFrom(...pool);
}

const WORD = fc.constantFrom(
  'pain',
  'left',
  'knee',
  'review',
  'Ünïcödé',
  'a&b',
  '<tag>',
  '"quoted"',
  "O'Brien",
  '✓',
  'seen',
  'in',
  'clinic',
  '3.5',
);

/** A one-line text of a few words (never empty, no leading or trailing space). */
export const line: fc.Arbitrary<string> = fc
  .array(WORD, { minLength: 1, maxLength: 5 })
  .map((words) => words.join(' '));

/** A text of one to three lines. */
export const lines: fc.Arbitrary<string> = fc
  .array(line, { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join('\n'));

const instantMs = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2025, 11, 31) });

/** An instant to the second, written in UTC or with the summer offset (as GP Connect senders do). */
export const instant: fc.Arbitrary<string> = fc
  .tuple(instantMs, fc.boolean())
  .map(([millis, summer]) => formatInstant(Math.floor(millis / 1000) * 1000, summer));

/** A FHIR dateTime: a date, or an instant. */
export const dateTime: fc.Arbitrary<string> = fc.oneof(
  instantMs.map((millis) => new Date(millis).toISOString().slice(0, 10)),
  instant,
);

/** A FHIR date (day precision). */
export const date: fc.Arbitrary<string> = instantMs.map((millis) =>
  new Date(millis).toISOString().slice(0, 10),
);

function formatInstant(millis: number, plusOne: boolean): string {
  if (!plusOne) return new Date(millis).toISOString().replace('.000Z', '+00:00');
  return `${new Date(millis + 3_600_000).toISOString().slice(0, 19)}+01:00`;
}

/** `meta` with the NOPAT label, for entries the patient must not see; undefined otherwise. */
export function nopatMeta(nopat: boolean): Meta | undefined {
  return nopat
    ? {
        security: [
          {
            system: 'http://hl7.org/fhir/v3/ActCode',
            code: 'NOPAT',
            display:
              "no disclosure to patient, family or caregivers without attending provider's authorization",
          },
        ],
      }
    : undefined;
}

/** True about one time in eight: how often an entry is NOPAT. */
export const rarely: fc.Arbitrary<boolean> = fc.integer({ min: 0, max: 7 }).map((n) => n === 0);
