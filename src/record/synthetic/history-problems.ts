import type { CodeableConcept, Reference } from 'fhir/r3.js';
import { historyNote, reviewNote } from './clinical-text.ts';
import type { ConsultationDraft } from './consultations.ts';
import type { History } from './history.ts';
import { acuteCourse, repeatCourse } from './medications.ts';
import { bloodPressure, commentNote, finding } from './observations.ts';
import { condition } from './problems.ts';
import { PROBLEMS, type ProblemKind } from './problems-and-drugs.ts';
import { type Recorded, refTo } from './record-draft.ts';
import { recall } from './referrals-and-recalls.ts';
import { DAY_MS } from './uk-time.ts';

/** Problems whose reviews include a blood pressure. */
const BLOOD_PRESSURE_REVIEWS = new Set(['38341003', '22298006', '44054006']);
/** Problems of later life: not given to anyone under 35. */
const LATER_LIFE = new Set(['38341003', '22298006', '44054006']);
/** Problems only women have. */
const WOMEN_ONLY = new Set(['76376003']);

/**
 * The record's problems: long-term ones diagnosed in a consultation, treated with repeat medication, recalled
 * and reviewed since, and past ones with their acute course and their end. Each becomes a Condition linked to
 * the entry that coded it and to its related entries. Returns the chronic problems (flu vaccinations follow).
 */
export function writeProblems(history: History): ProblemKind[] {
  const { draft, shape, asOf, gender } = history.context;
  const { random } = draft;
  const age = history.ageAt(asOf);
  const eligible = (kind: ProblemKind) =>
    (!LATER_LIFE.has(kind.concept.code) || age >= 35) &&
    (!WOMEN_ONLY.has(kind.concept.code) || gender === 'female');
  const chronic = shuffled(
    random,
    PROBLEMS.filter((p) => p.chronic && eligible(p)),
  ).slice(0, shape.chronicProblems);
  // A record promised every kind of entry gets a recall with its first long-term problem.
  if (shape.everyKind && chronic.length > 0 && !chronic.some((k) => k.recall)) {
    const withRecall = PROBLEMS.find((p) => p.chronic && p.recall && eligible(p));
    if (withRecall) chronic[0] = withRecall;
  }
  for (const kind of chronic) writeChronic(history, kind);
  const past = PROBLEMS.filter((p) => !p.chronic);
  for (let i = 0; i < shape.pastProblems; i++) writePast(history, random.pick(past));
  return chronic;
}

/** A problem's diagnosis in a consultation: the history, the findings, and the entry coding the problem. */
interface Diagnosis {
  readonly consultation: ConsultationDraft;
  readonly topic: string;
  readonly diagnosed: Recorded;
  readonly code: CodeableConcept;
  readonly actual: Reference;
}

function diagnose(history: History, kind: ProblemKind, consultation: ConsultationDraft): Diagnosis {
  const { draft } = history.context;
  const topic = kind.concept.display;
  const diagnosed = consultation.recorded();
  consultation.file(
    topic,
    'History',
    commentNote(draft, historyNote(draft.random, kind.findings), diagnosed),
  );
  for (const f of kind.findings)
    consultation.file(topic, 'Examination', finding(draft, f, consultation.recorded()));
  const code = draft.entryCode(kind.concept);
  const actual = finding(draft, kind.concept, consultation.recorded(), code);
  consultation.file(topic, 'Problem', actual);
  return { consultation, topic, diagnosed, code, actual: refTo(actual) };
}

function writeChronic(history: History, kind: ProblemKind): void {
  const { draft, start, asOf } = history.context;
  const { random } = draft;
  const { consultation, topic, diagnosed, code, actual } = diagnose(
    history,
    kind,
    history.pick(start, start + 0.8 * (asOf - start)),
  );
  const related: Reference[] = [];
  for (const drug of kind.drugs) {
    const [first] = repeatCourse(draft, drug, consultation.recorded(), asOf);
    if (!first) continue;
    consultation.file(topic, 'Medication', first);
    related.push(refTo(first));
  }
  if (kind.recall) {
    const planned = recall(draft, consultation.recorded(), kind.recall);
    consultation.file(topic, 'Plan', planned);
    related.push(refTo(planned));
  }
  const reviews = history.consultations.filter((c) => c.start > diagnosed.at && !c.nopat);
  for (let i = 0; i < Math.min(3, reviews.length); i++) {
    const review = random.pick(reviews);
    review.file(topic, 'History', commentNote(draft, reviewNote(random, kind.concept), review.recorded()));
    if (BLOOD_PRESSURE_REVIEWS.has(kind.concept.code)) {
      const bp = bloodPressure(draft, review.recorded(), true);
      review.file(topic, 'Examination', bp);
      related.push(refTo(bp));
    }
  }
  condition(draft, { kind, code, diagnosed, actual, related });
}

function writePast(history: History, kind: ProblemKind): void {
  const { draft, asOf } = history.context;
  const { consultation, topic, diagnosed, code, actual } = diagnose(history, kind, history.pick());
  const related: Reference[] = [];
  const drug = kind.drugs[0];
  if (drug) {
    const course = acuteCourse(draft, drug, consultation.recorded(), asOf);
    consultation.file(topic, 'Medication', course);
    related.push(refTo(course));
  }
  const resolved = Math.min(asOf - DAY_MS, diagnosed.at + draft.random.int(7, 60) * DAY_MS);
  condition(draft, { kind, code, diagnosed, resolved: Math.max(resolved, diagnosed.at), actual, related });
}

function shuffled<T>(random: { int(min: number, max: number): number }, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
