import type { ProcedureRequest, ReferralRequest } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import {
  agentRef,
  effectiveTime,
  idElement,
  participant,
  SNOMED_OID,
  statusCode,
  textElement,
  tsElement,
} from './datatypes.ts';
import { effectiveFrom, firstTime } from './statement-times.ts';
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

/** A RequestStatement for an outbound ReferralRequest: reason, recipients and priority. */
export function requestStatement(ctx: TranslationContext, referral: ReferralRequest): XmlSpec {
  const reason = Array.isArray(referral.reasonCode) ? referral.reasonCode[0] : undefined;
  const coded = codedElement('code', reason ?? referral.type, 'referral');
  if (coded.degraded) ctx.warn(referral, 'no SNOMED CT code: sent as a transfer-degraded referral');
  const recipients = (Array.isArray(referral.recipient) ? referral.recipient : []).map((r) =>
    ctx.index.resolve(r),
  );
  const recipientNames = recipients
    .map((r) =>
      r?.resourceType === 'Organization'
        ? r.name
        : r?.resourceType === 'Practitioner'
          ? joinText([r.name?.[0]?.given?.join(' '), r.name?.[0]?.family])
          : undefined,
    )
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
    coded.element,
    textElement('text', text),
    statusCode(referral.status === 'active' ? 'ACTIVE' : 'COMPLETE'),
    effectiveTime(undefined),
    tsElement('availabilityTime', firstTime(referral.authoredOn, referral.occurrenceDateTime)),
    priority && x('priorityCode', { code: priority[0], codeSystem: SNOMED_OID, displayName: priority[1] }),
    ctx.confidentiality(referral),
    recipientAgent &&
      x(
        'responsibleParty',
        { typeCode: 'RESP' },
        agentRef(ctx.agentIdFor({ reference: `${recipientAgent.resourceType}/${recipientAgent.id}` })),
      ),
    referral.requester?.agent && participant(ctx.agentIdFor(referral.requester.agent), 'AUT'),
  );
}
