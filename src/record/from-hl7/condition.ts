import type { Condition, Extension, Reference } from 'fhir/r3.js';
import { attr, child, childElements, type XmlElement } from '../../xml/index.ts';
import { type Hl7Code, readHl7Code, toFhirCodeableConcept } from '../codes/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { fhirId } from './fhir-id.ts';
import { dateTimeOf, effectiveTimeOf } from './hl7-time.ts';
import { type TransformedHeader, transformedHeaderOf } from './problem-header.ts';
import { annotationsOf, isNopat, performerOf, type StatementScope, statementId } from './statement.ts';

const CARE_CONNECT = 'https://fhir.hl7.org.uk/STU3/StructureDefinition';

/** A LinkSet found in the walk, mapped after every statement so its links can be resolved. */
export interface FoundLinkSet {
  readonly linkSet: XmlElement;
  readonly scope: StatementScope;
}

/**
 * LinkSet (a problem) → Condition: the named statement gives the code, the LinkSet code gives the status
 * (394774009 active, 394775005 inactive; anything else defaults to active with a note) and its qualifier the
 * significance (386134007 major, else minor). Linked statements become related clinical content.
 */
export function mapCondition(
  found: FoundLinkSet,
  statements: ReadonlyMap<string, XmlElement>,
  ctx: MappingContext,
): void {
  const { linkSet, scope } = found;
  const id = statementId(linkSet);
  if (!id) {
    ctx.warn('LinkSet without id/@root skipped');
    return;
  }
  const namedId = fhirId(attr(linkSet, 'root', 'conditionNamed/namedStatementRef/id'));
  const named = namedId ? statements.get(namedId) : undefined;
  const links = childElements(linkSet, 'component').flatMap((c) => {
    const refId = fhirId(attr(c, 'root', 'statementRef/id'));
    return refId ? [refId] : [];
  });
  const header = transformedHeaderOf(named);
  const actualId = header ? actualEntryOf(header, links, statements, ctx) : undefined;
  const linkCode = child(linkSet, 'code');
  // A sender's transformed header may carry only "Problem" 55607006 (the NHS sending adaptor does): the actual
  // entry's code is then the problem's code.
  const headerCode = child(named, 'code');
  const codeEl =
    header && attr(headerCode, 'code') === GENERIC_PROBLEM && actualId
      ? (child(statements.get(actualId), 'code') ?? headerCode)
      : headerCode;
  const source: Hl7Code | undefined = codeEl
    ? readHl7Code(codeEl)
    : linkCode
      ? readHl7Code(linkCode)
      : undefined;
  if (namedId && !named)
    ctx.warn(`Condition/${id}: named statement ${namedId} not in the extract, LinkSet code used`);
  const { concept, degraded } = source
    ? toFhirCodeableConcept(source, { degradeKind: 'record-entry' })
    : { concept: {}, degraded: true };
  if (degraded) ctx.warn(`Condition/${id}: no SNOMED CT code, degraded`);
  const statusCode = attr(linkCode, 'code');
  const notes: string[] = [];
  let clinicalStatus = 'active';
  if (statusCode === '394775005') clinicalStatus = 'inactive';
  else if (statusCode !== '394774009') notes.push('Defaulted status to active : Unknown status at source');
  const significance = significanceOf(linkCode);
  if (significance === undefined) notes.push('Defaulted to Minor');
  if (header) notes.push(...header.notes);
  else if (named) notes.push(...annotationsOf(named));
  const original = linkCode ? readHl7Code(linkCode).originalText : undefined;
  if (original) notes.push(original);
  const extension: Extension[] = [
    {
      url: `${CARE_CONNECT}/Extension-CareConnect-ProblemSignificance-1`,
      valueCode: significance ?? 'minor',
    },
  ];
  const actual = ctx.madeFrom.get((header ? actualId : namedId) ?? '');
  if (actual)
    extension.push({ url: `${CARE_CONNECT}/Extension-CareConnect-ActualProblem-1`, valueReference: actual });
  for (const refId of links) {
    if (refId === actualId) continue;
    const related = ctx.madeFrom.get(refId);
    if (related)
      extension.push({
        url: `${CARE_CONNECT}/Extension-CareConnect-RelatedClinicalContent-1`,
        valueReference: related,
      });
    else ctx.warn(`Condition/${id}: related statement ${refId} was not translated, link dropped`);
  }
  const condition: Condition = {
    resourceType: 'Condition',
    id,
    meta: metaFor('CareConnect-GPC-ProblemHeader-Condition-1', {
      nopat: scope.nopat || isNopat(linkSet),
      degraded,
    }),
    extension,
    identifier: ctx.identifier(id),
    clinicalStatus,
    category: [
      {
        coding: [
          {
            system: 'https://fhir.hl7.org.uk/STU3/CodeSystem/CareConnect-ConditionCategory-1',
            code: 'problem-list-item',
            display: 'Problem List Item',
          },
        ],
      },
    ],
    code: concept,
    subject: ctx.patientRef,
  };
  if (scope.encounterRef) condition.context = scope.encounterRef;
  const when = effectiveTimeOf(linkSet);
  const onset = when.point ?? when.start;
  if (onset) condition.onsetDateTime = onset;
  if (when.end) condition.abatementDateTime = when.end;
  const asserted = dateTimeOf(child(linkSet, 'availabilityTime')) ?? scope.recordedDate;
  if (asserted) condition.assertedDate = asserted;
  const asserter = performerOf(linkSet, scope, ctx);
  if (asserter) condition.asserter = asserter;
  if (notes.length > 0) condition.note = notes.map((text) => ({ text }));
  ctx.add(condition, id);
}

