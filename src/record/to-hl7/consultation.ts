import type { Encounter, FhirResource, List, ListEntry } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { hasCode } from './bundle-index.ts';
import { codedElement, snomedCode } from './coded.ts';
import { ehrComposition } from './composition.ts';
import { isLinkSetOnly } from './condition.ts';
import type { TranslationContext } from './context.ts';
import { component, effectiveTime, idElement, statusCode, tsElement } from './datatypes.ts';
import type { ReferencedDocument } from './document.ts';
import { hl7Time } from './hl7-time.ts';
import { statementsFor } from './statements.ts';
import { cleanText } from './text.ts';

// GP Connect List codes that shape a consultation (GP Connect 1.6 "Consultations" guidance).
const CONSULTATION_LIST = '325851000000107';
const TOPIC_LIST = '25851000000105';
const CATEGORY_LIST = '24781000000107';
const RELATED_PROBLEM =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedProblemHeader-1';

/**
 * How a consultation's Lists are written: `topics` keeps GP Connect's Topic → Category structure as TOPIC and
 * CATEGORY CompoundStatements (GP2GP's consultation structure); `flat` puts the statements straight into the
 * ehrComposition, as early NHS sending adaptor releases did.
 */
export type ConsultationLayout = 'topics' | 'flat';

/** The consultation List of an Encounter, if it has one. */
export function consultationListOf(ctx: TranslationContext, encounter: Encounter): List | undefined {
  const key = ctx.index.keyFor(encounter);
  return ctx.index
    .ofType('List')
    .find((l) => hasCode(l.code, [CONSULTATION_LIST]) && ctx.index.resolveKey(l.encounter) === key);
}

/** The ehrComposition for one consultation (an EhrEmpty entry, with a warning, where it holds nothing). */
export function consultationComposition(
  ctx: TranslationContext,
  encounter: Encounter,
  list: List | undefined,
  layout: ConsultationLayout,
  documents: ReferencedDocument[],
): XmlSpec {
  ctx.markMapped(encounter);
  const start = hl7Time(encounter.period?.start);
  const end = hl7Time(encounter.period?.end);
  const recorded = hl7Time(list?.date) ?? start;
  const statements: XmlSpec[] = [];
  for (const topicRef of list ? entries(list) : []) {
    const topic = ctx.index.resolve(topicRef.item);
    if (topic?.resourceType !== 'List' || !hasCode(topic.code, [TOPIC_LIST])) {
      // Not the Topic a consultation should hold: translate it directly rather than lose it.
      if (topic) statements.push(...statementsFor(ctx, topic, documents));
      else ctx.warn(list, `consultation entry ${topicRef.item?.reference ?? '?'} does not resolve: skipped`);
      continue;
    }
    statements.push(...topicStatements(ctx, topic, layout, start, recorded, documents));
  }
  if (list) statements.push(...problemsRecordedIn(ctx, encounter, documents));
  if (statements.length === 0) {
    // A composition needs a component: GP2GP's EhrEmpty says the consultation holds no entries (EMIS Web sends
    // empty consultations this way).
    ctx.warn(encounter, 'consultation holds no clinical content: sent with an EhrEmpty entry');
    statements.push(x('EhrEmpty', { classCode: 'OBS', moodCode: 'EVN' }, idElement(ctx.newId())));
  }
  const participants = Array.isArray(encounter.participant) ? encounter.participant : [];
  const byType = (code: string) =>
    participants.find((p) => Array.isArray(p?.type) && p.type.some((t) => hasCode(t, [code])))?.individual;
  const performer = byType('PPRF') ?? participants[0]?.individual;
  const recorder = byType('REC') ?? performer;
  const type = Array.isArray(encounter.type) ? encounter.type[0] : undefined;
  const typeCode = codedElement('code', type, 'record-entry');
  const location = ctx.index.resolve(encounter.location?.[0]?.location);
  const locationName = location?.resourceType === 'Location' ? cleanText(location.name) : undefined;
  return ehrComposition(ctx, {
    id: ctx.idOf(encounter),
    // GP2GP composition types: a consultation without a SNOMED type is an "Other report" keeping its text.
    code: typeCode.degraded
      ? snomedCode(
          'code',
          '24591000000103',
          'Other report',
          cleanText(type?.text) ?? cleanText(type?.coding?.[0]?.display),
        )
      : typeCode.element,
    low: start,
    high: end,
    availability: recorded,
    authorTime: recorded,
    authorId: ctx.agentIdFor(recorder),
    performerId: ctx.agentIdFor(performer),
    location: locationName
      ? x(
          'location',
          { typeCode: 'LOC' },
          x(
            'locatedEntity',
            { classCode: 'LOCE' },
            x('locatedPlace', { classCode: 'PLC', determinerCode: 'INSTANCE' }, x('name', {}, locationName)),
          ),
        )
      : undefined,
    statements,
    source: encounter,
  });
}

