import type { Encounter, List, Reference } from 'fhir/r3.js';
import { attr, child, type XmlElement } from '../../xml/index.ts';
import { readHl7Code, toFhirCodeableConcept } from '../codes/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { dateTimeOf, effectiveTimeOf } from './hl7-time.ts';
import type { StatementScope } from './statement.ts';

/**
 * ehrComposition codes that mean "no consultation": data filed outside any encounter. Such compositions give
 * no Encounter; their statements are translated without a context.
 */
const NON_CONSULTATION = new Set(['196401000000100', '196391000000103']);

/**
 * True where the composition is a consultation: not a non-consultation code. One holding only EhrEmpty is a
 * consultation with nothing recorded (EMIS Web sends them; so do we for an Encounter without entries): it still
 * happened, so it is one, where the NHS requesting adaptor drops it.
 */
export function isConsultation(composition: XmlElement): boolean {
  const code = attr(composition, 'code', 'code');
  return !(code && NON_CONSULTATION.has(code));
}

/** True where the composition holds no entries, only EhrEmpty. */
export function isEmptyComposition(statements: readonly XmlElement[]): boolean {
  return statements.every((s) => s.local === 'EhrEmpty');
}

/** ehrComposition → Encounter (type, recorder and performer, period, location). */
export function mapEncounter(
  composition: XmlElement,
  id: string,
  scope: StatementScope,
  location: Reference | undefined,
  ctx: MappingContext,
): Reference | undefined {
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id,
    meta: metaFor('CareConnect-GPC-Encounter-1', { nopat: scope.nopat }),
    identifier: ctx.identifier(id),
    status: 'finished',
    subject: ctx.patientRef,
  };
  const codeEl = child(composition, 'code');
  if (codeEl) encounter.type = [toFhirCodeableConcept(readHl7Code(codeEl)).concept];
  const participant: NonNullable<Encounter['participant']> = [];
  if (scope.authorRef)
    participant.push(
      participantOf(
        'https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-ParticipantType-1',
        'REC',
        'recorder',
        scope.authorRef,
      ),
    );
  if (scope.performerRef)
    participant.push(
      participantOf(
        'http://hl7.org/fhir/v3/ParticipationType',
        'PPRF',
        'primary performer',
        scope.performerRef,
      ),
    );
  if (participant.length > 0) encounter.participant = participant;
  const when = effectiveTimeOf(composition);
  const start = when.point ?? when.start;
  if (start || when.end)
    encounter.period = { ...(start ? { start } : {}), ...(when.end ? { end: when.end } : {}) };
  if (location) encounter.location = [{ location }];
  return ctx.add(encounter, id) ? { reference: `Encounter/${id}` } : undefined;
}

function participantOf(system: string, code: string, display: string, individual: Reference) {
  return { type: [{ coding: [{ system, code, display }] }], individual };
}

/** The three GP Connect list levels of a consultation. */
export type ListLevel = 'consultation' | 'topic' | 'category';

const LIST_CODES: Readonly<Record<ListLevel, { code: string; display: string }>> = {
  consultation: { code: '325851000000107', display: 'Consultation' },
  topic: { code: '25851000000105', display: 'Topic (EHR)' },
  category: { code: '24781000000107', display: 'Category (EHR)' },
};

/** Builds a consultation, topic or category List (entries are filled in by the caller afterwards). */
export function makeList(
  level: ListLevel,
  id: string,
  source: XmlElement | undefined,
  encounterRef: Reference,
  fallbackDate: string | undefined,
  ctx: MappingContext,
  nopat: boolean,
): List {
  const list: List = {
    resourceType: 'List',
    id,
    meta: metaFor('CareConnect-GPC-List-1', { nopat }),
    status: 'current',
    mode: 'snapshot',
    code: { coding: [{ system: 'http://snomed.info/sct', ...LIST_CODES[level] }] },
    subject: ctx.patientRef,
    encounter: encounterRef,
    orderedBy: {
      coding: [{ system: 'http://hl7.org/fhir/list-order', code: 'system', display: 'Sorted by System' }],
    },
  };
  const codeEl = child(source, 'code');
  if (codeEl) {
    const c = readHl7Code(codeEl);
    const title = c.originalText ?? c.displayName;
    if (title) list.title = title;
  }
  const date =
    (level === 'consultation' ? undefined : dateTimeOf(child(source, 'availabilityTime'))) ?? fallbackDate;
  if (date) list.date = date;
  return list;
}

/** Sets a List's entries, or its emptyReason where nothing inside could be translated. */
export function setEntries(list: List, refs: readonly Reference[]): void {
  if (refs.length > 0) list.entry = refs.map((item) => ({ item }));
  else
    list.emptyReason = {
      coding: [
        { system: 'http://hl7.org/fhir/list-empty-reason', code: 'unavailable', display: 'Unavailable' },
      ],
    };
}
