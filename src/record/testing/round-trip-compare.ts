import type { Bundle, FhirResource, Observation, Practitioner, Reference, Resource } from 'fhir/r3.js';
import { DEGRADE_CODES, DEGRADED_TAG } from '../codes/index.ts';
import { CLINICAL_TYPES, fingerprint, mainConcept } from './clinical-fingerprint.ts';
import {
  codesOf,
  codingKey,
  conceptText,
  instantOf,
  notesOf,
  quantityOf,
  type Side,
} from './round-trip-values.ts';

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

/** The differences between the original record and its round trip (empty when the content survived). */
export function compareRoundTrip(original: Bundle, roundTrip: Bundle): RoundTripDifference[] {
  const before = new Index(original);
  const after = new Index(roundTrip);
  const madeUp = new Set([...madeUpProblemStatements(before, after), ...foldBloodPressures(after)]);
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
      .map((r) => JSON.stringify(clinical(r, after, 'round-trip')));
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

/** The Lists that shape a consultation (consultation, topic, category): GP2GP's ehrComposition structure. */
const CONSULTATION_LISTS = new Set(['325851000000107', '25851000000105', '24781000000107']);

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

/** The transfer-degraded codes a sender puts first where an entry has no SNOMED CT code (DESIGN.md §2). */
const DEGRADE_CODINGS = new Set(Object.values(DEGRADE_CODES).map((d) => `http://snomed.info/sct|${d.code}`));

/** True where the reader flagged the entry as degraded: its degrade code was added, not sent. */
function isDegraded(resource: FhirResource): boolean {
  return resource.meta?.tag?.some((t) => t.code === DEGRADED_TAG.code) === true;
}

/** "Other report": the composition code GP2GP requires, written for a consultation whose type has no SNOMED code. */
const OTHER_REPORT = 'http://snomed.info/sct|24591000000103';

/**
 * Codings that stand in for a missing code rather than name a concept, left out on both sides:
 * - a transfer-degraded code: a sender's (GP Connect bundles carry them too) and the one the reader adds are the
 *   same fact, that the entry has no SNOMED CT code, and the other codes are compared;
 * - "Other report" on a consultation: an ehrComposition must have a code from GP2GP's composition set, so a
 *   consultation type known only by its text travels as "Other report" with that text (compared).
 */
function isStandIn(resource: FhirResource, coding: string, side: Side): boolean {
  if (DEGRADE_CODINGS.has(coding)) return side === 'original' || isDegraded(resource);
  return resource.resourceType === 'Encounter' && coding === OTHER_REPORT;
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

const BP_PANELS = ['163020007', '386534000', '75367002', '163034007', '163035008', '163033001'];
const COMMENT_NOTE = '37331000000100';

/**
 * A blood pressure is a GP2GP BATTERY of a systolic and a diastolic ObservationStatement (and a narrative for
 * its comment); the NHS requesting adaptor, and we with it, read that back as a header Observation with member
 * Observations. Here the members are folded back into the header's components and comment, and left out
 * themselves: the same measurements, in FHIR's other shape.
 */
function foldBloodPressures(after: Index): FhirResource[] {
  const folded: FhirResource[] = [];
  for (const header of after.ofType('Observation')) {
    if (
      header.resourceType !== 'Observation' ||
      !header.code?.coding?.some((c) => BP_PANELS.includes(c.code ?? ''))
    )
      continue;
    const members = (header.related ?? [])
      .filter((r) => r.type === 'has-member')
      .map((r) => after.resolve(r.target))
      .filter((m): m is Observation => m?.resourceType === 'Observation');
    if (members.length === 0) continue;
    const notes = members.filter((m) => m.code?.coding?.some((c) => c.code === COMMENT_NOTE));
    const parts = members.filter((m) => !notes.includes(m));
    // The battery's note also restates what its two statements cannot hold (a missing measurement's reason,
    // interpretations); those lines are the fields, not comment text.
    const comment = notes
      .flatMap((n) => (n.comment ?? '').split('\n'))
      .filter((l) => !/^(Systolic|Diastolic) Measurement Absent: |^Interpretation\(s\): /.test(l.trim()))
      .join('\n');
    const { related: _related, ...rest } = header;
    after.replace(header, {
      ...rest,
      component: parts.map((p) => ({ code: p.code, valueQuantity: p.valueQuantity })),
      ...(comment ? { comment } : {}),
    });
    folded.push(...members);
  }
  return folded;
}

class Index {
  readonly resources: FhirResource[];
  /** Statements the sender made up (left out of the comparison). */
  madeUp: ReadonlySet<FhirResource> = new Set();
  readonly #byRef = new Map<string, FhirResource>();
  constructor(bundle: Bundle) {
    this.resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));
    for (const r of this.resources) this.#byRef.set(`${r.resourceType}/${r.id}`, r);
  }
  replace(old: FhirResource, neu: FhirResource): void {
    this.resources[this.resources.indexOf(old)] = neu;
    this.#byRef.set(`${neu.resourceType}/${neu.id}`, neu);
  }
  membersOf(obs: Observation): FhirResource[] {
    const ref = `Observation/${obs.id}`;
    const out = new Set<FhirResource>();
    for (const r of obs.related ?? []) {
      const target = r.type === 'has-member' ? this.resolve(r.target) : undefined;
      if (target) out.add(target);
    }
    for (const other of this.ofType('Observation')) {
      if (other.resourceType !== 'Observation') continue;
      if (other.related?.some((r) => r.type === 'derived-from' && r.target.reference === ref)) out.add(other);
    }
    return [...out].filter((m) => !this.madeUp.has(m));
  }
  ofType(type: string): FhirResource[] {
    return this.resources.filter((r) => r.resourceType === type);
  }
  resolve(ref: Reference | undefined): FhirResource | undefined {
    return ref?.reference ? this.#byRef.get(ref.reference) : undefined;
  }
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
  // An ehrComposition's statusCode is always COMPLETE in GP2GP, so an Encounter comes back `finished` whatever its
  // status was (EMIS Web gives `unknown` to some).
  if (resource.resourceType === 'Encounter') delete values.status;
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
    ...extraFacts(resource, index),
  };
}