/**
 * The problems recorded in this consultation (their `context`) that none of its Lists holds (EMIS Web lists its
 * problems apart, in "Problems"), where a problem is its LinkSet alone: the LinkSet goes in the consultation's
 * composition, beside its topics, so the problem comes back recorded in it. A problem whose statement is made
 * from it stays outside: that statement would be read as a consultation entry.
 */
function problemsRecordedIn(
  ctx: TranslationContext,
  encounter: Encounter,
  documents: ReferencedDocument[],
): XmlSpec[] {
  const key = ctx.index.keyFor(encounter);
  return ctx.index
    .ofType('Condition')
    .filter((c) => !ctx.isMapped(c) && ctx.index.resolveKey(c.context) === key && isLinkSetOnly(ctx, c))
    .flatMap((c) => statementsFor(ctx, c, documents));
}

function topicStatements(
  ctx: TranslationContext,
  topic: List,
  layout: ConsultationLayout,
  time: string | undefined,
  recorded: string | undefined,
  documents: ReferencedDocument[],
): XmlSpec[] {
  ctx.markMapped(topic);
  // A topic or category recorded at a time of its own keeps it; else it was recorded with the consultation.
  const topicRecorded = hl7Time(topic.date) ?? recorded;
  // Entries in the order the topic lists them: its categories, and entries filed straight in the topic (GP
  // Connect's flat form), which GP2GP's TOPIC holds as they are, as the NHS sending adaptor writes them.
  const inner: XmlSpec[] = [];
  for (const entry of entries(topic)) {
    const target = ctx.index.resolve(entry.item);
    if (!target) {
      ctx.warn(
        topic,
        `topic entry ${entry.item?.reference ?? entry.item?.display ?? '?'} does not resolve: skipped`,
      );
      continue;
    }
    if (target.resourceType === 'List' && hasCode(target.code, [CATEGORY_LIST])) {
      ctx.markMapped(target);
      const held = entries(target).flatMap((e) => resolveAndTranslate(ctx, target, e, documents));
      if (layout === 'flat') inner.push(...held);
      else if (held.length > 0) {
        const at = hl7Time(target.date) ?? topicRecorded;
        const code = titleCode(target.title);
        inner.push(compound(ctx, ctx.idOf(target), 'CATEGORY', code, time, at, held, target));
      }
    } else {
      inner.push(...statementsFor(ctx, target, documents));
    }
  }
  if (layout === 'flat' || inner.length === 0) return inner;
  const code = topicCode(ctx, topic);
  return [compound(ctx, ctx.idOf(topic), 'TOPIC', code, time, topicRecorded, inner, topic)];
}

function resolveAndTranslate(
  ctx: TranslationContext,
  list: List,
  entry: ListEntry,
  documents: ReferencedDocument[],
): XmlSpec[] {
  const target: FhirResource | undefined = ctx.index.resolve(entry.item);
  if (!target) {
    ctx.warn(
      list,
      `category entry ${entry.item?.reference ?? entry.item?.display ?? '?'} does not resolve: skipped`,
    );
    return [];
  }
  return statementsFor(ctx, target, documents);
}

function compound(
  ctx: TranslationContext,
  id: string,
  classCode: 'TOPIC' | 'CATEGORY',
  code: XmlSpec,
  time: string | undefined,
  recorded: string | undefined,
  statements: XmlSpec[],
  source: List,
): XmlSpec {
  return x(
    'CompoundStatement',
    { classCode, moodCode: 'EVN' },
    idElement(id),
    code,
    statusCode(),
    effectiveTime(time),
    tsElement('availabilityTime', recorded),
    ctx.confidentiality(source),
    ...statements.map(component),
  );
}

function topicCode(ctx: TranslationContext, topic: List): XmlSpec {
  const ext = (Array.isArray(topic.extension) ? topic.extension : []).find((e) => e?.url === RELATED_PROBLEM);
  const target = Array.isArray(ext?.extension)
    ? ext.extension.find((e) => e?.url === 'target')?.valueReference
    : undefined;
  const problem = ctx.index.resolve(target);
  if (problem?.resourceType === 'Condition') {
    const coded = codedElement('code', problem.code, 'record-entry');
    if (!coded.degraded) return coded.element;
  }
  return titleCode(topic.title);
}

function titleCode(title: string | undefined): XmlSpec {
  const text = cleanText(title);
  return x('code', { nullFlavor: 'UNK' }, text && x('originalText', {}, text));
}

function entries(list: List): ListEntry[] {
  return Array.isArray(list.entry) ? list.entry.filter((e) => e && typeof e === 'object') : [];
}
