import type { DiagnosticReport, Observation, Reference, Specimen } from 'fhir/r3.js';
import { attr, child, childElements, path, textOf, type XmlElement } from '../../xml/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { dateTimeOf, effectiveTimeOf, toFhirInstant } from './hl7-time.ts';
import { innerStatements, type LabScope, labComment, mapSpecimenResults } from './lab-results.ts';
import { COMMENT_TYPES, EMPTY_REPORT, pmipOf, readableTimeToFhir, splitLabelledLines } from './pmip.ts';
import { codeOf, isNopat, type StatementScope, statementId } from './statement.ts';

/** SNOMED "laboratory reporting": the code of the CompoundStatement that is a pathology report. */
export const LAB_REPORT_CODE = '16488004';
/** SNOMED "specimen": the code of each specimen CompoundStatement inside a report. */
const SPECIMEN_CODE = '123038009';
/** GP Connect gives every DiagnosticReport this fixed code (SNOMED "Diagnostic studies report"). */
const REPORT_CODE = {
  system: 'http://snomed.info/sct',
  code: '721981007',
  display: 'Diagnostic studies report',
};
const REPORT_STATUSES = new Set([
  'registered',
  'partial',
  'preliminary',
  'final',
  'amended',
  'corrected',
  'appended',
  'cancelled',
  'entered-in-error',
  'unknown',
]);
/** What senders write where a specimen has no accession number or material: not a specimen at all. */
const STAND_IN_ACCESSION = 'NOT PRESENT';
const UNKNOWN_MATERIAL = 'UNKNOWN';
/** HL7 root of a specimen's accession number (the laboratory's id for it). */
const ACCESSION_ROOT = '2.16.840.1.113883.2.1.4.5.2';

/** True where the CompoundStatement is a pathology report (coded 16488004 laboratory reporting). */
export function isLabReport(element: XmlElement): boolean {
  return element.local === 'CompoundStatement' && codeOf(element)?.code === LAB_REPORT_CODE;
}

/** How the walker lets the report mapper index statements and map anything that is not pathology-shaped. */
export interface ReportHooks {
  readonly index: (statement: XmlElement) => void;
  readonly fallback: (statement: XmlElement) => Reference[];
}

/**
 * Pathology report CompoundStatement → DiagnosticReport (GP Connect 1.6, as the NHS requesting adaptor maps
 * it): each specimen CompoundStatement becomes a Specimen, the results under it Observations referenced from
 * `result`, and the report's own comments its conclusion (lab result comments), status and coded diagnoses
 * (where a sender wrote them as labelled comments), or user comments filed as "Comment note" results.
 */
