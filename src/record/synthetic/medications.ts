import type { Extension, Medication, MedicationRequest, MedicationStatement, Reference } from 'fhir/r3.js';
import { ucum } from './observations.ts';
import type { Drug } from './problems-and-drugs.ts';
import { type RecordDraft, type Recorded, refTo } from './record-draft.ts';
import { DAY_MS, ukDate, ukInstant } from './uk-time.ts';

/**
 * Medication as GP Connect sends it: a Medication per drug; each authorisation a MedicationRequest with intent
 * plan and its MedicationStatement; each issue a MedicationRequest with intent order, basedOn its plan.
 */

const GPC = 'https://fhir.nhs.uk/STU3/StructureDefinition';
const PRESCRIPTION_TYPES = 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-PrescriptionType-1';

/** How an authorisation ended, where it did not simply run its course. */
export interface StopReason {
  readonly at: number;
  readonly reason: string;
}

/** Why a course is stopped early. */
export const STOP_REASONS: readonly string[] = [
  'Side effects',
  'No longer required',
  'Changed to alternative',
];

/** The Medication for a drug: one per drug in a record, shared by all its courses. */
function medicationFor(draft: RecordDraft, drug: Drug): Reference {
  return draft.shared(`medication:${drug.code}`, () =>
    refTo(
      draft.add<Medication>({
        resourceType: 'Medication',
        id: draft.id(),
        code: draft.entryCode(drug),
      }),
    ),
  );
}

function prescriptionType(type: 'repeat' | 'acute'): Extension {
  return {
    url: `${GPC}/Extension-CareConnect-GPC-PrescriptionType-1`,
    valueCodeableConcept: {
      coding: [{ system: PRESCRIPTION_TYPES, code: type, display: type === 'repeat' ? 'Repeat' : 'Acute' }],
    },
  };
}

/**
 * One authorisation (plan) from `start` to `end`, with its MedicationStatement and its issues every `drug.days`
 * days (at most `repeats`, or one for an acute course), none after `asOf`. Ongoing where `end` is undefined.
 * Returns the plan.
 */
export function authorisation(
  draft: RecordDraft,
  drug: Drug,
  recorded: Recorded,
  course: { type: 'repeat' | 'acute'; end?: number; repeats: number; stopped?: StopReason; asOf: number },
): MedicationRequest {
  const medicationReference = medicationFor(draft, drug);
  const start = recorded.at;
  const prescriber = recorded.by.practitioner;
  const issueDates: number[] = [];
  const lastIssue = Math.min(course.stopped?.at ?? course.end ?? Number.POSITIVE_INFINITY, course.asOf);
  const issues = course.type === 'acute' ? 1 : course.repeats;
  for (let at = start; issueDates.length < issues && at <= lastIssue; at += drug.days * DAY_MS)
    issueDates.push(at);
  const planStatus = course.stopped ? 'stopped' : course.end === undefined ? 'active' : 'completed';
  const validity = { start: ukDate(start), ...(course.end !== undefined ? { end: ukDate(course.end) } : {}) };
  const extension: Extension[] = [
    prescriptionType(course.type),
    {
      url: `${GPC}/Extension-CareConnect-GPC-MedicationRepeatInformation-1`,
      extension: [
        {
          url: 'numberOfRepeatPrescriptionsAllowed',
          valueUnsignedInt: course.type === 'acute' ? 0 : course.repeats,
        },
        { url: 'numberOfRepeatPrescriptionsIssued', valueUnsignedInt: issueDates.length },
      ],
    },
  ];
  if (course.stopped)
    extension.push({
      url: `${GPC}/Extension-CareConnect-GPC-MedicationStatusReason-1`,
      extension: [
        { url: 'statusChangeDate', valueDateTime: ukDate(course.stopped.at) },
        { url: 'statusReason', valueCodeableConcept: { text: course.stopped.reason } },
      ],
    });
  const common = {
    subject: draft.agents.patient,
    medicationReference,
    dosageInstruction: [{ text: drug.dosage }],
  };
  const plan = draft.add<MedicationRequest>({
    resourceType: 'MedicationRequest',
    id: draft.id(),
    extension,
    status: planStatus,
    intent: 'plan',
    ...common,
    authoredOn: ukInstant(start),
    requester: { agent: prescriber },
    recorder: prescriber,
    dispenseRequest: { validityPeriod: validity, quantity: { value: drug.quantity, unit: drug.unit } },
  });
  draft.add<MedicationStatement>({
    resourceType: 'MedicationStatement',
    id: draft.id(),
    basedOn: [refTo(plan)],
    status: planStatus === 'active' ? 'active' : planStatus === 'stopped' ? 'stopped' : 'completed',
    medicationReference,
    effectivePeriod: validity,
    dateAsserted: ukInstant(start),
    subject: draft.agents.patient,
    taken: 'unk',
    dosage: [{ text: drug.dosage }],
  });
  for (const at of issueDates)
    draft.add<MedicationRequest>({
      resourceType: 'MedicationRequest',
      id: draft.id(),
      extension: [prescriptionType(course.type)],
      status: 'completed',
      intent: 'order',
      basedOn: [refTo(plan)],
      ...common,
      authoredOn: ukInstant(at),
      requester: { agent: prescriber },
      recorder: prescriber,
      dispenseRequest: {
        validityPeriod: { start: ukDate(at) },
        quantity: { value: drug.quantity, unit: drug.unit },
        expectedSupplyDuration: ucum(drug.days, 'd'),
      },
    });
  return plan;
}

/** A one-off course: an acute authorisation lasting one supply, issued once when it is written. */
export function acuteCourse(
  draft: RecordDraft,
  drug: Drug,
  recorded: Recorded,
  asOf: number,
): MedicationRequest {
  return authorisation(draft, drug, recorded, {
    type: 'acute',
    repeats: 0,
    end: recorded.at + drug.days * DAY_MS,
    asOf,
  });
}

/**
 * A repeat course from its first authorisation, still taken at `asOf`, as yearly authorisations each allowing
 * a year's issues; now and then stopped early for a reason. Returns the plans, first authorisation first.
 */
export function repeatCourse(
  draft: RecordDraft,
  drug: Drug,
  first: Recorded,
  asOf: number,
): MedicationRequest[] {
  const { random } = draft;
  const finish = asOf;
  const stopped: StopReason | undefined =
    random.chance(0.12) && finish - first.at > 60 * DAY_MS
      ? {
          at: first.at + random.int(30, Math.floor((finish - first.at) / DAY_MS)) * DAY_MS,
          reason: random.pick(STOP_REASONS),
        }
      : undefined;
  const repeats = Math.min(13, Math.ceil(365 / drug.days));
  const plans: MedicationRequest[] = [];
  for (let start = first.at; start < (stopped?.at ?? finish); start += 365 * DAY_MS) {
    const next = start + 365 * DAY_MS;
    const last = next >= (stopped?.at ?? finish);
    const recorded = plans.length === 0 ? first : draft.recordedAt(start);
    const end = last ? stopped?.at : next - DAY_MS;
    plans.push(
      authorisation(draft, drug, recorded, {
        type: 'repeat',
        repeats,
        asOf,
        ...(end !== undefined ? { end } : {}),
        ...(last && stopped ? { stopped } : {}),
      }),
    );
  }
  return plans;
}
