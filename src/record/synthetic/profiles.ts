import { drawAttachmentSizes, sizesSummingTo } from './document-sizes.ts';
import type { SeededRandom } from './random.ts';

/** How big a synthetic record is: the named shapes, or one drawn from the national distribution. */
export type RecordProfile = 'small' | 'median' | 'large' | 'distribution';

/** How much of each kind of content a record holds, and how many years it covers. */
export interface RecordShape {
  /** How far back the record goes (no further than the patient's birth). */
  readonly years: number;
  readonly consultations: number;
  /** Long-term problems (active, with repeat medication and recalls). */
  readonly chronicProblems: number;
  /** Past problems (resolved, each with an acute course where one treats it). */
  readonly pastProblems: number;
  /** Acute courses besides those for past problems. */
  readonly acuteCourses: number;
  readonly pathologyReports: number;
  readonly referrals: number;
  readonly recalls: number;
  readonly drugAllergies: number;
  readonly otherAllergies: number;
  /** Every kind of clinical entry appears at least once (a fixed profile promises it; a drawn one may not). */
  readonly everyKind: boolean;
  /** The attachments' sizes, in bytes. */
  readonly documentSizes: readonly number[];
}

type ShapeWithoutDocuments = Omit<RecordShape, 'documentSizes'>;

const FIXED: Readonly<Record<Exclude<RecordProfile, 'distribution'>, ShapeWithoutDocuments>> = {
  small: {
    years: 3,
    consultations: 8,
    chronicProblems: 1,
    pastProblems: 1,
    acuteCourses: 1,
    pathologyReports: 1,
    referrals: 1,
    recalls: 1,
    drugAllergies: 1,
    otherAllergies: 1,
    everyKind: true,
  },
  median: {
    years: 12,
    consultations: 60,
    chronicProblems: 2,
    pastProblems: 4,
    acuteCourses: 6,
    pathologyReports: 10,
    referrals: 3,
    recalls: 3,
    drugAllergies: 1,
    otherAllergies: 1,
    everyKind: true,
  },
  large: {
    years: 30,
    consultations: 300,
    chronicProblems: 4,
    pastProblems: 12,
    acuteCourses: 25,
    pathologyReports: 40,
    referrals: 10,
    recalls: 6,
    drugAllergies: 2,
    otherAllergies: 2,
    everyKind: true,
  },
};

/**
 * Attachments of the fixed profiles: small a few letters; median the national median (47 attachments, 10 MB);
 * large the 99th percentile of the distribution (300 attachments, 180 MB).
 */
const FIXED_DOCUMENTS: Readonly<
  Record<Exclude<RecordProfile, 'distribution'>, { count: number; total: number }>
> = {
  small: { count: 3, total: 300_000 },
  median: { count: 47, total: 10_000_000 },
  large: { count: 300, total: 180_000_000 },
};

/**
 * The shape of a record of this profile. 'distribution' draws the attachments from the national distribution
 * and scales the clinical content with them (partly: a record with many letters tends to be long overall).
 */
export function shapeFor(profile: RecordProfile, random: SeededRandom): RecordShape {
  if (profile !== 'distribution') {
    const { count, total } = FIXED_DOCUMENTS[profile];
    return { ...FIXED[profile], documentSizes: sizesSummingTo(random, count, total) };
  }
  const { sizes, countZ } = drawAttachmentSizes(random);
  // Correlated with the attachments' count (ρ ≈ 0.6), the rest independent.
  const z = 0.6 * countZ + 0.8 * random.normal();
  const scale = Math.exp(0.7 * z);
  const median = FIXED.median;
  const scaled = (n: number) => random.poisson(n * scale);
  return {
    years: Math.min(60, Math.max(1, Math.round(median.years * Math.exp(0.5 * z)))),
    consultations: Math.max(1, scaled(median.consultations)),
    chronicProblems: Math.min(7, random.poisson(1.5 * Math.sqrt(scale))),
    pastProblems: scaled(median.pastProblems),
    acuteCourses: scaled(median.acuteCourses),
    pathologyReports: scaled(median.pathologyReports),
    referrals: scaled(median.referrals),
    recalls: scaled(median.recalls),
    drugAllergies: random.poisson(0.4),
    otherAllergies: random.poisson(0.3),
    everyKind: false,
    documentSizes: sizes,
  };
}