export function mapDiagnosticReport(
  element: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
  hooks: ReportHooks,
): Reference | undefined {
  const id = statementId(element);
  if (!id) {
    ctx.warn('pathology report CompoundStatement without id/@root skipped');
    return undefined;
  }
  const originalText = codeOf(element)?.originalText;
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id,
    meta: metaFor('CareConnect-GPC-DiagnosticReport-1', { nopat: scope.nopat || isNopat(element) }),
    identifier: ctx.identifier(id),
    status: 'unknown',
    code: {
      coding: [{ ...REPORT_CODE }],
      ...(originalText && originalText !== REPORT_CODE.display ? { text: originalText } : {}),
    },
    subject: ctx.patientRef,
  };
  if (scope.encounterRef) report.context = scope.encounterRef;
  const when = effectiveTimeOf(element, false);
  if (when.point) report.effectiveDateTime = when.point;
  else if (when.start || when.end) report.effectivePeriod = { ...when };
  const issued = toFhirInstant(attr(element, 'value', 'availabilityTime')) ?? scope.recordedAt;
  if (issued) report.issued = issued;
  const author = authorOf(element, ctx);
  if (author) report.performer = [{ actor: author }];

  const specimens: Reference[] = [];
  const results: Reference[] = [];
  const conclusion: string[] = [];
  const userComments: XmlElement[] = [];
  let filingDate: string | undefined;
  const lab: LabScope = { scope, ctx, ...hooks };
  const madeBefore = ctx.resources.length;
  for (const s of innerStatements(element)) {
    hooks.index(s);
    if (s.local === 'CompoundStatement' && codeOf(s)?.code === SPECIMEN_CODE) {
      const specimenRef = mapSpecimen(s, scope, ctx);
      if (specimenRef) specimens.push(specimenRef);
      const inner = innerStatements(s);
      results.push(...mapSpecimenResults(inner, specimenRef ? { ...lab, specimenRef } : lab));
      continue;
    }
    if (s.local !== 'NarrativeStatement') {
      results.push(...hooks.fallback(s));
      continue;
    }
    const note = pmipOf(s);
    if (note.type === COMMENT_TYPES.labResult) conclusion.push(...reportFacts(report, note.body));
    else if (note.type === COMMENT_TYPES.aggregate && note.body.startsWith('Filing Date: '))
      filingDate = readableTimeToFhir(note.body.slice('Filing Date: '.length));
    else if (note.body.trim() !== EMPTY_REPORT) userComments.push(s);
  }
  const grouped = commentsMadeSince(ctx, madeBefore);
  for (const s of userComments) {
    // A comment a test group holds is also listed by the report (senders write it in both places): one
    // Observation, in both lists, not two.
    const note = pmipOf(s);
    const same = grouped.get(commentKey(note.date, note.body));
    if (same) {
      results.push(same);
      continue;
    }
    const ref = labComment(s, lab);
    if (!ref) continue;
    const comment = ctx.made(ref) as Observation | undefined;
    // Senders that date the comment only in the "Filing Date" note: the comment takes that date.
    if (comment && !comment.effectiveDateTime && filingDate) comment.effectiveDateTime = filingDate;
    results.push(ref);
  }
  if (userComments.length === 0 && filingDate && !hasUserComment(element)) {
    // A filing comment with a date and no text travels as the "Filing Date" note alone.
    const ref = filingOnlyComment(element, id, filingDate, lab);
    if (ref) results.push(ref);
  }
  if (conclusion.length > 0) report.conclusion = conclusion.join('\n');
  if (specimens.length > 0) report.specimen = specimens;
  if (results.length > 0) report.result = results;
  return ctx.add(report, id) ? { reference: `DiagnosticReport/${id}` } : undefined;
}

const COMMENT_NOTE = '37331000000100';

/** The "Comment note" Observations made since `from` (inside the report's specimens), by date and text. */
function commentsMadeSince(ctx: MappingContext, from: number): Map<string, Reference> {
  const found = new Map<string, Reference>();
  for (const r of ctx.resources.slice(from)) {
    if (r.resourceType !== 'Observation' || !r.id) continue;
    const o = r as Observation;
    if (o.comment === undefined || !o.code?.coding?.some((c) => c.code === COMMENT_NOTE)) continue;
    const key = commentKey(o.effectiveDateTime, o.comment);
    if (!found.has(key)) found.set(key, { reference: `Observation/${r.id}` });
  }
  return found;
}

function commentKey(date: string | undefined, text: string): string {
  return `${date ?? ''}|${text}`;
}

/** Reads a lab result comment: status and diagnoses where labelled, the rest is the conclusion. */
function reportFacts(report: DiagnosticReport, body: string): string[] {
  const { labelled, rest } = splitLabelledLines(body, ['Status', 'Lab Diagnosis', 'Interpretation']);
  const status = labelled.get('Status');
  if (status && REPORT_STATUSES.has(status)) report.status = status as DiagnosticReport['status'];
  else if (status) rest.unshift(`Status: ${status}`);
  const diagnosis = labelled.get('Lab Diagnosis');
  if (diagnosis) report.codedDiagnosis = [...(report.codedDiagnosis ?? []), { text: diagnosis }];
  const interpretation = labelled.get('Interpretation');
  return [...(interpretation ? [interpretation] : []), ...rest].filter((l) => l.trim() !== '');
}

function hasUserComment(report: XmlElement): boolean {
  return innerStatements(report).some((s) =>
    innerStatements(s).some((i) => i.local === 'NarrativeStatement' && pmipOf(i).type === COMMENT_TYPES.user),
  );
}

