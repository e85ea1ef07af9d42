import type { DiagnosticReport, Observation, Specimen } from 'fhir/r3.js';
import { readHl7Time } from '../../hl7/hl7-time.ts';
import { type XmlSpec, x } from '../../xml/index.ts';
import { conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import {
  component,
  effectiveTime,
  idElement,
  participant,
  SNOMED_OID,
  statusCode,
  tsElement,
} from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { pmipNarrative, resultStatements } from './lab-results.ts';
import { isCommentNote, observationAvailability } from './observation.ts';
import { cleanText, joinText } from './text.ts';

/** A specimen as written: the FHIR Specimen, or a stand-in for results that name none. */
interface SpecimenSlot {
  readonly key: string;
  readonly specimen: Specimen | undefined;
  readonly results: Observation[];
}

/**
 * A pathology report as a CLUSTER CompoundStatement (16488004 laboratory reporting): report-level comments
 * (conclusion, coded diagnosis, status, filing comments), then one specimen CLUSTER per specimen holding its
 * results. Results without a specimen go under a stand-in "UNKNOWN" specimen, and a specimen without results
 * gets an "EMPTY REPORT" note, because receivers need at least one of each to file the report.
 */
export function diagnosticReportStatement(ctx: TranslationContext, report: DiagnosticReport): XmlSpec {
  const issued = hl7Time(report.issued);
  const resultRefs = Array.isArray(report.result) ? report.result : [];
  const results = resultRefs
    .map((r) => ctx.index.resolve(r))
    .filter((r): r is Observation => r?.resourceType === 'Observation');
  if (results.length < resultRefs.length)
    ctx.warn(report, `${resultRefs.length - results.length} result reference(s) do not resolve: left out`);
  for (const r of results) ctx.markMapped(r);
  const filingComments = results.filter(isCommentNote);
  const tests = results.filter((r) => !isCommentNote(r));
  const slots = specimenSlots(ctx, report, tests, filingComments);

  const notes: XmlSpec[] = [];
  const note = (
    text: string,
    type: 'LABORATORY RESULT COMMENT(E141)' | 'AGGREGATE COMMENT SET' | 'USER COMMENT',
    source?: Observation,
  ) => notes.push(pmipNarrative(ctx, text, type, issued, source));
  if (cleanText(report.conclusion))
    note(`Interpretation: ${report.conclusion}`, 'LABORATORY RESULT COMMENT(E141)');
  const diagnoses = (Array.isArray(report.codedDiagnosis) ? report.codedDiagnosis : [])
    .map(conceptText)
    .filter((d) => d !== undefined);
  // One note per diagnosis: a diagnosis may itself hold a comma.
  for (const d of diagnoses) note(`Lab Diagnosis: ${d}`, 'LABORATORY RESULT COMMENT(E141)');
  if (typeof report.status === 'string') note(`Status: ${report.status}`, 'LABORATORY RESULT COMMENT(E141)');
  if (notes.length === 0 && results.length === 0) note('EMPTY REPORT', 'AGGREGATE COMMENT SET');
  const filed = filingComments.find((c) => c.effectiveDateTime ?? c.effectivePeriod?.start);
  const filedDate = filed
    ? readableTime(filed.effectiveDateTime ?? filed.effectivePeriod?.start ?? '')
    : undefined;
  if (filed && filedDate) note(`Filing Date: ${filedDate}`, 'AGGREGATE COMMENT SET', filed);
  for (const c of filingComments) {
    // Each filing comment is dated with its own time, so every comment's date travels, not only the first.
    const date = hl7Time(c.effectiveDateTime ?? c.effectivePeriod?.start);
    if (!specimenKeyOf(ctx, c) && cleanText(c.comment))
      notes.push(
        pmipNarrative(ctx, c.comment ?? '', 'USER COMMENT', date, c, observationAvailability(c) ?? issued),
      );
  }

  const specimens = slots.map((slot) => specimenCluster(ctx, report, slot, issued));
  const performer = Array.isArray(report.performer) ? report.performer[0]?.actor : undefined;
  return x(
    'CompoundStatement',
    { classCode: 'CLUSTER', moodCode: 'EVN' },
    idElement(ctx.idOf(report)),
    x(
      'code',
      { code: '16488004', codeSystem: SNOMED_OID, displayName: 'laboratory reporting' },
      conceptText(report.code) && x('originalText', {}, conceptText(report.code)),
    ),
    statusCode(),
    effectiveTime(hl7Time(report.effectiveDateTime ?? report.effectivePeriod?.start)),
    tsElement('availabilityTime', issued),
    ctx.confidentiality(report),
    ...[...notes, ...specimens].map(component),
    performer && participant(ctx.agentIdFor(performer), 'AUT'),
  );
}

function specimenSlots(
  ctx: TranslationContext,
  report: DiagnosticReport,
  tests: Observation[],
  comments: Observation[],
): SpecimenSlot[] {
  const slots: SpecimenSlot[] = [];
  const declared = (Array.isArray(report.specimen) ? report.specimen : []).map((s) => ctx.index.resolve(s));
  const declaredKeys = new Set(
    declared.map((s) => (s?.resourceType === 'Specimen' ? ctx.index.keyFor(s) : undefined)),
  );
  // Results naming no specimen, or one the report does not list, go under the stand-in rather than be lost.
  const orphans = tests.filter(
    (t) => !declaredKeys.has(specimenKeyOf(ctx, t)) || specimenKeyOf(ctx, t) === undefined,
  );
  if (declared.length === 0 || orphans.length > 0)
    slots.push({ key: 'stand-in', specimen: undefined, results: orphans });
  for (const s of declared) {
    if (s?.resourceType !== 'Specimen') {
      ctx.warn(report, 'a specimen reference does not resolve: left out');
      continue;
    }
    const key = ctx.index.keyFor(s) ?? '';
    if (slots.some((slot) => slot.key === key)) continue;
    const results = [...tests, ...comments].filter((t) => specimenKeyOf(ctx, t) === key);
    slots.push({ key, specimen: s, results });
  }
  return slots;
}

function specimenKeyOf(ctx: TranslationContext, obs: Observation): string | undefined {
  const specimen = ctx.index.resolve(obs.specimen);
  return specimen?.resourceType === 'Specimen' ? ctx.index.keyFor(specimen) : undefined;
}

function specimenCluster(
  ctx: TranslationContext,
  report: DiagnosticReport,
  slot: SpecimenSlot,
  issued: string | undefined,
): XmlSpec {
  const s = slot.specimen;
  const statements: XmlSpec[] = [];
  for (const result of slot.results) statements.push(...resultStatements(ctx, result, false));
  if (statements.length === 0) {
    const dummy: Observation = {
      resourceType: 'Observation',
      status: 'unknown',
      code: {},
      comment: 'EMPTY REPORT',
    };
    statements.push(...resultStatements(ctx, dummy, true));
  }
  const collected =
    hl7Time(s?.collection?.collectedDateTime ?? s?.collection?.collectedPeriod?.start) ??
    (s ? undefined : issued);
  const specimenNote = s ? specimenComment(s) : undefined;
  if (specimenNote)
    statements.unshift(
      pmipNarrative(ctx, specimenNote, 'LAB SPECIMEN COMMENT(E271)', collected, undefined, issued),
    );
  const accession = cleanText(s?.accessionIdentifier?.value) ?? (s ? undefined : 'NOT PRESENT');
  const material = conceptText(s?.type) ?? 'UNKNOWN';
  return x(
    'CompoundStatement',
    { classCode: 'CLUSTER', moodCode: 'EVN' },
    idElement(s ? ctx.idOf(s) : ctx.newId()),
    x('code', { code: '123038009', codeSystem: SNOMED_OID, displayName: 'specimen (specimen)' }),
    statusCode(),
    effectiveTime(collected),
    tsElement('availabilityTime', issued),
    ctx.confidentiality(s ?? report),
    x(
      'specimen',
      { typeCode: 'SPC' },
      x(
        'specimenRole',
        { classCode: 'SPEC' },
        idElement(ctx.newId()),
        accession && x('id', { root: '2.16.840.1.113883.2.1.4.5.2', extension: accession }),
        collected && effectiveTime(collected),
        x(
          'specimenSpecimenMaterial',
          { classCode: 'MAT', determinerCode: 'INSTANCE' },
          x('desc', {}, material),
        ),
      ),
    ),
    ...statements.map(component),
  );
}

// Specimen facts with no place in specimenRole: when the lab received it, how it was collected, notes.
function specimenComment(s: Specimen): string | undefined {
  const received = typeof s.receivedTime === 'string' ? readableTime(s.receivedTime) : undefined;
  const collection = s.collection;
  const quantity =
    collection?.quantity?.value !== undefined
      ? joinText([String(collection.quantity.value), collection.quantity.unit])
      : undefined;
  return joinText(
    [
      received && `Received Date: ${received}`,
      conceptText(collection?.bodySite) && `Collection Site: ${conceptText(collection?.bodySite)}`,
      quantity && `Collection Volume: ${quantity}`,
      conceptText(collection?.method) && `Collection Method: ${conceptText(collection?.method)}`,
      ...(Array.isArray(s.note) ? s.note.map((n) => n?.text) : []),
    ],
    '\n',
  );
}

/** A FHIR time as readers see it in a comment: `YYYY-MM-DD[ HH:MM[:SS]]`, UK wall-clock time like any HL7 TS. */
function readableTime(value: string): string {
  const t = readHl7Time(hl7Time(value));
  if (!t) return value;
  const two = (n: number) => String(n).padStart(2, '0');
  const day = [String(t.year).padStart(4, '0'), two(t.month), two(t.day)]
    .slice(0, t.precision === 'year' ? 1 : t.precision === 'month' ? 2 : 3)
    .join('-');
  if (t.precision === 'year' || t.precision === 'month' || t.precision === 'day') return day;
  const zone =
    t.offsetMinutes === undefined
      ? ''
      : ` ${t.offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(Math.abs(t.offsetMinutes) / 60))}${two(Math.abs(t.offsetMinutes) % 60)}`;
  // The offset appears only in an hour that happens twice, where the wall-clock time is ambiguous.
  return `${day} ${two(t.hour)}:${two(t.minute)}${t.second ? `:${two(t.second)}` : ''}${zone}`;
}
