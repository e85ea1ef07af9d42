import type { ProcedureRequest, Reference, ReferralRequest } from 'fhir/r3.js';
import { attr, child, type XmlElement } from '../../xml/index.ts';
import { toFhirCodeableConcept } from '../codes/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { dateTimeOf, effectiveTimeOf } from './hl7-time.ts';
import { readReferralText } from './referral-text.ts';
import {
  annotationsOf,
  codeOf,
  isNopat,
  performerOf,
  type StatementScope,
  statementId,
  textChild,
} from './statement.ts';

/** PlanStatement (a recall or planned activity) → ProcedureRequest, intent "plan"; code degrades to "plan". */
export function mapPlan(
  element: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  const id = statementId(element);
  if (!id) {
    ctx.warn('PlanStatement without id/@root skipped');
    return undefined;
  }
  const code = codeOf(element);
  const { concept, degraded } = code
    ? toFhirCodeableConcept(code, { degradeKind: 'plan' })
    : { concept: {}, degraded: true };
  if (degraded) ctx.warn(`ProcedureRequest/${id}: no SNOMED CT code (${code?.code ?? 'no code'}), degraded`);
  const req: ProcedureRequest = {
    resourceType: 'ProcedureRequest',
    id,
    meta: metaFor('CareConnect-GPC-ProcedureRequest-1', { nopat: scope.nopat || isNopat(element), degraded }),
    identifier: ctx.identifier(id),
    // A completed PlanStatement says the record of the recall is complete, not whether it was done: unknown.
    status: isActive(element) ? 'active' : 'unknown',
    intent: 'plan',
    code: concept,
    subject: ctx.patientRef,
  };
  if (scope.encounterRef) req.context = scope.encounterRef;
  const when = effectiveTimeOf(element);
  if (when.point) req.occurrenceDateTime = when.point;
  else if (when.start || when.end) req.occurrencePeriod = { ...when };
  const authored = dateTimeOf(child(element, 'availabilityTime')) ?? scope.recordedDate;
  if (authored) req.authoredOn = authored;
  const agent = performerOf(element, scope, ctx);
  if (agent) req.requester = { agent };
  const text = textChild(element);
  const notes = [...(text ? [text] : []), ...annotationsOf(element)];
  if (notes.length > 0) req.note = notes.map((t) => ({ text: t }));
  return ctx.add(req, id) ? { reference: `ProcedureRequest/${id}` } : undefined;
}

/** RequestStatement (a referral) → ReferralRequest, intent "order"; code degrades to "referral". */
export function mapReferral(
  element: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  const id = statementId(element);
  if (!id) {
    ctx.warn('RequestStatement without id/@root skipped');
    return undefined;
  }
  const code = codeOf(element);
  const { concept, degraded } = code
    ? toFhirCodeableConcept(code, { degradeKind: 'referral' })
    : { concept: {}, degraded: true };
  if (degraded) ctx.warn(`ReferralRequest/${id}: no SNOMED CT code (${code?.code ?? 'no code'}), degraded`);
  const ref: ReferralRequest = {
    resourceType: 'ReferralRequest',
    id,
    meta: metaFor('CareConnect-GPC-ReferralRequest-1', { nopat: scope.nopat || isNopat(element), degraded }),
    identifier: ctx.identifier(id),
    status: isActive(element) ? 'active' : 'unknown',
    intent: 'order',
    subject: ctx.patientRef,
    reasonCode: [concept],
  };
  const priority = attr(element, 'code', 'priorityCode');
  // SNOMED priority qualifiers, as the FHIR → HL7 direction writes them (asap travels as High: urgent).
  if (priority === '88694003') ref.priority = 'stat';
  else if (priority === '394849002') ref.priority = 'urgent';
  else if (priority === '394848005') ref.priority = 'routine';
  if (scope.encounterRef) ref.context = scope.encounterRef;
  const authored = dateTimeOf(child(element, 'availabilityTime')) ?? scope.recordedDate;
  if (authored) ref.authoredOn = authored;
  const agent = performerOf(element, scope, ctx);
  if (agent) ref.requester = { agent };
  const said = readReferralText(textChild(element));
  // Both travel as High; the "Priority: ASAP" line tells asap apart.
  if (said.asap && ref.priority === 'urgent') ref.priority = 'asap';
  if (said.description) ref.description = said.description;
  // Recipients come back by name: the text names them, not which directory entry they were.
  if (said.recipients.length > 0) ref.recipient = said.recipients.map((display) => ({ display }));
  const notes = [...(said.notes ? [said.notes] : []), ...annotationsOf(element)];
  if (notes.length > 0) ref.note = notes.map((t) => ({ text: t }));
  return ctx.add(ref, id) ? { reference: `ReferralRequest/${id}` } : undefined;
}

/** True where the statement's statusCode is ACTIVE (a plan or referral still open when the record was sent). */
function isActive(element: XmlElement): boolean {
  return attr(element, 'code', 'statusCode') === 'ACTIVE';
}
