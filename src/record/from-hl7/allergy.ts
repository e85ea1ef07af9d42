import type { AllergyIntolerance, Reference } from 'fhir/r3.js';
import { child, childElements, type XmlElement } from '../../xml/index.ts';
import { toFhirCodeableConcept } from '../codes/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { episodicityOf } from './episodicity.ts';
import { dateTimeOf, effectiveTimeOf } from './hl7-time.ts';
import {
  annotationsOf,
  codeOf,
  isNopat,
  performerOf,
  type StatementScope,
  statementId,
} from './statement.ts';

/** Read v2 headers that wrap an allergy: 14L..00 "H/O: drug allergy" and SN53.00 "Allergy, unspecified". */
const ALLERGY_HEADERS: Readonly<Record<string, 'drug' | 'non-drug'>> = {
  '14L..00': 'drug',
  'SN53.00': 'non-drug',
};

/** SNOMED equivalents of the headers, for senders that code the wrapper in SNOMED. */
const ALLERGY_HEADERS_SNOMED: Readonly<Record<string, 'drug' | 'non-drug'>> = {
  '416098002': 'drug',
  '419199007': 'non-drug',
};

/** Whether a CompoundStatement is an allergy wrapper, and of which kind. */
export function allergyKindOf(compound: XmlElement): 'drug' | 'non-drug' | undefined {
  const code = child(compound, 'code');
  const c = code?.attrs.code;
  if (c === undefined) return undefined;
  const direct = ALLERGY_HEADERS[c] ?? ALLERGY_HEADERS_SNOMED[c];
  if (direct) return direct;
  for (const t of childElements(code!, 'translation')) {
    const k = ALLERGY_HEADERS[t.attrs.code ?? ''] ?? ALLERGY_HEADERS_SNOMED[t.attrs.code ?? ''];
    if (k) return k;
  }
  return undefined;
}

/**
 * The ObservationStatement inside an allergy CompoundStatement → AllergyIntolerance: drug allergies are
 * category "medication", others "environment"; the code degrades to the drug or non-drug allergy code.
 */
export function mapAllergy(
  compound: XmlElement,
  kind: 'drug' | 'non-drug',
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  const obs = childElements(compound, 'component')
    .map((c) => child(c, 'ObservationStatement'))
    .find((o) => o !== undefined);
  const id = (obs && statementId(obs)) ?? statementId(compound);
  if (!obs || !id) {
    ctx.skip(
      compound,
      obs ? 'no id' : 'placeholder with no content',
      `allergy CompoundStatement ${statementId(compound) ?? '(no id)'} has no ObservationStatement, skipped`,
    );
    return undefined;
  }
  const code = codeOf(obs);
  const concept = code
    ? toFhirCodeableConcept(code, { degradeKind: kind === 'drug' ? 'drug-allergy' : 'non-drug-allergy' })
    : { concept: {}, degraded: true };
  if (concept.degraded)
    ctx.degrade(
      obs,
      'no SNOMED CT code',
      `AllergyIntolerance/${id}: no SNOMED CT code (${code?.code ?? 'no code'}), degraded`,
    );
  const allergy: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id,
    meta: metaFor('CareConnect-GPC-AllergyIntolerance-1', {
      nopat: scope.nopat || isNopat(compound) || isNopat(obs),
      degraded: concept.degraded,
    }),
    identifier: ctx.identifier(id),
    clinicalStatus: 'active',
    verificationStatus: 'unconfirmed',
    category: [kind === 'drug' ? 'medication' : 'environment'],
    code: concept.concept,
    patient: ctx.patientRef,
  };
  if (scope.encounterRef) {
    allergy.extension = [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/encounter-associatedEncounter',
        valueReference: scope.encounterRef,
      },
    ];
  }
  const when = effectiveTimeOf(obs);
  const onset = when.point ?? when.start;
  if (onset) allergy.onsetDateTime = onset;
  if (when.end) allergy.lastOccurrence = when.end;
  const asserted =
    dateTimeOf(child(compound, 'availabilityTime')) ?? dateTimeOf(child(obs, 'availabilityTime'));
  if (asserted) allergy.assertedDate = asserted;
  if (scope.authorRef) allergy.recorder = scope.authorRef;
  const asserter = performerOf(obs, scope, ctx);
  if (asserter) allergy.asserter = asserter;
  const notes = [...episodicityOf(obs), ...annotationsOf(obs)];
  if (notes.length > 0) allergy.note = notes.map((text) => ({ text }));
  // GP2GP has no allergy status: senders that know it write "Status: resolved" first in the annotation.
  const status = notes.map((n) => STATUS_NOTE.exec(n)?.[1]).find((s) => s !== undefined);
  if (status) allergy.clinicalStatus = status as AllergyIntolerance['clinicalStatus'];
  const made = ctx.add(allergy, id, obs);
  // The wrapper is the allergy's header: it comes through with it.
  ctx.accountOf(compound).record(ctx.accountOf(obs).result);
  return made ? { reference: `AllergyIntolerance/${id}` } : undefined;
}

const STATUS_NOTE = /^Status: (active|inactive|resolved)\b/;
