import type { FhirResource } from 'fhir/r3.js';
import type { XmlSpec } from '../../xml/index.ts';
import { snomedCode } from './coded.ts';
import { ehrComposition } from './composition.ts';
import type { TranslationContext } from './context.ts';
import type { ReferencedDocument } from './document.ts';
import { resourceAuthor, resourceRecorded, resourceTime } from './resource-facts.ts';
import { STATEMENT_TYPES, type StatementKind, statementKind, statementsFor } from './statements.ts';

// GP2GP composition codes for entries recorded outside a consultation. The NHS sending adaptor codes comments,
// blood pressures, reports and problems 109341000000100 "GP to GP communication transaction", which receivers
// (the NHS requesting adaptor and ours) file as a consultation that never happened; "Non-consultation data"
// says what these entries are, so they arrive outside any consultation, as they were sent.
const COMPOSITION_CODES: Readonly<Record<StatementKind, readonly [string, string]>> = {
  comment: ['196401000000100', 'Non-consultation data'],
  'blood-pressure': ['196401000000100', 'Non-consultation data'],
  report: ['196401000000100', 'Non-consultation data'],
  problem: ['196401000000100', 'Non-consultation data'],
  medication: ['196391000000103', 'Non-consultation medication data'],
  other: ['196401000000100', 'Non-consultation data'],
};

// Resources that shape or support statements rather than becoming statements themselves.
const SUPPORTING_TYPES: ReadonlySet<string> = new Set([
  'Patient',
  'Organization',
  'Practitioner',
  'PractitionerRole',
  'Location',
  'List',
  'Encounter',
  'Medication',
  'MedicationStatement',
  'Specimen',
]);

/**
 * One ehrComposition per entry not already written inside a consultation. Reports go first so their result
 * Observations are written inside them rather than on their own.
 */
export function nonConsultationCompositions(
  ctx: TranslationContext,
  documents: ReferencedDocument[],
): XmlSpec[] {
  const candidates = [...ctx.index.resources, ...containedInLists(ctx)].filter((r) =>
    STATEMENT_TYPES.has(r.resourceType),
  );
  const ordered = [
    ...candidates.filter((r) => r.resourceType !== 'Observation'),
    ...candidates.filter((r) => r.resourceType === 'Observation'),
  ];
  for (const resource of ctx.index.resources) {
    if (!STATEMENT_TYPES.has(resource.resourceType) && !SUPPORTING_TYPES.has(resource.resourceType)) {
      ctx.warn(resource, 'resource type is not carried in a GP2GP extract: skipped');
    }
  }
  const out: XmlSpec[] = [];
  for (const resource of ordered) {
    if (ctx.isMapped(resource)) continue;
    const statements = statementsFor(ctx, resource, documents);
    if (statements.length === 0) continue;
    const [code, display] = COMPOSITION_CODES[statementKind(resource)];
    const time = resourceTime(resource);
    const recorded = resourceRecorded(resource) ?? time;
    const author = ctx.agentIdFor(resourceAuthor(resource));
    out.push(
      ehrComposition(ctx, {
        id: ctx.newId(),
        code: snomedCode('code', code, display),
        low: time,
        availability: recorded,
        authorTime: recorded,
        authorId: author,
        performerId: author,
        statements,
        // A report's composition also holds its specimens and results, each with its own label: marking the
        // composition NOPAT for the report would make them all NOPAT at the receiver.
        source: resource.resourceType === 'DiagnosticReport' ? undefined : resource,
      }),
    );
  }
  return out;
}

function containedInLists(ctx: TranslationContext): FhirResource[] {
  return ctx.index
    .ofType('List')
    .flatMap((l) => (Array.isArray(l.contained) ? (l.contained as FhirResource[]) : []));
}
