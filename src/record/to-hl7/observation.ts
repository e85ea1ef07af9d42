import type { Observation, ObservationComponent, ObservationReferenceRange, Quantity } from 'fhir/r3.js';
import { type XmlChild, type XmlSpec, x } from '../../xml/index.ts';
import { hasCode } from './bundle-index.ts';
import { codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import { idElement, participant, quantityElement, statusCode, tsElement, xsiType } from './datatypes.ts';
import { effectiveFrom, firstTime } from './statement-times.ts';
import { cleanText, joinText } from './text.ts';

/** GP Connect's code for a free-text comment note recorded as an Observation. */
export const COMMENT_NOTE_CODE = '37331000000100';

/** True where the Observation is a comment note (mapped to a NarrativeStatement). */
export function isCommentNote(obs: Observation): boolean {
  return hasCode(obs.code, [COMMENT_NOTE_CODE]);
}

/** The HL7 availability time of an Observation: when issued, else when it happened. */
export function observationAvailability(obs: Observation): string | undefined {
  return firstTime(obs.issued, obs.effectiveDateTime, obs.effectivePeriod?.start);
}

/**
 * The opening every statement made from an Observation shares (id, code, status, effective and availability
 * times, confidentiality), in schema order; warns where the code had to be degraded.
 */
export function observationHead(ctx: TranslationContext, obs: Observation): XmlChild[] {
  const coded = codedElement('code', obs.code, 'record-entry');
  if (coded.degraded) ctx.warn(obs, 'no SNOMED CT code: sent as a transfer-degraded record entry');
  return [
    idElement(ctx.idOf(obs)),
    coded.element,
    statusCode(),
    effectiveFrom(obs.effectiveDateTime, obs.effectivePeriod),
    tsElement('availabilityTime', observationAvailability(obs)),
    ctx.confidentiality(obs),
  ];
}

/**
 * An ObservationStatement for a coded Observation: value (PQ or coded), reference range, and a single
 * annotation carrying the comment and anything without a structured home (interpretation, site, method…).
 */
export function observationStatement(
  ctx: TranslationContext,
  obs: Observation,
  extraNotes: string[] = [],
): XmlSpec {
  const head = observationHead(ctx, obs);
  const value = observationValue(obs);
  const notes = [...extraNotes, ...observationNotes(obs, value === undefined)];
  return x(
    'ObservationStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    ...head,
    value,
    annotation(notes),
    ...referenceRanges(obs.referenceRange),
    performer(ctx, obs),
  );
}

/** A NarrativeStatement for a comment-note Observation. */
export function commentNarrative(ctx: TranslationContext, obs: Observation, prefix?: string): XmlSpec {
  const text = joinText([prefix, obs.comment, obs.valueString], '\n') ?? conceptText(obs.code) ?? '';
  // A NarrativeStatement has no effectiveTime: readers take its availabilityTime as the comment's effective
  // time, so that is the time written (issued does not come back either way).
  const when = firstTime(obs.effectiveDateTime, obs.effectivePeriod?.start) ?? observationAvailability(obs);
  return narrative(ctx, ctx.idOf(obs), text, when, obs, performer(ctx, obs));
}

/** A NarrativeStatement with the given text (used for comments, report notes and placeholders). */
export function narrative(
  ctx: TranslationContext,
  id: string,
  text: string,
  availability: string | undefined,
  source: Observation | undefined,
  ...tail: XmlChild[]
): XmlSpec {
  return x(
    'NarrativeStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(id),
    x('text', {}, cleanText(text) ?? ''),
    statusCode(),
    tsElement('availabilityTime', availability),
    ctx.confidentiality(source),
    ...tail,
  );
}

/** A nested ObservationStatement for one Observation.component (blood pressure systolic/diastolic). */
export function componentStatement(
  ctx: TranslationContext,
  obs: Observation,
  part: ObservationComponent,
): XmlSpec {
  const coded = codedElement('code', part.code, 'record-entry');
  const notes = [part.valueString, part.valueCodeableConcept && conceptText(part.valueCodeableConcept)];
  return x(
    'ObservationStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(ctx.newId()),
    coded.element,
    statusCode(),
    effectiveFrom(obs.effectiveDateTime, obs.effectivePeriod),
    tsElement('availabilityTime', observationAvailability(obs)),
    ctx.confidentiality(obs),
    quantityElement('value', part.valueQuantity, xsiType('PQ')),
    annotation(notes.filter((n): n is string => n !== undefined)),
    referenceRange(part.referenceRange?.[0]),
  );
}

/** `pertinentInformation` with one annotation joining the notes, or undefined when there are none. */
export function annotation(notes: readonly (string | undefined)[]): XmlSpec | undefined {
  const text = joinText(notes, '\n');
  if (!text) return undefined;
  return x(
    'pertinentInformation',
    { typeCode: 'PERT' },
    x('sequenceNumber', { value: '+1' }),
    x('pertinentAnnotation', { classCode: 'OBS', moodCode: 'EVN' }, x('text', {}, text)),
  );
}

/** A PRF Participant for the Observation's first performer, when there is one. */
export function performer(ctx: TranslationContext, obs: Observation): XmlSpec | undefined {
  const ref = Array.isArray(obs.performer) ? obs.performer[0] : undefined;
  return ref ? participant(ctx.agentIdFor(ref), 'PRF') : undefined;
}

function observationValue(obs: Observation): XmlSpec | undefined {
  if (obs.valueQuantity) return quantityElement('value', obs.valueQuantity, xsiType('PQ'));
  // A text result is an ST value, as the NHS sending adaptor writes it, so it arrives as a value again.
  const text = cleanText(obs.valueString);
  if (text) return x('value', xsiType('ST'), text);
  if (obs.valueCodeableConcept) {
    const coded = codedElement('value', obs.valueCodeableConcept, 'record-entry');
    if (!coded.degraded) return { ...coded.element, attrs: { ...coded.element.attrs, ...xsiType('CD') } };
  }
  return undefined;
}

function observationNotes(obs: Observation, valueUnwritten: boolean): (string | undefined)[] {
  const notes: (string | undefined)[] = [obs.comment];
  if (valueUnwritten) {
    notes.push(obs.valueString, conceptText(obs.valueCodeableConcept));
    if (typeof obs.valueBoolean === 'boolean') notes.push(`Value: ${obs.valueBoolean}`);
    if (obs.valueQuantity && obs.valueQuantity.value === undefined)
      notes.push(quantityText(obs.valueQuantity));
    if (obs.valueDateTime) notes.push(`Value: ${obs.valueDateTime}`);
  }
  const interpretation = conceptText(obs.interpretation);
  if (interpretation) notes.push(`Interpretation: ${interpretation}`);
  const site = conceptText(obs.bodySite);
  if (site) notes.push(`Site: ${site}`);
  const method = conceptText(obs.method);
  if (method) notes.push(`Method: ${method}`);
  const absent = conceptText(obs.dataAbsentReason);
  if (absent) notes.push(`Data Absent: ${absent}`);
  const range = obs.referenceRange?.[0];
  if (range?.text && !hasBounds(range)) notes.push(`Range Text: ${range.text}`);
  for (const part of Array.isArray(obs.component) ? obs.component : []) {
    const label = conceptText(part?.code);
    const value = part?.valueQuantity
      ? quantityText(part.valueQuantity)
      : (part?.valueString ?? conceptText(part?.valueCodeableConcept));
    if (label || value) notes.push(joinText([label && `${label}:`, value]));
  }
  return notes;
}

function quantityText(q: Quantity): string | undefined {
  return joinText([q.comparator, q.value === undefined ? undefined : String(q.value), q.unit ?? q.code]);
}

/**
 * Every range with bounds as a referenceRange (text results have ranges too: a percentage written as text keeps
 * its "4 % – 9 %"); a range with only text travels as the "Range Text:" note line instead.
 */
function referenceRanges(ranges: ObservationReferenceRange[] | undefined): (XmlSpec | undefined)[] {
  return (Array.isArray(ranges) ? ranges : []).map(referenceRange);
}

function hasBounds(range: ObservationReferenceRange | undefined): boolean {
  return (
    quantityElement('low', range?.low) !== undefined || quantityElement('high', range?.high) !== undefined
  );
}

/** A range with bounds as a referenceRange element (its text inside); undefined for a range without bounds. */
export function referenceRange(range: ObservationReferenceRange | undefined): XmlSpec | undefined {
  if (!range) return undefined;
  const low = quantityElement('low', range.low);
  const high = quantityElement('high', range.high);
  if (!low && !high) return undefined;
  const text = cleanText(range.text);
  return x(
    'referenceRange',
    { typeCode: 'REFV' },
    x(
      'referenceInterpretationRange',
      { classCode: 'OBS', moodCode: 'EVN.CRT' },
      text && x('text', {}, text),
      x('value', {}, low ?? undefined, high ?? undefined),
    ),
  );
}