/** "Problem": the fixed code of the NHS sending adaptor's transformed problem headers. */
const GENERIC_PROBLEM = '55607006';

/**
 * The linked statement that is a transformed header's actual problem: of the named resource type, the one whose
 * text is the header's "Originally coded" text, else the first (our writer links it first).
 */
function actualEntryOf(
  header: TransformedHeader,
  links: readonly string[],
  statements: ReadonlyMap<string, XmlElement>,
  ctx: MappingContext,
): string | undefined {
  const ofType = links.filter((l) => ctx.madeFrom.get(l)?.reference?.startsWith(`${header.type}/`));
  const coded = (l: string) => {
    const code = child(statements.get(l), 'code');
    return code ? readHl7Code(code) : undefined;
  };
  const text = header.originallyCoded;
  const same = text
    ? ofType.find((l) => [coded(l)?.originalText, coded(l)?.displayName].includes(text))
    : undefined;
  return same ?? ofType[0];
}

/** 386134007 Significant → major, 371924009 Minor → minor; anything else is unstated (undefined). */
function significanceOf(code: XmlElement | undefined): 'major' | 'minor' | undefined {
  for (const q of code ? childElements(code, 'qualifier') : []) {
    const c = attr(q, 'code', 'name');
    if (c === '386134007') return 'major';
    if (c === '371924009') return 'minor';
  }
  return undefined;
}

/** The Reference made for a LinkSet, for List entries. */
export function conditionRef(linkSet: XmlElement): Reference | undefined {
  const id = statementId(linkSet);
  return id ? { reference: `Condition/${id}` } : undefined;
}

/**
 * What a LinkSet reads of a statement it names or links: its `code` and annotations (transformed headers, notes).
 * Kept in place of the whole statement, so the walker can let each composition's tree go once it is walked.
 */
export function linkTarget(statement: XmlElement): XmlElement {
  const kept: XmlElement[] = [];
  for (const c of statement.children) {
    if (typeof c === 'object' && (c.local === 'code' || c.local === 'pertinentInformation')) kept.push(c);
  }
  return {
    name: statement.name,
    local: statement.local,
    ns: statement.ns,
    attrs: statement.attrs,
    children: kept,
  };
}
