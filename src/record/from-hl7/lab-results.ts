import type { Observation, Reference } from 'fhir/r3.js';
import { childElements, type XmlElement } from '../../xml/index.ts';
import type { MappingContext } from './context.ts';
import { effectiveTimeOf } from './hl7-time.ts';
import { mapNarrativeObservation, mapObservation, type ObservationLinks } from './observation.ts';
import { applyResultNote } from './observation-notes.ts';
import { COMMENT_TYPES, EMPTY_REPORT, pmipOf } from './pmip.ts';
import { type StatementScope, statementId } from './statement.ts';

/** FHIR observation category for laboratory results (GP Connect puts it on every pathology result). */
const LABORATORY_CATEGORY = {
  coding: [{ system: 'http://hl7.org/fhir/observation-category', code: 'laboratory', display: 'Laboratory' }],
};

/** What the lab mappers share while one report is translated. */
export interface LabScope {
  readonly scope: StatementScope;
  readonly ctx: MappingContext;
  /** The Specimen the results were taken from, where the sender named a real one. */
  readonly specimenRef?: Reference;
  /** Indexes a statement by id (problem LinkSets may point at results). */
  readonly index: (statement: XmlElement) => void;
  /** Maps a statement that is not pathology-shaped the ordinary way. */
  readonly fallback: (statement: XmlElement) => Reference[];
}

/** The statements directly inside a CompoundStatement. */
export function innerStatements(element: XmlElement): XmlElement[] {
  return childElements(element, 'component').flatMap((c) => childElements(c));
}

/**
 * The results inside one specimen CompoundStatement, as references for DiagnosticReport.result: each
 * ObservationStatement, each CLUSTER's result, each BATTERY's header, and each user comment (as a "Comment
 * note" Observation). Specimen comments (E271) and empty-report placeholders are not results: the caller reads
 * the former, the latter carry nothing.
 */
export function mapSpecimenResults(statements: readonly XmlElement[], lab: LabScope): Reference[] {
  const results: Reference[] = [];
  for (const s of statements) {
    lab.index(s);
    if (s.local === 'ObservationStatement') results.push(...optional(labObservation(s, lab)));
    else if (s.local === 'NarrativeStatement') {
      const note = pmipOf(s);
      if (note.type === COMMENT_TYPES.specimen || note.body.trim() === EMPTY_REPORT) continue;
      // A comment directly under the specimen is about the specimen's results as a whole.
      results.push(...optional(labComment(s, lab, {}, true)));
    } else if (s.local === 'CompoundStatement' && s.attrs.classCode === 'BATTERY') {
      results.push(...optional(battery(s, lab)));
    } else if (s.local === 'CompoundStatement' && s.attrs.classCode === 'CLUSTER') {
      results.push(...cluster(s, lab));
    } else results.push(...lab.fallback(s));
  }
  return results;
}

/** A user comment → "Comment note" Observation: the PMIP body is the comment, its date the effective time. */
export function labComment(
  element: XmlElement,
  lab: LabScope,
  links: ObservationLinks = {},
  onSpecimen = false,
): Reference | undefined {
  const ref = mapNarrativeObservation(element, lab.scope, lab.ctx, links);
  const obs = observationAt(lab.ctx, ref);
  if (!obs) return ref;
  const note = pmipOf(element);
  if (note.body) obs.comment = note.body;
  else delete obs.comment;
  // The comment date is when the comment applies; the statement's availability time says when it was filed.
  delete obs.effectiveDateTime;
  if (note.date) obs.effectiveDateTime = note.date;
  if (onSpecimen && lab.specimenRef) obs.specimen = lab.specimenRef;
  return ref;
}

function labObservation(
  element: XmlElement,
  lab: LabScope,
  links: ObservationLinks = {},
): Reference | undefined {
  const ref = mapObservation(element, lab.scope, lab.ctx, links);
  const obs = observationAt(lab.ctx, ref);
  if (obs) {
    obs.category = [structuredClone(LABORATORY_CATEGORY)];
    if (lab.specimenRef) obs.specimen = lab.specimenRef;
    // A result with no effective time has only its report's availability time, which says when it was
    // reported, not when it was measured: leave it unset rather than claim it.
    const when = effectiveTimeOf(element, false);
    if (!when.point && !when.start && !when.end) delete obs.effectiveDateTime;
  }
  return ref;
}

/**
 * A CLUSTER: a result with its notes. Its ObservationStatements are results; user comments become comment
 * Observations derived from the result; other narratives are the result's notes, labelled facts read back.
 */
function cluster(element: XmlElement, lab: LabScope, derivedFrom?: Reference): Reference[] {
  const inner = innerStatements(element);
  for (const s of inner) lab.index(s);
  const links = derivedFrom ? { derivedFrom } : {};
  const results = inner
    .filter((s) => s.local === 'ObservationStatement')
    .flatMap((s) => optional(labObservation(s, lab, links)));
  const main = results[0];
  const obs = observationAt(lab.ctx, main);
  const comments: Reference[] = [];
  for (const s of inner) {
    if (s.local === 'NarrativeStatement') {
      const note = pmipOf(s);
      if (note.body.trim() === EMPTY_REPORT) continue;
      if (obs && note.type !== COMMENT_TYPES.user) applyResultNote(obs, note.body);
      else comments.push(...optional(labComment(s, lab, main ? { derivedFrom: main } : links)));
    } else if (s.local === 'CompoundStatement') {
      results.push(...cluster(s, lab, main ?? derivedFrom));
    } else if (s.local !== 'ObservationStatement') results.push(...lab.fallback(s));
  }
  // Without a result to hang them on, the comments are results of their own.
  return main ? results : [...results, ...comments];
}

/**
 * A BATTERY: a test group. The header Observation has-member every result and user comment in it; the
 * members point back with derived-from; the battery's own narratives are the header's notes.
 */
function battery(element: XmlElement, lab: LabScope): Reference | undefined {
  const inner = innerStatements(element);
  for (const s of inner) lab.index(s);
  const id = statementId(element);
  const headerRef = id ? { reference: `Observation/${id}` } : undefined;
  const members: Reference[] = [];
  const notes: string[] = [];
  for (const s of inner) {
    if (s.local === 'ObservationStatement')
      members.push(...optional(labObservation(s, lab, headerRef ? { derivedFrom: headerRef } : {})));
    else if (s.local === 'CompoundStatement') members.push(...cluster(s, lab, headerRef));
    else if (s.local === 'NarrativeStatement') {
      const note = pmipOf(s);
      if (note.body.trim() === EMPTY_REPORT) continue;
      if (note.type === COMMENT_TYPES.user)
        members.push(...optional(labComment(s, lab, headerRef ? { derivedFrom: headerRef } : {})));
      else notes.push(note.body);
    } else members.push(...lab.fallback(s));
  }
  const ref = labObservation(element, lab, { members });
  const obs = observationAt(lab.ctx, ref);
  if (obs) for (const n of notes) applyResultNote(obs, n);
  return ref;
}

function observationAt(ctx: MappingContext, ref: Reference | undefined): Observation | undefined {
  const r = ctx.made(ref);
  return r?.resourceType === 'Observation' ? (r as Observation) : undefined;
}

function optional(ref: Reference | undefined): Reference[] {
  return ref ? [ref] : [];
}
