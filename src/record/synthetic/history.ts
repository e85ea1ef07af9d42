import type { FhirResource } from 'fhir/r3.js';
import { confidentialNote, historyNote } from './clinical-text.ts';
import { ConsultationDraft } from './consultations.ts';
import { bloodPressure, commentNote, finding, measurement } from './observations.ts';
import type { RecordShape } from './profiles.ts';
import type { RecordDraft } from './record-draft.ts';
import { DAY_MS, isWeekend, startOfDay, ukWallClock } from './uk-time.ts';
import { CERVICAL_SMEAR, type Concept, FINDINGS, MEASUREMENTS, SMOKING_STATUS } from './vocabulary.ts';

/** What the history of a record is written from. */
export interface HistoryContext {
  readonly draft: RecordDraft;
  readonly shape: RecordShape;
  /** Instants: the patient's birth, the record's first day, and the day it runs up to. */
  readonly birth: number;
  readonly start: number;
  readonly asOf: number;
  readonly gender: string;
  /** The patient's town, where the hospitals they are referred to are. */
  readonly town: string;
}

/** A share of consultations the patient must not see online (NOPAT), each holding only its confidential note. */
const CONFIDENTIAL_SHARE = 0.02;

const PRESENTATIONS: readonly Concept[] = Object.values(FINDINGS);

/**
 * The consultations of a record over its years, each with what a GP records at a visit (a history note, the
 * findings, now and then a blood pressure, weight or smoking status). Problems, medication and the rest are
 * then filed into them by the other history writers.
 */
export class History {
  readonly context: HistoryContext;
  readonly consultations: ConsultationDraft[];
  /** The consultations other entries may be filed in: not the confidential ones. */
  readonly #open: ConsultationDraft[];

  constructor(context: HistoryContext) {
    this.context = context;
    const { draft, shape, start, asOf } = context;
    const times = Array.from({ length: Math.max(1, shape.consultations) }, () =>
      clinicTime(draft, start, asOf),
    );
    times.sort((a, b) => a - b);
    this.consultations = times.map(
      (at) => new ConsultationDraft(draft, at, draft.random.chance(CONFIDENTIAL_SHARE)),
    );
    this.#open = this.consultations.filter((c) => !c.nopat);
    for (const consultation of this.consultations) this.#visit(consultation);
  }

  /** Age in years at an instant. */
  ageAt(at: number): number {
    return (at - this.context.birth) / (365.25 * DAY_MS);
  }

  /**
   * A consultation (never a confidential one, where other entries would become NOPAT) between two instants,
   * drawn from `random` (the history's own by default).
   */
  pick(
    from = this.context.start,
    to = this.context.asOf,
    random = this.context.draft.random,
  ): ConsultationDraft {
    // Consultations are in time order: the ones in range are a slice.
    const open = this.#open.length > 0 ? this.#open : this.consultations;
    const first = firstAtOrAfter(open, from);
    const within = open.slice(first, firstAtOrAfter(open, to + 1, first));
    return random.pick(within.length > 0 ? within : open);
  }

  /** Writes each consultation's Encounter and Lists, once everything has been filed. */
  finish(): void {
    for (const consultation of this.consultations) consultation.finish(this.context.draft);
  }

  #visit(consultation: ConsultationDraft): void {
    const { draft, gender } = this.context;
    const { random } = draft;
    const file = (category: string, entry: FhirResource) => consultation.file(undefined, category, entry);
    const recorded = () => consultation.recorded();
    if (consultation.nopat) {
      file('History', commentNote(draft, confidentialNote(random), recorded()));
      return;
    }
    const findings = random.chance(0.75) ? [random.pick(PRESENTATIONS)] : [];
    if (findings.length > 0 && random.chance(0.3)) findings.push(random.pick(PRESENTATIONS));
    file('History', commentNote(draft, historyNote(random, findings), recorded()));
    for (const f of findings) file('Examination', finding(draft, f, recorded()));
    const age = this.ageAt(consultation.start);
    if (age < 16) return;
    if (random.chance(0.25)) file('Examination', bloodPressure(draft, recorded(), false));
    if (random.chance(0.15)) {
      file('Examination', measurement(draft, MEASUREMENTS.weight, recorded()));
      file('Examination', measurement(draft, MEASUREMENTS.bmi, recorded()));
    }
    if (gender === 'female' && age >= 25 && age < 65 && random.chance(0.05))
      file('Examination', finding(draft, CERVICAL_SMEAR, recorded()));
    if (random.chance(0.05)) file('Social', finding(draft, random.pick(SMOKING_STATUS), recorded()));
    if (random.chance(0.03))
      file(
        'Social',
        measurement(draft, random.pick([MEASUREMENTS.alcohol, MEASUREMENTS.cigarettes]), recorded()),
      );
  }
}

/** The index of the first consultation starting at or after `at` (binary search from `low`). */
function firstAtOrAfter(consultations: readonly ConsultationDraft[], at: number, low = 0): number {
  let high = consultations.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((consultations[mid]?.start ?? Number.POSITIVE_INFINITY) < at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A time a practice is open (weekdays, 08:00 to 17:50 UK time) between two instants. */
export function clinicTime(draft: RecordDraft, from: number, to: number): number {
  const { random } = draft;
  const days = Math.max(1, Math.floor((to - from) / DAY_MS));
  let day = startOfDay(from) + random.int(0, days - 1) * DAY_MS;
  // To the Monday after, or the Friday before where that would leave the range (a very short record keeps it).
  const monday = day + (isWeekend(day + DAY_MS) ? 2 : 1) * DAY_MS;
  const friday = day - (isWeekend(day - DAY_MS) ? 2 : 1) * DAY_MS;
  if (isWeekend(day)) day = monday + DAY_MS <= to ? monday : friday >= startOfDay(from) ? friday : day;
  return Math.min(to - 60_000, Math.max(from, ukWallClock(day, random.int(8, 17), random.int(0, 5) * 10)));
}
