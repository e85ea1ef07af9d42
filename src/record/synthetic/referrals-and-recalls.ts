import type { Organization, ProcedureRequest, Reference, ReferralRequest } from 'fhir/r3.js';
import { HOSPITAL_KINDS } from './people-names.ts';
import { type RecordDraft, type Recorded, refTo } from './record-draft.ts';
import { DAY_MS, ukDate, ukInstant } from './uk-time.ts';
import { type Concept, RECALLS, REFERRALS } from './vocabulary.ts';

/** A hospital the practice refers to (one Organization per name in a record). */
export function hospital(draft: RecordDraft, town: string, kind?: string): Reference {
  const name = `${town} ${kind ?? draft.random.pick(HOSPITAL_KINDS)}`;
  return draft.shared(`organization:${name}`, () =>
    refTo(draft.add<Organization>({ resourceType: 'Organization', id: draft.id(), name })),
  );
}

/** An outbound referral (ReferralRequest, intent order) to a hospital service: mostly routine, some urgent. */
export function referral(draft: RecordDraft, recorded: Recorded, recipient: Reference): ReferralRequest {
  const { random } = draft;
  const priority = random.weighted<ReferralRequest['priority']>([
    ['routine', 75],
    ['urgent', 20],
    ['asap', 5],
  ]);
  return draft.add<ReferralRequest>({
    resourceType: 'ReferralRequest',
    id: draft.id(),
    status: 'active',
    intent: 'order',
    priority,
    subject: draft.agents.patient,
    authoredOn: ukInstant(recorded.at),
    requester: { agent: recorded.by.practitioner },
    recipient: [recipient],
    reasonCode: [draft.entryCode(random.pick(REFERRALS))],
    ...(random.chance(0.5)
      ? {
          description: random.pick([
            'Please see and advise',
            'For assessment and management',
            'Second opinion requested',
          ]),
        }
      : {}),
  });
}

/** A recall (ProcedureRequest, intent plan): what is due, and when. */
export function recall(draft: RecordDraft, recorded: Recorded, what?: Concept): ProcedureRequest {
  const { random } = draft;
  return draft.add<ProcedureRequest>({
    resourceType: 'ProcedureRequest',
    id: draft.id(),
    status: 'active',
    intent: 'plan',
    code: draft.entryCode(what ?? random.pick(RECALLS)),
    subject: draft.agents.patient,
    occurrenceDateTime: ukDate(recorded.at + random.int(28, 365) * DAY_MS),
    authoredOn: ukInstant(recorded.at),
    requester: { agent: recorded.by.practitioner },
    ...(random.chance(0.3)
      ? { note: [{ text: random.pick(['Annual review', 'Book with practice nurse', 'Send letter']) }] }
      : {}),
  });
}