/** Facts of each type beyond the shared fingerprint. */
function extraFacts(resource: FhirResource, index: Index): Record<string, unknown> {
  switch (resource.resourceType) {
    case 'Observation':
      return {
        range: resource.referenceRange?.map((rr) => [quantityOf(rr.low), quantityOf(rr.high), rr.text]),
        components: resource.component?.map((c) => [codesOf(c.code), quantityOf(c.valueQuantity)]),
        interpretation: conceptText(resource.interpretation),
        site: conceptText(resource.bodySite),
        method: conceptText(resource.method),
        valueConcept: codesOf(resource.valueCodeableConcept) || undefined,
        specimen: typeOfSpecimen(index.resolve(resource.specimen)),
        // Members either way round: has-member from the group, or derived-from back to it (GP2GP readers
        // link a result's comments with derived-from where GP Connect senders use has-member).
        members: nonEmpty(
          index
            .membersOf(resource)
            .map((m) => codesOf(mainConcept(asRecord(m))))
            .sort(),
        ),
      };
    case 'ReferralRequest':
      return { priority: resource.priority };
    case 'List':
      // What each List holds, by the types of its entries (ids differ).
      return {
        entries: (resource.entry ?? [])
          .map((e) => index.resolve(e.item)?.resourceType ?? 'unresolved')
          .sort(),
      };
    case 'DiagnosticReport':
      return {
        conclusion: resource.conclusion,
        diagnoses: resource.codedDiagnosis?.map((d) => d.text),
        results: (resource.result ?? [])
          .map((ref) => JSON.stringify(fingerprint(index.resolve(ref) ?? { resourceType: 'Missing' }).codes))
          .sort(),
        specimens: (resource.specimen ?? []).map((ref) => typeOfSpecimen(index.resolve(ref))).sort(),
      };
    case 'Specimen':
      return {
        specimenType: resource.type?.text,
        accession: resource.accessionIdentifier?.value,
        collected: instantOf(resource.collection?.collectedDateTime),
        received: instantOf(resource.receivedTime),
        site: resource.collection?.bodySite?.text,
        method: resource.collection?.method?.text,
        volume: quantityOf(resource.collection?.quantity),
      };
    case 'Condition':
      return {
        significance: resource.extension?.find((e) => e.url.endsWith('ProblemSignificance-1'))?.valueCode,
        related: (resource.extension ?? [])
          .filter((e) => e.url.endsWith('RelatedClinicalContent-1'))
          .map((e) => codesOf(mainConcept(asRecord(index.resolve(e.valueReference)))))
          .sort(),
      };
    case 'MedicationRequest':
    case 'MedicationStatement': {
      const dosage =
        resource.resourceType === 'MedicationRequest' ? resource.dosageInstruction : resource.dosage;
      return {
        medication: codesOf(mainConcept(asRecord(index.resolve(resource.medicationReference)))),
        patientInstruction: nonEmpty((dosage ?? []).flatMap((d) => d.patientInstruction ?? [])),
      };
    }
    case 'DocumentReference':
      return {
        documentType: resource.type?.text,
        // An absent attachment is flagged in the description for the practice (docs: deliberate difference).
        description:
          resource.description?.replace(/^Absent attachment: (AbsentAttachment\S*)?/, '') || undefined,
        indexed: instantOf(resource.indexed),
      };
    case 'Practitioner':
      return { name: nameOf(resource) };
    case 'PractitionerRole': {
      const practitioner = index.resolve(resource.practitioner);
      const org = index.resolve(resource.organization);
      return {
        role: resource.code?.map((c) => c.text ?? c.coding?.[0]?.display),
        practitioner: practitioner?.resourceType === 'Practitioner' ? nameOf(practitioner) : undefined,
        organization:
          org?.resourceType === 'Organization' ? [org.name, org.identifier?.[0]?.value] : undefined,
      };
    }
    default:
      return {};
  }
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** A person's name parts; spaces around a part are layout, not name (the HL7 writer trims them). */
function nameOf(p: Practitioner): unknown {
  const trim = (parts: string[] | undefined) => parts?.map((x) => x.trim());
  return p.name?.map((n) => [trim(n.prefix), trim(n.given), n.family?.trim()]);
}

function typeOfSpecimen(r: FhirResource | undefined): string | undefined {
  return r?.resourceType === 'Specimen' ? r.type?.text : undefined;
}

function asRecord(r: Resource | undefined): Record<string, unknown> {
  return (r ?? {}) as unknown as Record<string, unknown>;
}
