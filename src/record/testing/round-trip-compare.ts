import type { Bundle, FhirResource, Reference } from 'fhir/r3.js';
import { CLINICAL_TYPES, fingerprint, mainConcept } from './clinical-fingerprint.ts';
import { extraFacts, isStandIn } from './round-trip-facts.ts';
import { Index } from './round-trip-index.ts';
import { codingKey, conceptText, instantOf, notesOf, quantityOf, type Side } from './round-trip-values.ts';

/**
 * Compares a record with what came back from FHIR → HL7 → FHIR, resource by resource (as bags per type, since
 * ids are generated on the way), on clinical content: codes, concept text, dates (as instants), values,
 * texts, statuses, NOPAT, and the links that carry meaning (a report's results and specimens, a problem's
 * related content). What GP2GP has no place for is left out where it is read, each with the reason; the same
 * list is in docs/record-translation.md.
 */

/** Resource types compared one by one. */
export const ROUND_TRIP_TYPES: readonly string[] = [...CLINICAL_TYPES, 'Practitioner', 'PractitionerRole'];

/** One type whose resources differ: what only the original has, and what only the round trip has. */
export interface RoundTripDifference {
  readonly type: string;
  readonly missing: readonly string[];
  readonly extra: readonly string[];
}

/** How to compare. */
export interface CompareOptions {
  /**
   * The original is itself a round trip (a later hop of A → B → C): nothing a first hop may change is allowed,
   * so both sides are read in full (note lines restating fields included) and must agree exactly.
   */
  readonly fixedPoint?: boolean;
}

/** The differences between the original record and its round trip (empty when the content survived). */
export function compareRoundTrip(
  original: Bundle,
  roundTrip: Bundle,
  options: CompareOptions = {},
): RoundTripDifference[] {
  const before = new Index(original);
  const after = new Index(roundTrip);
  const afterSide: Side = options.fixedPoint ? 'original' : 'round-trip';
  const madeUp = new Set([
    ...madeUpProblemStatements(before, after),
    ...madeUpCourses(before, after, afterSide),
  ]);
  after.madeUp = madeUp;
  const out: RoundTripDifference[] = [];
  for (const type of ROUND_TRIP_TYPES) {
    const a = before
      .ofType(type)
      .filter(isCompared)
      .map((r) => JSON.stringify(clinical(r, before, 'original')));
    const b = after
      .ofType(type)
      .filter((r) => isCompared(r) && !madeUp.has(r))
      .map((r) => JSON.stringify(clinical(r, after, afterSide)));
    // GP2GP has no Medication entity: the drug is coded on each prescription, and the reader makes one
    // Medication per distinct drug. Medications are compared as the set of drugs.
    if (type === 'Medication') {
      a.splice(0, a.length, ...new Set(a));
      b.splice(0, b.length, ...new Set(b));
    }
    const missing = [...a];
    const extra: string[] = [];
    for (const x of b) {
      const i = missing.indexOf(x);
      if (i >= 0) missing.splice(i, 1);
      else extra.push(x);
    }
    if (missing.length > 0 || extra.length > 0) out.push({ type, missing, extra });
  }
  return out;
}

const CONSULTATION_LIST = '325851000000107';

/** The Lists that shape a consultation (consultation, topic, category): GP2GP's ehrComposition structure. */
const CONSULTATION_LISTS = new Set([CONSULTATION_LIST, '25851000000105', '24781000000107']);

/** The date of the nearest List holding this one that has a date of its own. */
function inheritedDate(list: FhirResource, index: Index): string | undefined {
  const seen = new Set<FhirResource>([list]);
  for (let at = index.holderOf(list); at && !seen.has(at); at = index.holderOf(at)) {
    seen.add(at);
    if (at.resourceType === 'List' && at.date) return at.date;
  }
  return undefined;
}

/**
 * False for what GP2GP has no place for: GP Connect's clinical-area Lists ("Allergies and adverse reactions",
 * "List of consultations", "Ended allergies"… with their "transfer not yet complete" warnings) are the shape of a
 * structured-record query's answer, indexes of entries sent one by one; an extract carries the entries, not the
 * query, so only the consultation Lists are compared.
 */
function isCompared(resource: FhirResource): boolean {
  if (resource.resourceType !== 'List') return true;
  return resource.code?.coding?.some((c) => CONSULTATION_LISTS.has(c.code ?? '')) === true;
}

