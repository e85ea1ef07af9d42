import type { FhirResource } from 'fhir/r3.js';
import type { XmlSpec } from '../../xml/index.ts';
import { allergyStatement } from './allergy.ts';
import { batteryHeaderOf, batteryMembers, batteryStatement, isBattery } from './battery.ts';
import { bloodPressureBattery, isBloodPressure } from './blood-pressure.ts';
import { conditionStatements } from './condition.ts';
import type { TranslationContext } from './context.ts';
import { diagnosticReportStatement } from './diagnostic-report.ts';
import { documentStatement, type ReferencedDocument } from './document.ts';
import { immunizationStatement } from './immunization.ts';
import { isStoppedOrder, medicationStatement } from './medication.ts';
import { commentNarrative, isCommentNote, observationStatement } from './observation.ts';
import { planStatement, requestStatement } from './plan-and-request.ts';

/** Resource types that become statements in the extract. */
export const STATEMENT_TYPES: ReadonlySet<string> = new Set([
  'AllergyIntolerance',
  'Condition',
  'DiagnosticReport',
  'DocumentReference',
  'Immunization',
  'MedicationRequest',
  'Observation',
  'ProcedureRequest',
  'ReferralRequest',
]);

/** What kind of entry a resource makes; decides the non-consultation composition code. */
export type StatementKind = 'comment' | 'blood-pressure' | 'report' | 'problem' | 'medication' | 'other';

/** The kind of statement a resource becomes. */
export function statementKind(resource: FhirResource): StatementKind {
  switch (resource.resourceType) {
    case 'Observation':
      return isCommentNote(resource) ? 'comment' : isBloodPressure(resource) ? 'blood-pressure' : 'other';
    case 'DiagnosticReport':
      return 'report';
    case 'Condition':
      return 'problem';
    case 'MedicationRequest':
      return 'medication';
    default:
      return 'other';
  }
}

/**
 * The statements for one resource, marking it written. A resource that is not a statement type, was written
 * already, or fails to translate gives no statements and (except for the already-written case) a warning:
 * one bad entry never stops the record.
 */
export function statementsFor(
  ctx: TranslationContext,
  resource: FhirResource,
  documents: ReferencedDocument[],
): XmlSpec[] {
  if (ctx.isMapped(resource)) return [];
  if (!STATEMENT_TYPES.has(resource.resourceType)) {
    if (
      resource.resourceType !== 'List' &&
      resource.resourceType !== 'Encounter' &&
      resource.resourceType !== 'MedicationStatement'
    ) {
      ctx.warn(resource, 'resource type is not carried in a GP2GP extract: skipped');
    }
    return [];
  }
  // A battery member met before its header is written inside the battery, where it belongs.
  const header = resource.resourceType === 'Observation' ? batteryHeaderOf(ctx.index, resource) : undefined;
  if (header && !ctx.isMapped(header)) return statementsFor(ctx, header, documents);
  ctx.markMapped(resource);
  try {
    return build(ctx, resource, documents);
  } catch (error) {
    ctx.warn(
      resource,
      `could not be translated (${error instanceof Error ? error.message : String(error)}): skipped`,
    );
    return [];
  }
}

function build(ctx: TranslationContext, resource: FhirResource, documents: ReferencedDocument[]): XmlSpec[] {
  switch (resource.resourceType) {
    case 'AllergyIntolerance':
      return [allergyStatement(ctx, resource)];
    case 'Condition':
      return conditionStatements(ctx, resource);
    case 'DiagnosticReport':
      return [diagnosticReportStatement(ctx, resource)];
    case 'DocumentReference':
      return [documentStatement(ctx, resource, documents)];
    case 'Immunization':
      return [immunizationStatement(ctx, resource)];
    case 'MedicationRequest':
      if (isStoppedOrder(resource)) {
        ctx.warn(resource, 'stopped issue (never supplied): not sent');
        return [];
      }
      return [medicationStatement(ctx, resource)];
    case 'Observation':
      if (isCommentNote(resource)) return [commentNarrative(ctx, resource)];
      if (isBloodPressure(resource)) return [bloodPressureBattery(ctx, resource)];
      if (isBattery(ctx.index, resource)) {
        const members = batteryMembers(ctx.index, resource).flatMap((m) => statementsFor(ctx, m, documents));
        return [batteryStatement(ctx, resource, members)];
      }
      return [observationStatement(ctx, resource)];
    case 'ProcedureRequest':
      return [planStatement(ctx, resource)];
    case 'ReferralRequest':
      return [requestStatement(ctx, resource)];
    default:
      return [];
  }
}
