import type { Dosage, Extension, MedicationRequest, MedicationStatement, Reference } from 'fhir/r3.js';
import { attr, child, path, type XmlElement } from '../../xml/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { dateTimeOf, toFhirDateTime } from './hl7-time.ts';
import { type CommonFields, NHS_CODE_SYSTEM, NHS_STRUCTURE } from './medication.ts';
import type { FoundMedication } from './medication-index.ts';

/** Adds the MedicationStatement summarising one authorisation (plan): status, period, last issue. */
export function addStatement(
  plan: MedicationRequest,
  planRef: Reference,
  f: FoundMedication,
  common: CommonFields,
  lastIssue: string | undefined,
  acute: boolean,
  ends: StatementEnds,
  ctx: MappingContext,
): void {
  const id = `${plan.id}-MS`;
  const extension: Extension[] = [
    {
      url: `${NHS_STRUCTURE}/Extension-CareConnect-GPC-PrescribingAgency-1`,
      valueCodeableConcept: {
        coding: [
          {
            system: `${NHS_CODE_SYSTEM}/CareConnect-PrescribingAgency-1`,
            code: 'prescribed-at-gp-practice',
            display: 'Prescribed at GP practice',
          },
        ],
      },
    },
  ];
  if (lastIssue) {
    extension.push({
      url: `${NHS_STRUCTURE}/Extension-CareConnect-GPC-MedicationStatementLastIssueDate-1`,
      valueDateTime: lastIssue,
    });
  }
  const start = plan.dispenseRequest?.validityPeriod?.start;
  // End: when it was stopped, else when the authorisation or the statement ended.
  const end =
    courseEnd(ends) ??
    ends.statementEnd ??
    (acute && plan.status !== 'active' ? (lastIssue ?? start) : undefined);
  const statement: MedicationStatement = {
    resourceType: 'MedicationStatement',
    id,
    meta: metaFor('CareConnect-GPC-MedicationStatement-1', { nopat: common.nopat }),
    extension,
    identifier: ctx.identifier(id),
    basedOn: [planRef],
    status: plan.status === 'stopped' ? 'stopped' : plan.status === 'active' ? 'active' : 'completed',
    subject: ctx.patientRef,
    taken: 'unk',
    dosage: [dosageOf(common.dosage)],
  };
  if (common.medicationReference) statement.medicationReference = common.medicationReference;
  if (f.scope.encounterRef) statement.context = f.scope.encounterRef;
  if (start || end) statement.effectivePeriod = { ...(start ? { start } : {}), ...(end ? { end } : {}) };
  const asserted = f.scope.recordedDate ?? toFhirDateTime(attr(f.statement, 'value', 'availabilityTime'));
  if (asserted) statement.dateAsserted = asserted;
  ctx.add(statement);
}

/**
 * When a course ended, from its authorisation: when it was stopped, unless the authorisation had already ended by
 * that day. A sender records a stopped course's end as the day it was stopped and the discontinuation at the
 * moment it was entered; the recorded end is the course's end as the clinician gave it.
 */
export function courseEnd(ends: StatementEnds): string | undefined {
  const { discontinued, authoriseHigh } = ends;
  if (discontinued && authoriseHigh && authoriseHigh.slice(0, 10) <= discontinued.slice(0, 10))
    return authoriseHigh;
  return discontinued ?? authoriseHigh;
}

/** Notes of a course (GP Connect's MedicationStatement.note), as labelled supply annotations on its authorisation. */
export const STATEMENT_NOTE = 'Statement Note: ';

/** Splits an authorisation's notes into its own and its course's (labelled with STATEMENT_NOTE). */
export function splitStatementNotes(notes: readonly { text: string }[]): {
  own: { text: string }[];
  statement: { text: string }[];
} {
  const own = notes.filter((n) => !n.text.startsWith(STATEMENT_NOTE));
  const statement = notes
    .filter((n) => n.text.startsWith(STATEMENT_NOTE))
    .map((n) => ({ text: n.text.slice(STATEMENT_NOTE.length) }));
  return { own, statement };
}

/** The candidate end dates of a MedicationStatement, most specific first. */
export interface StatementEnds {
  readonly discontinued?: string;
  readonly authoriseHigh?: string;
  readonly statementEnd?: string;
}

/** Reads the dates that can end a MedicationStatement. */
export function endsOf(
  auth: XmlElement,
  statement: XmlElement,
  discontinue: XmlElement | undefined,
): StatementEnds {
  const out: { -readonly [K in keyof StatementEnds]: StatementEnds[K] } = {};
  const discontinued = dateTimeOf(child(discontinue, 'availabilityTime'));
  if (discontinued) out.discontinued = discontinued;
  const high = dateTimeOf(path(auth, 'effectiveTime/high'));
  if (high) out.authoriseHigh = high;
  const statementEnd =
    dateTimeOf(path(statement, 'effectiveTime/high')) ?? dateTimeOf(path(statement, 'effectiveTime/center'));
  if (statementEnd) out.statementEnd = statementEnd;
  return out;
}

/** A single "Patient instruction:" after the dosage text: how the FHIR → HL7 direction writes it. */
const PATIENT_INSTRUCTION = /^(.*?)\s*Patient instruction: ((?:(?!Patient instruction: ).)*)$/s;

/**
 * A dosage text as FHIR Dosage: the patient instruction a GP Connect sender gave separately travels after the
 * dosage in the one text GP2GP has (`… Patient instruction: …`), and goes back to its field.
 */
export function dosageOf(text: string): Dosage {
  const m = PATIENT_INSTRUCTION.exec(text);
  if (!m?.[2]?.trim()) return { text };
  const dosage = m[1]?.trim();
  return { ...(dosage ? { text: dosage } : {}), patientInstruction: m[2].trim() };
}