const ACTUAL_PROBLEM = 'Extension-CareConnect-ActualProblem-1';

function actualProblemOf(condition: FhirResource): Reference | undefined {
  if (condition.resourceType !== 'Condition') return undefined;
  return condition.extension?.find((e) => e.url.endsWith(ACTUAL_PROBLEM))?.valueReference;
}

/**
 * A problem in GP2GP names a statement (LinkSet conditionNamed): for a Condition with no actual problem the
 * sender makes one from the Condition, and it comes back as an Observation of the Condition's code. Those
 * Observations are the LinkSet's shape, not content, so they are left out.
 */
function madeUpProblemStatements(before: Index, after: Index): Set<FhirResource> {
  const out = new Set<FhirResource>();
  // Conditions are matched on their code and dates; two conditions may share those, one naming a real
  // statement and one not, so within a group the statements that are some real problem's content stay.
  const key = (c: FhirResource) => {
    const f = fingerprint(c);
    return JSON.stringify([f.codes, Object.entries(f.dates).map(([k, v]) => [k, instantOf(v)])]);
  };
  const wanting = new Map<string, number>();
  const real = new Map<string, string[]>();
  for (const c of before.ofType('Condition')) {
    const k = key(c);
    const target = before.resolve(actualProblemOf(c));
    if (actualProblemOf(c) === undefined) wanting.set(k, (wanting.get(k) ?? 0) + 1);
    else if (target)
      real.set(k, [...(real.get(k) ?? []), JSON.stringify(clinical(target, before, 'original'))]);
  }
  const candidates = new Map<string, FhirResource[]>();
  for (const condition of after.ofType('Condition')) {
    const target = after.resolve(actualProblemOf(condition));
    if (target?.resourceType === 'Observation')
      candidates.set(key(condition), [...(candidates.get(key(condition)) ?? []), target]);
  }
  for (const [k, targets] of candidates) {
    let need = wanting.get(k) ?? 0;
    const realLeft = [...(real.get(k) ?? [])];
    const lookLikeReal: FhirResource[] = [];
    for (const t of targets) {
      const i = realLeft.indexOf(JSON.stringify(clinical(t, after, 'round-trip')));
      if (i >= 0) {
        realLeft.splice(i, 1);
        lookLikeReal.push(t);
      } else if (need > 0) {
        out.add(t);
        need--;
      }
    }
    // A made-up statement identical to a real one: which of the two is left out does not matter.
    for (const t of lookLikeReal) {
      if (need-- <= 0) break;
      out.add(t);
    }
  }
  return out;
}

/**
 * GP2GP has one element for a medication course, the authorisation, which a reader makes both the plan and the
 * MedicationStatement of (GP Connect has a MedicationStatement for every plan). A plan sent without one comes
 * back with one restating it: that MedicationStatement is the course's shape, not content, so it is left out.
 */
function madeUpCourses(before: Index, after: Index, afterSide: Side): Set<FhirResource> {
  const planKey = (plan: FhirResource, index: Index, side: Side) =>
    JSON.stringify(clinical(plan, index, side));
  const coursed = new Set(
    before
      .ofType('MedicationStatement')
      .flatMap((ms) => (ms.resourceType === 'MedicationStatement' ? (ms.basedOn ?? []) : []))
      .map((ref) => before.resolve(ref)),
  );
  const wanting = new Map<string, number>();
  for (const plan of before.ofType('MedicationRequest')) {
    if (plan.resourceType !== 'MedicationRequest' || plan.intent !== 'plan' || coursed.has(plan)) continue;
    const k = planKey(plan, before, 'original');
    wanting.set(k, (wanting.get(k) ?? 0) + 1);
  }
  const out = new Set<FhirResource>();
  if (wanting.size === 0) return out;
  for (const ms of after.ofType('MedicationStatement')) {
    const plan =
      ms.resourceType === 'MedicationStatement' ? after.resolve([ms.basedOn ?? []].flat()[0]) : undefined;
    const k = plan ? planKey(plan, after, afterSide) : undefined;
    const need = k === undefined ? 0 : (wanting.get(k) ?? 0);
    if (k === undefined || need <= 0) continue;
    out.add(ms);
    wanting.set(k, need - 1);
  }
  return out;
}