function filingOnlyComment(
  report: XmlElement,
  reportId: string,
  date: string,
  lab: LabScope,
): Reference | undefined {
  const id = `${reportId}-FILING`;
  const obs: Observation = {
    resourceType: 'Observation',
    id,
    meta: metaFor('CareConnect-GPC-Observation-1', { nopat: lab.scope.nopat || isNopat(report) }),
    identifier: lab.ctx.identifier(id),
    status: 'final',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '37331000000100', display: 'Comment note' }] },
    subject: lab.ctx.patientRef,
    effectiveDateTime: date,
  };
  if (lab.scope.encounterRef) obs.context = lab.scope.encounterRef;
  if (lab.scope.recordedAt) obs.issued = lab.scope.recordedAt;
  return lab.ctx.add(obs) ? { reference: `Observation/${id}` } : undefined;
}

/** The report's author (Participant AUT), where the directory knows it. */
function authorOf(element: XmlElement, ctx: MappingContext): Reference | undefined {
  for (const p of [...childElements(element, 'Participant'), ...childElements(element, 'participant')]) {
    if (p.attrs.nullFlavor || p.attrs.typeCode !== 'AUT') continue;
    const ref = ctx.agentRef(attr(p, 'root', 'agentRef/id'));
    if (ref) return ref;
  }
  return undefined;
}

/**
 * Specimen CompoundStatement → Specimen: accession number, material (type), collection time from the
 * specimenRole; the specimen comment's labelled facts (received time, site, volume, method) back into their
 * fields and the rest as notes. A sender's stand-in for results without a specimen makes none.
 */
function mapSpecimen(element: XmlElement, scope: StatementScope, ctx: MappingContext): Reference | undefined {
  const id = statementId(element);
  const role = path(element, 'specimen/specimenRole');
  const ids = childElements(role ?? element, 'id');
  const accession =
    ids.find((i) => i.attrs.root === ACCESSION_ROOT)?.attrs.extension ?? ids[1]?.attrs.extension;
  const material = textOf(path(role, 'specimenSpecimenMaterial/desc')).trim();
  const comments = innerStatements(element)
    .filter((s) => s.local === 'NarrativeStatement')
    .map((s) => pmipOf(s))
    .filter((n) => n.type === COMMENT_TYPES.specimen);
  const standIn =
    accession === STAND_IN_ACCESSION &&
    (material === '' || material === UNKNOWN_MATERIAL) &&
    comments.length === 0;
  if (!id || standIn) return undefined;
  const specimen: Specimen = {
    resourceType: 'Specimen',
    id,
    meta: metaFor('CareConnect-GPC-Specimen-1', { nopat: scope.nopat || isNopat(element) }),
    identifier: ctx.identifier(id),
    subject: ctx.patientRef,
  };
  if (accession && accession !== STAND_IN_ACCESSION) specimen.accessionIdentifier = { value: accession };
  if (material && material !== UNKNOWN_MATERIAL) specimen.type = { text: material };
  const collection: NonNullable<Specimen['collection']> = {};
  const collected = dateTimeOf(child(child(role, 'effectiveTime'), 'center'));
  if (collected) collection.collectedDateTime = collected;
  const notes: string[] = [];
  for (const c of comments) {
    const { labelled, rest } = splitLabelledLines(c.body, [
      'Received Date',
      'Collection Site',
      'Collection Volume',
      'Collection Method',
    ]);
    const received = readableTimeToFhir(labelled.get('Received Date'));
    if (received) specimen.receivedTime = received;
    else if (labelled.has('Received Date')) rest.unshift(`Received Date: ${labelled.get('Received Date')}`);
    const site = labelled.get('Collection Site');
    if (site) collection.bodySite = { text: site };
    const method = labelled.get('Collection Method');
    if (method) collection.method = { text: method };
    const volume = volumeOf(labelled.get('Collection Volume'));
    if (volume) collection.quantity = volume;
    const note = rest.join('\n').trim();
    if (note) notes.push(note);
  }
  if (Object.keys(collection).length > 0) specimen.collection = collection;
  if (notes.length > 0) specimen.note = notes.map((text) => ({ text }));
  return ctx.add(specimen, id) ? { reference: `Specimen/${id}` } : undefined;
}

function volumeOf(text: string | undefined) {
  const m = /^(-?\d+(?:\.\d+)?)(?: (.+))?$/.exec(text?.trim() ?? '');
  if (!m) return undefined;
  return m[2] ? { value: Number(m[1]), unit: m[2] } : { value: Number(m[1]) };
}
