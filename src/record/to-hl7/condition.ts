import type { Condition, Extension, FhirResource, Reference } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { UNCERTAINTY } from '../uncertainty.ts';
import { codedElement } from './coded.ts';
import type { TranslationContext } from './context.ts';
import {
  component,
  effectivePeriod,
  idElement,
  participant,
  SNOMED_OID,
  statementRef,
  statusCode,
  tsElement,
} from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { annotation } from './observation.ts';
import { needsTransformedHeader, transformedHeaderText } from './problem-header.ts';
import { notRestated } from './text.ts';

// CareConnect extensions on a GP Connect problem (Condition).
const ACTUAL_PROBLEM =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ActualProblem-1';
const SIGNIFICANCE =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ProblemSignificance-1';
const RELATED_CONTENT =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-RelatedClinicalContent-1';

// Resource types a problem may point at whose statements exist in the extract.
const LINKABLE = new Set([
  'Observation',
  'AllergyIntolerance',
  'Immunization',
  'MedicationRequest',
  'ProcedureRequest',
  'ReferralRequest',
  'DocumentReference',
  'DiagnosticReport',
  'Condition',
]);

// GP Connect List codes of a consultation's topics and categories, written as TOPIC and CATEGORY
// CompoundStatements whose ids are the Lists' ids.
const TOPIC_OR_CATEGORY = new Set(['25851000000105', '24781000000107']);

/**
 * A problem as a LinkSet: coded Active/Inactive Problem with a significance qualifier, statementRefs to its
 * related clinical content and a conditionNamed pointing at the actual problem. Where the actual problem is
 * not an Observation, an ObservationStatement for it is returned too (same composition): a transformed problem
 * header naming the actual entry (linked first), or, with no actual entry, the problem made from the Condition.
 */
export function conditionStatements(ctx: TranslationContext, condition: Condition): XmlSpec[] {
  const exts = Array.isArray(condition.extension) ? condition.extension : [];
  const actual = refOf(exts.find((e) => e?.url === ACTUAL_PROBLEM));
  const actualTarget = ctx.index.resolve(actual);
  const namedId = actualTarget?.resourceType === 'Observation' ? ctx.idOf(actualTarget) : ctx.newId();
  const transformed = needsTransformedHeader(actualTarget) ? actualTarget : undefined;
  const related = [
    ...(transformed ? [ctx.idOf(transformed)] : []),
    ...exts
      .filter((e) => e?.url === RELATED_CONTENT)
      .map((e) => ctx.index.resolve(refOf(e)))
      .filter((r) => r !== undefined && isLinkable(r))
      .map((r) => (r ? ctx.idOf(r) : '')),
  ];
  const low = hl7Time(condition.onsetDateTime);
  const high = hl7Time(condition.abatementDateTime);
  const asserted = hl7Time(condition.assertedDate);
  const asserter = condition.asserter ? participant(ctx.agentIdFor(condition.asserter), 'PRF') : undefined;
  const linkSet = x(
    'LinkSet',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(ctx.idOf(condition)),
    problemCode(condition, exts),
    statusCode(),
    effectivePeriod(low, high),
    tsElement('availabilityTime', asserted ?? low),
    ctx.confidentiality(condition),
    ...[...new Set(related)].filter((id) => id !== namedId).map((id) => component(statementRef(id))),
    x(
      'conditionNamed',
      { typeCode: 'NAME', inversionInd: 'true' },
      statementRef(namedId, 'namedStatementRef'),
    ),
    asserter,
  );
  if (actualTarget?.resourceType === 'Observation') return [linkSet];
  if (actual && !actualTarget)
    ctx.warn(
      condition,
      'actual problem reference does not resolve: problem statement made from the Condition',
    );
  const coded = codedElement('code', condition.code, 'record-entry');
  if (coded.degraded)
    ctx.warn(condition, 'no SNOMED CT code: problem sent as a transfer-degraded record entry');
  const own = problemNotes(condition, exts);
  const notes = transformed ? [transformedHeaderText(condition, transformed, own)] : own;
  const problem = x(
    'ObservationStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(namedId),
    coded.element,
    statusCode(),
    effectivePeriod(low, high),
    tsElement('availabilityTime', asserted ?? low),
    ctx.confidentiality(condition),
    // A provisional problem is recorded as uncertain (docs/record-translation.md#uncertainty).
    condition.verificationStatus === 'provisional' || condition.verificationStatus === 'differential'
      ? x('uncertaintyCode', { ...UNCERTAINTY })
      : undefined,
    annotation(notes),
    asserter,
  );
  return [linkSet, problem];
}

/** The problem's status and significance as the LinkSet code carries them. */
function problemStatus(condition: Condition, exts: readonly Extension[]) {
  const active =
    condition.clinicalStatus !== 'inactive' &&
    condition.clinicalStatus !== 'resolved' &&
    condition.clinicalStatus !== 'remission';
  const significance = exts.find((e) => e?.url === SIGNIFICANCE)?.valueCode;
  const major = typeof significance === 'string' && significance.toLowerCase() === 'major';
  const status = active ? ['394774009', 'Active Problem'] : ['394775005', 'Inactive Problem'];
  return { status, major, text: `${status[1]}, ${major ? 'major' : 'minor'}` };
}

/**
 * The Condition's notes, less the lines its LinkSet code restates: the status text ("Active Problem, major")
 * and, for a problem not marked major (sent as unspecified significance), the reader's "Defaulted to Minor".
 * A reader adds both to the notes again, so a record sent on keeps one of each, not one more per transfer.
 */
function problemNotes(condition: Condition, exts: readonly Extension[]): string[] {
  const { major, text } = problemStatus(condition, exts);
  const notes = (Array.isArray(condition.note) ? condition.note : []).map((n) => n?.text);
  return notRestated([text, major ? undefined : 'Defaulted to Minor'], notes);
}

/** True where the problem is its LinkSet alone: its actual problem is an Observation written elsewhere. */
export function isLinkSetOnly(ctx: TranslationContext, condition: Condition): boolean {
  const exts = Array.isArray(condition.extension) ? condition.extension : [];
  return (
    ctx.index.resolve(refOf(exts.find((e) => e?.url === ACTUAL_PROBLEM)))?.resourceType === 'Observation'
  );
}

function problemCode(condition: Condition, exts: Extension[]): XmlSpec {
  const { status, major, text } = problemStatus(condition, exts);
  const qualifier = major ? ['386134007', 'Significant'] : ['394847000', 'Unspecified significance'];
  return x(
    'code',
    { code: status[0], codeSystem: SNOMED_OID, displayName: status[1] },
    x('originalText', {}, text),
    x(
      'qualifier',
      { inverted: 'false' },
      x('name', { code: qualifier[0], codeSystem: SNOMED_OID, displayName: qualifier[1] }),
    ),
  );
}

/**
 * True where the related entry has an id in the extract: a statement, or a consultation (its ehrComposition)
 * or one of its topics or categories (their CompoundStatements). The NHS sending adaptor drops links to
 * Encounters and Lists; a statementRef to the composition or CompoundStatement keeps them, and a reader that
 * cannot resolve it loses no more than before.
 */
function isLinkable(r: FhirResource): boolean {
  if (LINKABLE.has(r.resourceType)) return true;
  if (r.resourceType === 'Encounter') return true;
  return r.resourceType === 'List' && (r.code?.coding ?? []).some((c) => TOPIC_OR_CATEGORY.has(c.code ?? ''));
}

function refOf(ext: Extension | undefined): Reference | undefined {
  return ext?.valueReference;
}
