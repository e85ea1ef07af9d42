import type {
  Observation,
  Organization,
  Practitioner,
  ProcedureRequest,
  Reference,
  ReferralRequest,
  Resource,
} from 'fhir/r3.js';
import { attr, child, childElements, type XmlElement } from '../../xml/index.ts';
import { readHl7Code, toFhirCodeableConcept } from '../codes/index.ts';
import { conceptDegradeReason, type MappingContext, metaFor } from './context.ts';
import { dateTimeOf, effectiveTimeOf } from './hl7-time.ts';
import { mapObservation } from './observation.ts';
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
    ctx.skip(element, 'no id', 'PlanStatement without id/@root skipped');
    return undefined;
  }
  const code = codeOf(element);
  const translated = code
    ? toFhirCodeableConcept(code, { degradeKind: 'plan' })
    : { concept: {}, degraded: true };
  const { concept, degraded } = translated;
  if (degraded)
    ctx.degrade(
      element,
      conceptDegradeReason(translated),
      `ProcedureRequest/${id}: no SNOMED CT code (${code?.code ?? 'no code'}), degraded`,
    );
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
  return ctx.add(req, id, element) ? { reference: `ProcedureRequest/${id}` } : undefined;
}

/**
 * RequestStatement (a referral) → ReferralRequest, intent "order"; code degrades to "referral". The recipient
 * named by `responsibleParty` is referenced from the agent directory; priority text a code cannot hold ("Two
 * week wait") and the action date (the statement's effective time) are kept. A self-referral (code qualified
 * `SelfReferral`) is an Observation: nobody at the practice requested it.
 */
export function mapReferral(
  element: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  if (isSelfReferral(element)) return mapSelfReferral(element, scope, ctx);
  const id = statementId(element);
  if (!id) {
    ctx.skip(element, 'no id', 'RequestStatement without id/@root skipped');
    return undefined;
  }
  const code = codeOf(element);
  const translated = code
    ? toFhirCodeableConcept(code, { degradeKind: 'referral' })
    : { concept: {}, degraded: true };
  const { concept, degraded } = translated;
  if (degraded)
    ctx.degrade(
      element,
      conceptDegradeReason(translated),
      `ReferralRequest/${id}: no SNOMED CT code (${code?.code ?? 'no code'}), degraded`,
    );
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
  // The action date: when the referral is to happen (not when it was recorded, the availability time).
  const action = effectiveTimeOf(element, false);
  const actionDate = action.point ?? action.start;
  if (actionDate) ref.occurrenceDateTime = actionDate;
  const agent = performerOf(element, scope, ctx);
  if (agent) ref.requester = { agent };
  const said = readReferralText(textChild(element));
  // Both travel as High; the "Priority: ASAP" line tells asap apart.
  if (said.asap && ref.priority === 'urgent') ref.priority = 'asap';
  if (said.description) ref.description = said.description;
  const recipients = recipientsOf(element, said.recipients, ctx);
  if (recipients.length > 0) ref.recipient = recipients;
  const priorityText = priorityTextOf(element);
  const notes = [
    ...(priorityText ? [`Priority: ${priorityText}`] : []),
    ...(said.notes ? [said.notes] : []),
    ...annotationsOf(element),
  ];
  if (notes.length > 0) ref.note = notes.map((t) => ({ text: t }));
  return ctx.add(ref, id, element) ? { reference: `ReferralRequest/${id}` } : undefined;
}

/** The SNOMED priority codes the `priority` field holds; any other priority is kept as text. */
const KNOWN_PRIORITIES: ReadonlySet<string> = new Set(['88694003', '394849002', '394848005']);

/**
 * What a priority says beyond the code: its original text ("Two week wait"), or the display of a priority code
 * the `priority` field cannot hold. Undefined where the code says it all.
 */
function priorityTextOf(element: XmlElement): string | undefined {
  const priority = child(element, 'priorityCode');
  if (!priority) return undefined;
  const read = readHl7Code(priority);
  if (read.originalText && read.originalText !== read.displayName) return read.originalText;
  if (read.code && KNOWN_PRIORITIES.has(read.code)) return undefined;
  return read.originalText ?? read.displayName ?? read.code;
}

/**
 * The referral's recipients: those its text names (display only), and the agent its `responsibleParty` names,
 * referenced from the agent directory (taking the place of the same name in the text).
 */
function recipientsOf(element: XmlElement, named: readonly string[], ctx: MappingContext): Reference[] {
  const recipients: Reference[] = named.map((display) => ({ display }));
  const party = child(element, 'responsibleParty');
  const agent = ctx.agentRef(attr(party, 'root', 'agentRef/id'));
  if (!agent) return recipients;
  const name = agentName(ctx.made(agent));
  const same = name === undefined ? -1 : recipients.findIndex((r) => r.display === name);
  const recipient = { ...agent, ...(name ? { display: name } : {}) };
  if (same >= 0) recipients[same] = recipient;
  else recipients.unshift(recipient);
  return recipients;
}

/** A Practitioner's or Organization's name as the writer names a recipient in the text. */
function agentName(resource: Resource | undefined): string | undefined {
  if (resource?.resourceType === 'Organization') return (resource as Organization).name;
  if (resource?.resourceType !== 'Practitioner') return undefined;
  const name = (resource as Practitioner).name?.[0];
  return [...(name?.given ?? []), name?.family].filter((p) => p).join(' ') || undefined;
}

/** True where the request's code is qualified as a self-referral (the patient referred themselves). */
function isSelfReferral(element: XmlElement): boolean {
  const code = child(element, 'code');
  return (
    code !== undefined &&
    childElements(code, 'qualifier').some((q) => attr(q, 'code', 'value') === SELF_REFERRAL)
  );
}

/** The qualifier value GP2GP senders give a self-referral's code. */
const SELF_REFERRAL = 'SelfReferral';

/** A self-referral → Observation: what the patient referred themselves for, when, and its text. */
function mapSelfReferral(
  element: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  const ref = mapObservation(element, scope, ctx);
  const obs = ctx.made(ref) as Observation | undefined;
  const text = textChild(element);
  if (obs && text) obs.comment = obs.comment ? `${text}\n${obs.comment}` : text;
  return ref;
}

/** True where the statement's statusCode is ACTIVE (a plan or referral still open when the record was sent). */
function isActive(element: XmlElement): boolean {
  return attr(element, 'code', 'statusCode') === 'ACTIVE';
}
