import type { ProcedureRequest, ReferralRequest } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import {
  agentRef,
  component,
  effectiveTime,
  idElement,
  participant,
  SNOMED_OID,
  statementRef,
  statusCode,
  textElement,
  tsElement,
} from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { effectiveFrom, firstTime } from './statement-times.ts';
import { STATEMENT_TYPES } from './statement-types.ts';
import { cleanText, joinText } from './text.ts';

/** A PlanStatement for a ProcedureRequest (diary entry or recall): what is planned and when. */
export function planStatement(ctx: TranslationContext, request: ProcedureRequest): XmlSpec {
  const coded = codedElement('code', request.code, 'plan');
  if (coded.degraded) ctx.warn(request, 'no SNOMED CT code: sent as a transfer-degraded plan');
  const text = joinText(
    [
      ...(Array.isArray(request.reasonCode)
        ? request.reasonCode.map((r) => conceptText(r) && `Reason: ${conceptText(r)}`)
        : []),
      ...(Array.isArray(request.note) ? request.note.map((n) => n?.text) : []),
      request.status === 'cancelled' ? 'Status: cancelled' : undefined,
    ],
    '\n',
  );
  return x(
    'PlanStatement',
    { classCode: 'OBS', moodCode: 'INT' },
    idElement(ctx.idOf(request)),
    coded.element,
    textElement('text', text),
    statusCode(request.status === 'active' ? 'ACTIVE' : 'COMPLETE'),
    effectiveFrom(request.occurrenceDateTime, request.occurrencePeriod),
    tsElement(
      'availabilityTime',
      firstTime(request.authoredOn, request.occurrenceDateTime, request.occurrencePeriod?.start),
    ),
    ctx.confidentiality(request),
    request.requester?.agent && participant(ctx.agentIdFor(request.requester.agent), 'PRF'),
  );
}

// GP Connect referral priorities → SNOMED priority codes used by GP2GP.
const PRIORITIES: Readonly<Record<string, readonly [string, string]>> = {
  routine: ['394848005', 'Normal'],
  urgent: ['394849002', 'High'],
  asap: ['394849002', 'High'],
  stat: ['88694003', 'Immediate'],
};

/** The line that tells asap from urgent (both travel as priority High), in the NHS sending adaptor's words. */
export const ASAP_LINE = 'Priority: ASAP';

/**
 * The statements of an outbound ReferralRequest: its RequestStatement (reason, recipients, priority, action
 * date), and where it has supporting information (its letters), a LinkSet naming the request and linking them,
 * in the form GP2GP readers take for it (coded 394776006 with no qualifier or text), never a problem.
 */
export function referralStatements(ctx: TranslationContext, referral: ReferralRequest): XmlSpec[] {
  const request = requestStatement(ctx, referral);
  const supporting = (Array.isArray(referral.supportingInfo) ? referral.supportingInfo : [])
    .map((r) => ctx.index.resolve(r))
    .filter((r) => r !== undefined && STATEMENT_TYPES.has(r.resourceType));
  if (supporting.length === 0) return [request];
  const linkSet = x(
    'LinkSet',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(ctx.newId()),
    x('code', { code: '394776006', codeSystem: SNOMED_OID, displayName: 'Unspecified problem' }),
    statusCode(),
    effectiveTime(undefined),
    tsElement('availabilityTime', hl7Time(referral.authoredOn)),
    ctx.confidentiality(referral),
    ...supporting.map((r) => component(statementRef(ctx.idOf(r!)))),
    x(
      'conditionNamed',
      { typeCode: 'NAME', inversionInd: 'true' },
      statementRef(ctx.idOf(referral), 'namedStatementRef'),
    ),
  );
  return [request, linkSet];
}

