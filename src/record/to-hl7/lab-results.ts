import type { Observation } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import {
  component,
  idElement,
  observationQuantity,
  quantityElement,
  statusCode,
  tsElement,
} from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import {
  isCommentNote,
  observationAvailability,
  observationHead,
  performer,
  referenceRange,
  uncertaintyOf,
} from './observation.ts';
import { effectiveFrom } from './statement-times.ts';
import { joinKeptLines, joinText, keptText } from './text.ts';

/** Pathology comment types (GP2GP PMIP comment convention) used in NarrativeStatement text. */
export type CommentType =
  | 'LABORATORY RESULT COMMENT(E141)'
  | 'LAB SPECIMEN COMMENT(E271)'
  | 'AGGREGATE COMMENT SET'
  | 'USER COMMENT';

/**
 * A NarrativeStatement in the pathology comment form receivers parse (`text/x-h7uk-pmip`): comment type,
 * comment date, then the comment.
 */
export function pmipNarrative(
  ctx: TranslationContext,
  comment: string,
  type: CommentType,
  date: string | undefined,
  source: Observation | undefined,
  availability: string | undefined = date,
): XmlSpec {
  // The comment is kept as written: its leading spaces are the layout of a pathology table.
  // CommentDate to the second: other suppliers' parsers reject a fraction there.
  const text = `CommentType:${type}\nCommentDate:${toSecond(date) ?? 'UNK'}\n${keptText(comment) ?? ''}`;
  return x(
    'NarrativeStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(ctx.newId()),
    x('text', { mediaType: 'text/x-h7uk-pmip' }, text),
    statusCode(),
    // Where the comment date has milliseconds CommentDate cannot carry, the availability time keeps them
    // (readers take the finer of the two when they name the same second).
    tsElement('availabilityTime', date !== toSecond(date) ? date : availability),
    ctx.confidentiality(source),
  );
}

// HL7 v2 abnormal flags → the GP2GP interpretation vocabulary (2.16.840.1.113883.2.1.6.5).
const INTERPRETATIONS: Readonly<Record<string, readonly [string, string]>> = {
  H: ['HI', 'Above high reference limit'],
  HH: ['HI', 'Above high reference limit'],
  HU: ['HI', 'Above high reference limit'],
  L: ['LO', 'Below low reference limit'],
  LL: ['LO', 'Below low reference limit'],
  LU: ['LO', 'Below low reference limit'],
  A: ['PA', 'Potentially abnormal'],
  AA: ['PA', 'Potentially abnormal'],
};

function interpretation(obs: Observation): readonly [string, string] | undefined {
  const codings = Array.isArray(obs.interpretation?.coding) ? obs.interpretation.coding : [];
  for (const c of codings) {
    if (c?.system === 'http://hl7.org/fhir/v2/0078' && typeof c.code === 'string' && INTERPRETATIONS[c.code])
      return INTERPRETATIONS[c.code];
  }
  return undefined;
}

/** The ObservationStatement for a test result (no annotation: its notes become narratives). */
export function resultStatement(ctx: TranslationContext, obs: Observation): XmlSpec {
  const head = observationHead(ctx, obs);
  const flag = interpretation(obs);
  const range = obs.referenceRange?.[0];
  const low = obs.valueQuantity ? quantityElement('low', range?.low) : undefined;
  const high = obs.valueQuantity ? quantityElement('high', range?.high) : undefined;
  return x(
    'ObservationStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    ...head,
    uncertaintyOf(obs),
    obs.valueQuantity && observationQuantity(obs.valueQuantity),
    flag &&
      x('interpretationCode', {
        code: flag[0],
        codeSystem: '2.16.840.1.113883.2.1.6.5',
        displayName: flag[1],
      }),
    (low || high) &&
      x(
        'referenceRange',
        { typeCode: 'REFV' },
        x(
          'referenceInterpretationRange',
          { classCode: 'OBS', moodCode: 'EVN.CRT' },
          x('value', {}, low, high),
        ),
      ),
    // The first range's text travels as a "Range Text:" line, as the NHS sending adaptor writes it; a result
    // can carry more ranges (one per age band, say), each with its bounds and text in an element of its own.
    ...(obs.valueQuantity && Array.isArray(obs.referenceRange) ? obs.referenceRange.slice(1) : []).map(
      referenceRange,
    ),
    performer(ctx, obs),
  );
}