function clinical(resource: FhirResource, index: Index, side: Side): Record<string, unknown> {
  const base = fingerprint(resource);
  const r = resource as unknown as Record<string, unknown>;
  const concept = mainConcept(r);
  const dates = Object.fromEntries(Object.entries(base.dates).map(([k, v]) => [k, instantOf(v)]));
  // Observation.issued: GP2GP readers (the NHS requesting adaptor, and we, to agree with it) take it from
  // the composition's author time, so an Observation's own issued time does not come back.
  if (resource.resourceType === 'Observation') delete dates.issued;
  const values: Record<string, unknown> = { ...base.values };
  if (typeof r.valueQuantity === 'object') values.valueQuantity = quantityOf(r.valueQuantity);
  if (base.values.note !== undefined) values.note = notesOf(resource, side);
  // A LinkSet has no annotation: the notes of a Condition whose actual problem is another entry have nowhere
  // to go (and on the way back the Condition is given that entry's annotations instead).
  const actual = index.resolve(actualProblemOf(resource));
  if (actual?.resourceType === 'Observation' && !index.madeUp.has(actual)) delete values.note;
  if (values.note === '') delete values.note;
  // GP2GP statements are always COMPLETE, so an Observation comes back `final` whatever its status was.
  if (resource.resourceType === 'Observation') delete values.status;
  // A supply quantity is compared as a quantity (its UCUM form) among the medication facts.
  delete values.dispenseQuantity;
  // An ehrComposition's statusCode is always COMPLETE in GP2GP, so an Encounter comes back `finished` whatever its
  // status was (EMIS Web gives `unknown` to some).
  if (resource.resourceType === 'Encounter') delete values.status;
  if (resource.resourceType === 'List') {
    // A consultation List untitled is titled by its consultation's type (GP2GP has one place for both: the
    // ehrComposition's code), and a topic or category recorded at no time of its own was recorded with what
    // holds it (its CompoundStatement's availabilityTime is required, and is that time).
    const encounter = index.resolve(resource.encounter);
    if (values.title === undefined && resource.code?.coding?.some((c) => c.code === CONSULTATION_LIST))
      if (encounter?.resourceType === 'Encounter') {
        const title = conceptText(encounter.type?.[0]);
        if (title) values.title = title;
      }
    if (dates.date === undefined) {
      const inherited = inheritedDate(resource, index);
      if (inherited) dates.date = instantOf(inherited);
    }
  }
  return {
    type: resource.resourceType,
    codes: (concept?.coding ?? [])
      .map(codingKey)
      .filter((c) => !isStandIn(resource, c, side))
      .sort(),
    text: conceptText(concept),
    dates,
    values,
    nopat: resource.meta?.security?.some((s) => s.code === 'NOPAT') === true,
    ...extraFacts(resource, index, side),
    consultation: consultationOf(resource, index),
  };
}

/** Types whose consultation is not their own fact (the consultation itself, its Lists, shared resources). */
const NO_CONSULTATION = new Set([
  'Encounter',
  'List',
  'Medication',
  'Specimen',
  'Practitioner',
  'PractitionerRole',
]);

/**
 * The consultation an entry was recorded in, by its type and start: the consultation whose Lists hold it (or the
 * report, test group or plan that holds it); a problem's, its `context` (GP Connect lists problems apart). GP2GP
 * has the one place for an entry's consultation, the ehrComposition holding its statement, which readers give
 * as `context` too. An entry with a `context` but in none of its Lists is a known gap (docs/record-translation.md).
 */
function consultationOf(resource: FhirResource, index: Index): string | undefined {
  if (NO_CONSULTATION.has(resource.resourceType)) return undefined;
  let encounter = resource.resourceType === 'Condition' ? index.resolve(resource.context) : undefined;
  const seen = new Set<FhirResource>();
  for (let at = index.holderOf(resource); !encounter && at && !seen.has(at); at = index.holderOf(at)) {
    seen.add(at);
    const held = at as { context?: Reference; encounter?: Reference };
    encounter = index.resolve(held.context ?? held.encounter);
  }
  // A course was recorded where its authorisation was (GP2GP has the one statement for both).
  if (!encounter && resource.resourceType === 'MedicationStatement')
    for (const plan of [resource.basedOn ?? []].flat().map((ref) => index.resolve(ref)))
      if (plan) return consultationOf(plan, index);
  if (encounter?.resourceType !== 'Encounter') return undefined;
  return `${conceptText(encounter.type?.[0]) ?? ''} ${instantOf(encounter.period?.start) ?? ''}`.trim();
}
