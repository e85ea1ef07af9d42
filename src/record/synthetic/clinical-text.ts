import type { SeededRandom } from './random.ts';
import type { Concept } from './vocabulary.ts';

/** Consultation notes in a GP's shorthand, assembled from seeded phrases. */

const COURSE: readonly string[] = [
  'for 2 days',
  'for 3 days',
  'for a week',
  'on and off for a month',
  'since yesterday',
];
const HISTORY: readonly string[] = [
  'Eating and drinking normally.',
  'No red flag symptoms.',
  'Sleeping poorly.',
  'Worse at night.',
  'Tried simple analgesia with little effect.',
  'No recent travel.',
  'Otherwise well.',
];
const PLAN: readonly string[] = [
  'Safety-netting advice given.',
  'Advised to return if worse or not settling.',
  'Patient reassured.',
  'Review in 2 weeks.',
  'Leaflet given.',
  'Self-care advice given.',
];
const REVIEWS: readonly string[] = [
  'Reviewed today. Stable on current treatment.',
  'Annual review. Symptoms well controlled.',
  'Medication review: continue as before.',
  'Review: some improvement, continue and see again.',
];

/** A history note for a presentation with these findings. */
export function historyNote(random: SeededRandom, findings: readonly Concept[]): string {
  const presenting = findings.length > 0 ? findings.map((f) => f.display).join(' and ') : 'General check';
  return [
    `${presenting} ${random.pick(COURSE)}.`,
    random.pick(HISTORY),
    random.chance(0.5) ? random.pick(HISTORY) : undefined,
    random.pick(PLAN),
  ]
    .filter((line) => line !== undefined)
    .join(' ');
}

/** A review note for a long-term problem. */
export function reviewNote(random: SeededRandom, problem: Concept): string {
  return `${problem.display}. ${random.pick(REVIEWS)}`;
}

/** A note for a consultation the patient should not see online. */
export function confidentialNote(random: SeededRandom): string {
  return random.pick([
    'Discussed personal circumstances in confidence. Third party information: not for disclosure.',
    'Safeguarding concern discussed with the practice lead.',
    'Information given by a relative in confidence.',
  ]);
}