/** The narratives an Observation needs besides its ObservationStatement (data absent, site, method, notes). */
export function resultNarratives(
  ctx: TranslationContext,
  obs: Observation,
  dummy: boolean,
  flagWritten: boolean,
): XmlSpec[] {
  const date = hl7Time(obs.effectiveDateTime ?? obs.effectivePeriod?.start);
  if (dummy) return [pmipNarrative(ctx, obs.comment ?? 'EMPTY REPORT', 'AGGREGATE COMMENT SET', date, obs)];
  const out: XmlSpec[] = [];
  const absent = conceptText(obs.dataAbsentReason);
  if (absent) out.push(pmipNarrative(ctx, `Data Absent: ${absent}`, 'AGGREGATE COMMENT SET', date, obs));
  const site = conceptText(obs.bodySite);
  if (site) out.push(pmipNarrative(ctx, `Site: ${site}`, 'AGGREGATE COMMENT SET', date, obs));
  const method = conceptText(obs.method);
  if (method) out.push(pmipNarrative(ctx, `Method: ${method}`, 'AGGREGATE COMMENT SET', date, obs));
  const range = obs.referenceRange?.[0];
  const rangeUnit = range?.high?.unit ?? range?.low?.unit;
  const text = joinKeptLines([
    !flagWritten && conceptText(obs.interpretation)
      ? `Interpretation: ${conceptText(obs.interpretation)}`
      : undefined,
    obs.comment,
    obs.valueString && `Value: ${obs.valueString}`,
    range?.text && `Range Text: ${range.text}`,
    obs.valueQuantity && rangeUnit && obs.valueQuantity.unit && rangeUnit !== obs.valueQuantity.unit
      ? `Range Units: ${rangeUnit}`
      : undefined,
    !obs.valueQuantity && range && (range.low || range.high)
      ? joinText([
          'Range:',
          range.low && `Low: ${joinText([String(range.low.value ?? ''), range.low.unit])}`,
          range.high && `High: ${joinText([String(range.high.value ?? ''), range.high.unit])}`,
        ])
      : undefined,
  ]);
  if (text)
    out.push(
      pmipNarrative(ctx, text, isCommentNote(obs) ? 'USER COMMENT' : 'AGGREGATE COMMENT SET', date, obs),
    );
  return out;
}

/**
 * The statements for one test result under its specimen: a lone ObservationStatement where it has nothing else
 * to say; a CLUSTER (result + notes) or a BATTERY (test group with members) CompoundStatement otherwise.
 */
export function resultStatements(ctx: TranslationContext, obs: Observation, dummy: boolean): XmlSpec[] {
  ctx.markMapped(obs);
  const members = membersOf(ctx, obs);
  const hasCode = !dummy && obs.code !== undefined && !isCommentNote(obs);
  const battery = members.some((m) => m.code !== undefined && !isCommentNote(m));
  // A BATTERY has no ObservationStatement of its own, so its abnormal flag has to travel as text.
  const ownStatement = hasCode && !battery;
  const narratives = resultNarratives(ctx, obs, dummy, ownStatement && interpretation(obs) !== undefined);
  if (members.length === 0) {
    const own = hasCode ? [resultStatement(ctx, obs)] : [];
    if (narratives.length === 0 || !hasCode) return [...own, ...narratives];
    return [cluster(ctx, obs, 'CLUSTER', [...own, ...narratives])];
  }
  const inner: XmlSpec[] = [];
  if (ownStatement) inner.push(resultStatement(ctx, obs));
  inner.push(...narratives);
  for (const member of members) inner.push(...memberStatements(ctx, member));
  if (inner.length === 0)
    inner.push(pmipNarrative(ctx, 'EMPTY REPORT', 'AGGREGATE COMMENT SET', undefined, obs));
  return [cluster(ctx, obs, battery ? 'BATTERY' : 'CLUSTER', inner)];
}

function memberStatements(ctx: TranslationContext, member: Observation): XmlSpec[] {
  // Members are written where their group is, even when the report also lists them (as the NHS adaptor does).
  ctx.markMapped(member);
  const own = member.code !== undefined && !isCommentNote(member) ? [resultStatement(ctx, member)] : [];
  const narratives = resultNarratives(
    ctx,
    member,
    false,
    own.length > 0 && interpretation(member) !== undefined,
  );
  const comments = membersOf(ctx, member).filter((r) => isCommentNote(r) && !!r.comment);
  // One narrative per comment, each with its own date and label, so each arrives as the comment it was.
  for (const c of comments) {
    ctx.markMapped(c);
    const date = hl7Time(c.effectiveDateTime ?? c.effectivePeriod?.start);
    narratives.push(pmipNarrative(ctx, c.comment ?? '', 'USER COMMENT', date, c));
  }
  if (own.length > 0 && narratives.length > 0)
    return [cluster(ctx, member, 'CLUSTER', [...own, ...narratives], true)];
  return [...own, ...narratives];
}

/**
 * An Observation's members: its `has-member`s, then the comments that say they are `derived-from` it (how a
 * reader links a result's comments), so a record read from an extract is sent on with its comments in place.
 */
function membersOf(ctx: TranslationContext, obs: Observation): Observation[] {
  const out = (Array.isArray(obs.related) ? obs.related : [])
    .filter((r) => r?.type === 'has-member')
    .map((r) => ctx.index.resolve(r.target))
    .filter((r): r is Observation => r?.resourceType === 'Observation');
  for (const comment of ctx.index.derivedFrom(obs))
    if (isCommentNote(comment) && !out.includes(comment)) out.push(comment);
  return out;
}

function cluster(
  ctx: TranslationContext,
  obs: Observation,
  classCode: 'CLUSTER' | 'BATTERY',
  inner: XmlSpec[],
  freshId = false,
): XmlSpec {
  const code = obs.code
    ? codedElement('code', obs.code, 'record-entry').element
    : x('code', { nullFlavor: 'UNK' });
  return x(
    'CompoundStatement',
    { classCode, moodCode: 'EVN' },
    idElement(freshId || classCode === 'CLUSTER' ? ctx.newId() : ctx.idOf(obs)),
    code,
    statusCode(),
    effectiveFrom(obs.effectiveDateTime, obs.effectivePeriod),
    tsElement('availabilityTime', observationAvailability(obs)),
    ctx.confidentiality(obs),
    ...inner.map(component),
  );
}

/** A TS value without its fraction of a second (the offset, if any, kept). */
export function toSecond(ts: string | undefined): string | undefined {
  return ts?.replace(/\.\d+(?=[+-]\d{4}$|$)/, '');
}
