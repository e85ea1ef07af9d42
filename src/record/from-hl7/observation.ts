import type { Observation, ObservationReferenceRange, Reference } from 'fhir/r3.js';
import { attr, child, childElements, textOf, type XmlElement } from '../../xml/index.ts';
import { readHl7Code, toFhirCodeableConcept } from '../codes/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { toQuantity, toRange, xsiType } from './datatypes.ts';
import { episodicityOf } from './episodicity.ts';
import { effectiveTimeOf, toFhirInstant } from './hl7-time.ts';
import { takeLabelledFacts } from './observation-notes.ts';
import {
  annotationsOf,
  codeOf,
  isNopat,
  performerOf,
  type StatementScope,
  statementId,
  textChild,
} from './statement.ts';

/** SNOMED "Comment note": the code GP Connect gives a free-text entry filed as an Observation. */
const COMMENT_NOTE = { system: 'http://snomed.info/sct', code: '37331000000100', display: 'Comment note' };

/** Links from a battery/cluster member to its header, set by the caller. */
export interface ObservationLinks {
  readonly derivedFrom?: Reference;
  readonly members?: readonly Reference[];
}

/**
 * ObservationStatement (or a BATTERY/CLUSTER CompoundStatement header) → Observation. The code degrades to
 * "record entry" where no SNOMED code is found; value, interpretation, reference ranges and annotations are
 * carried; a malformed value is dropped with a warning rather than losing the entry.
 */
export function mapObservation(
  element: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
  links: ObservationLinks = {},
): Reference | undefined {
  const id = statementId(element);
  if (!id) {
    ctx.warn(`${element.local} without id/@root skipped`);
    return undefined;
  }
  const code = codeOf(element);
  const concept = code
    ? toFhirCodeableConcept(code, { degradeKind: 'record-entry' })
    : { concept: { text: 'Unknown' }, degraded: true };
  if (concept.degraded)
    ctx.warn(`Observation/${id}: no SNOMED CT code (${code?.code ?? 'no code'}), degraded`);
  const obs: Observation = {
    resourceType: 'Observation',
    id,
    meta: metaFor('CareConnect-GPC-Observation-1', {
      nopat: scope.nopat || isNopat(element),
      degraded: concept.degraded,
    }),
    identifier: ctx.identifier(id),
    status: 'final',
    code: concept.concept,
    subject: ctx.patientRef,
  };
  if (scope.encounterRef) obs.context = scope.encounterRef;
  const when = effectiveTimeOf(element);
  if (when.point) obs.effectiveDateTime = when.point;
  else if (when.start || when.end) obs.effectivePeriod = { ...when };
  if (scope.recordedAt) obs.issued = scope.recordedAt;
  const performer = performerOf(element, scope, ctx);
  if (performer) obs.performer = [performer];
  setValue(obs, child(element, 'value'), ctx);
  const interpretation = child(element, 'interpretationCode');
  if (interpretation) obs.interpretation = toFhirCodeableConcept(readHl7Code(interpretation)).concept;
  const ranges = referenceRanges(element);
  if (ranges.length > 0) obs.referenceRange = ranges;
  const comment = commentOf(element, obs);
  if (comment) obs.comment = comment;
  const related = [
    ...(links.members ?? []).map((target) => ({ type: 'has-member', target })),
    ...(links.derivedFrom ? [{ type: 'derived-from', target: links.derivedFrom }] : []),
  ];
  if (related.length > 0) obs.related = related;
  return ctx.add(obs, id) ? { reference: `Observation/${id}` } : undefined;
}

function setValue(obs: Observation, value: XmlElement | undefined, ctx: MappingContext): void {
  if (!value) return;
  const type = xsiType(value);
  if (type === 'PQ') {
    const q = toQuantity(value);
    if (q) obs.valueQuantity = q;
    else ctx.warn(`Observation/${obs.id}: PQ value "${attr(value, 'value') ?? ''}" is not a number, dropped`);
  } else if (type === 'IVL_PQ') {
    const r = toRange(value);
    if (r) obs.valueRange = r;
  } else if (type === 'CD' || type === 'CV' || type === 'CE') {
    obs.valueCodeableConcept = toFhirCodeableConcept(readHl7Code(value)).concept;
  } else {
    const text = textOf(value).trim() || attr(value, 'value');
    if (text) obs.valueString = text;
  }
}

function referenceRanges(element: XmlElement): ObservationReferenceRange[] {
  const out: ObservationReferenceRange[] = [];
  for (const referenceRange of childElements(element, 'referenceRange')) {
    const range = child(referenceRange, 'referenceInterpretationRange');
    if (!range) continue;
    const r: ObservationReferenceRange = {};
    const bounds = toRange(child(range, 'value'));
    if (bounds?.low) r.low = bounds.low;
    if (bounds?.high) r.high = bounds.high;
    const text = textChild(range);
    if (text) r.text = text;
    out.push(r);
  }
  return out;
}

/**
 * The comment: the subject's relationship, the annotations (less the labelled lines a sender wrote for fields
 * with no element, which go back to those fields) and episodicity.
 */
function commentOf(element: XmlElement, obs: Observation): string | undefined {
  const parts: string[] = [];
  const relation = child(child(child(element, 'subject'), 'personalRelationship'), 'code');
  if (relation) {
    const rel = readHl7Code(relation);
    const name = rel.originalText ?? rel.displayName;
    if (name) parts.push(`Subject: ${name}`);
  }
  parts.push(
    ...annotationsOf(element)
      .map((a) => takeLabelledFacts(obs, a))
      .filter((a) => a !== ''),
  );
  const episodicity = episodicityOf(element);
  if (episodicity.length > 0) parts.push(`{${episodicity.join(', ')}}`);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/** NarrativeStatement without an attached document → a "Comment note" Observation carrying its text. */
export function mapNarrativeObservation(
  element: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
  links: ObservationLinks = {},
): Reference | undefined {
  const id = statementId(element);
  if (!id) {
    ctx.warn('NarrativeStatement without id/@root skipped');
    return undefined;
  }
  const obs: Observation = {
    resourceType: 'Observation',
    id,
    meta: metaFor('CareConnect-GPC-Observation-1', { nopat: scope.nopat || isNopat(element) }),
    identifier: ctx.identifier(id),
    status: 'final',
    code: { coding: [{ ...COMMENT_NOTE }] },
    subject: ctx.patientRef,
  };
  if (scope.encounterRef) obs.context = scope.encounterRef;
  const when = effectiveTimeOf(element);
  if (when.point) obs.effectiveDateTime = when.point;
  // A narrative is issued when it was made available, which can precede the composition's signing.
  const issued = toFhirInstant(attr(element, 'value', 'availabilityTime')) ?? scope.recordedAt;
  if (issued) obs.issued = issued;
  const performer = performerOf(element, scope, ctx);
  if (performer) obs.performer = [performer];
  const text = textChild(element);
  if (text) obs.comment = text;
  if (links.derivedFrom) obs.related = [{ type: 'derived-from', target: links.derivedFrom }];
  return ctx.add(obs, id) ? { reference: `Observation/${id}` } : undefined;
}