/** A RequestStatement for an outbound ReferralRequest: reason, recipients, priority and action date. */
function requestStatement(ctx: TranslationContext, referral: ReferralRequest): XmlSpec {
  const reason = Array.isArray(referral.reasonCode) ? referral.reasonCode[0] : undefined;
  const coded = codedElement('code', reason ?? referral.type, 'referral');
  // The patient referred themselves: a self-referral, with no practitioner as requester (GP2GP's qualifier).
  const selfReferral = isSelfReferral(ctx, referral);
  if (coded.degraded) ctx.warn(referral, 'no SNOMED CT code: sent as a transfer-degraded referral');
  // A recipient known by name only (a display-only reference, as readers make of a "Recipient:" line) is named
  // by its display, so a record read from an extract sends its recipients on.
  const refs = Array.isArray(referral.recipient) ? referral.recipient : [];
  const recipients = refs.map((r) => ctx.index.resolve(r));
  const recipientNames = refs
    .map((ref, i) => {
      const r = recipients[i];
      return r?.resourceType === 'Organization'
        ? r.name
        : r?.resourceType === 'Practitioner'
          ? joinText([r.name?.[0]?.given?.join(' '), r.name?.[0]?.family])
          : cleanText(ref?.display);
    })
    .filter((n) => n !== undefined);
  // One fact a line, each labelled so the reader can put it back (from-hl7/referral-text.ts): one line per
  // recipient (a name may hold commas); asap, which GP2GP's priority codes cannot tell from urgent, as the NHS
  // sending adaptor words it; the description last, since it may run over several lines.
  const description = cleanText(referral.description);
  const text = joinText(
    [
      ...recipientNames.map((name) => `Recipient: ${name}`),
      referral.type && conceptText(referral.type) && `Type: ${conceptText(referral.type)}`,
      ...(Array.isArray(referral.serviceRequested)
        ? referral.serviceRequested.map((s) => conceptText(s) && `Service: ${conceptText(s)}`)
        : []),
      ...(Array.isArray(referral.note) ? referral.note.map((n) => n?.text) : []),
      referral.priority === 'asap' ? ASAP_LINE : undefined,
      description && `Description: ${description}`,
    ],
    '\n',
  );
  const priority = typeof referral.priority === 'string' ? PRIORITIES[referral.priority] : undefined;
  const recipientAgent = recipients.find(
    (r) => r?.resourceType === 'Practitioner' || r?.resourceType === 'Organization',
  );
  return x(
    'RequestStatement',
    { classCode: 'OBS', moodCode: 'RQO' },
    idElement(ctx.idOf(referral)),
    selfReferral ? withQualifier(coded.element, SELF_REFERRAL_QUALIFIER) : coded.element,
    textElement('text', text),
    statusCode(referral.status === 'active' ? 'ACTIVE' : 'COMPLETE'),
    // The action date: when the referral is to happen.
    effectiveTime(hl7Time(referral.occurrenceDateTime ?? referral.occurrencePeriod?.start)),
    tsElement('availabilityTime', firstTime(referral.authoredOn, referral.occurrenceDateTime)),
    priority && x('priorityCode', { code: priority[0], codeSystem: SNOMED_OID, displayName: priority[1] }),
    ctx.confidentiality(referral),
    recipientAgent &&
      x(
        'responsibleParty',
        { typeCode: 'RESP' },
        agentRef(ctx.agentIdFor({ reference: `${recipientAgent.resourceType}/${recipientAgent.id}` })),
      ),
    referral.requester?.agent &&
      !selfReferral &&
      participant(ctx.agentIdFor(referral.requester.agent), 'AUT'),
  );
}

/** The qualifier GP2GP gives a self-referral's code. */
const SELF_REFERRAL_QUALIFIER = x('qualifier', { inverted: 'false' }, x('value', { code: 'SelfReferral' }));

/** True where the patient (or someone for them) requested the referral, not a practitioner. */
function isSelfReferral(ctx: TranslationContext, referral: ReferralRequest): boolean {
  const requester = ctx.index.resolve(referral.requester?.agent);
  return requester?.resourceType === 'Patient' || requester?.resourceType === 'RelatedPerson';
}

/** A CD element with a qualifier added where the schema puts it (after originalText, before translations). */
function withQualifier(code: XmlSpec, qualifier: XmlSpec): XmlSpec {
  const children = [...code.children];
  const at = children.findIndex(
    (c) => typeof c === 'object' && c !== null && 'name' in c && c.name === 'translation',
  );
  children.splice(at < 0 ? children.length : at, 0, qualifier);
  return { ...code, children };
}
