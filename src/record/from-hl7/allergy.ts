import type { AllergyIntolerance, CodeableConcept, Coding, Reference } from 'fhir/r3.js';
import { child, childElements, type XmlElement } from '../../xml/index.ts';
import {
  allCodes,
  type Hl7Code,
  isGenericAllergyCode,
  readHl7Code,
  toFhirCodeableConcept,
} from '../codes/index.ts';
import { conceptDegradeReason, type MappingContext, metaFor } from './context.ts';
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
const ALLERGY_HEADERS: Readonly<Record<string, AllergyKind>> = {
  '14L..00': 'drug',
  'SN53.00': 'non-drug',
};

/** SNOMED equivalents of the headers, for senders that code the wrapper in SNOMED. */
const ALLERGY_HEADERS_SNOMED: Readonly<Record<string, AllergyKind>> = {
  '416098002': 'drug',
  '419199007': 'non-drug',
};

/** Whether a CompoundStatement's code is an allergy header, and of which kind. */
function headerKindOf(compound: XmlElement): AllergyKind | undefined {
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

/** Drug or non-drug allergy, as the wrapper's header code says. */
export type AllergyKind = 'drug' | 'non-drug';

/** An allergy wrapper: its kind, the ObservationStatement that is the allergy, and what else it holds. */
export interface AllergyShape {
  readonly kind: AllergyKind;
  readonly observation: XmlElement;
  /** Other statements inside the wrapper: translated as usual, never swallowed. */
  readonly others: readonly XmlElement[];
}

/**
 * The allergy a CompoundStatement wraps, where its shape is an allergy's: a CATEGORY (or unclassed) compound
 * coded with an allergy header holding exactly one ObservationStatement. A TOPIC, or a compound of another shape
 * whose code happens to be an allergy header, is no allergy: its content is translated as usual.
 */
export function allergyShapeOf(compound: XmlElement): AllergyShape | undefined {
  const classCode = compound.attrs.classCode;
  if (compound.local !== 'CompoundStatement' || (classCode !== undefined && classCode !== 'CATEGORY'))
    return undefined;
  const kind = headerKindOf(compound);
  if (!kind) return undefined;
  const inner = childElements(compound, 'component').flatMap((c) => childElements(c));
  const observations = inner.filter((i) => i.local === 'ObservationStatement');
  if (observations.length !== 1) return undefined;
  const observation = observations[0]!;
  return { kind, observation, others: inner.filter((i) => i !== observation) };
}

/**
 * An allergy wrapper → AllergyIntolerance: drug allergies are category "medication", others "environment".
 * Where the ObservationStatement's code says only "drug allergy" (or "allergy") and its `value` names the
 * allergen, the allergy is coded with the allergen, the generic code kept as a further coding: the allergen
 * never disappears. A specific code keeps its place, the allergen named by the value following it. The code
 * degrades to the drug or non-drug allergy code where the allergen has no SNOMED CT code.
 */
export function mapAllergy(
  compound: XmlElement,
  shape: AllergyShape,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  const { kind, observation: obs } = shape;
  const id = statementId(obs) ?? statementId(compound);
  if (!id) {
    ctx.skip(obs, 'no id', 'allergy ObservationStatement without id/@root skipped');
    ctx.accountOf(compound).record(ctx.accountOf(obs).result);
    return undefined;
  }
  const concept = allergyConcept(obs, kind);
  if (concept.degraded)
    ctx.degrade(
      obs,
      conceptDegradeReason(concept),
      `AllergyIntolerance/${id}: no SNOMED CT code for the allergen (${concept.named ?? 'no code'}), degraded`,
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
  // The wrapper is the allergy's header: it comes through with it (its degrade is the observation's).
  const outcome = ctx.accountOf(obs).result;
  ctx.accountOf(compound).record(outcome.kind === 'degraded' ? { kind: 'mapped' } : outcome);
  return made ? { reference: `AllergyIntolerance/${id}` } : undefined;
}

const STATUS_NOTE = /^Status: (active|inactive|resolved)\b/;

/** What codes an allergy: the concept, whether it degraded, and the code named in a warning. */
interface AllergyConcept {
  readonly concept: CodeableConcept;
  readonly degraded: boolean;
  readonly descriptionOnly?: boolean;
  readonly named?: string;
}

/** The allergy's code: the allergen from the value where the code is generic, the code otherwise. */
function allergyConcept(obs: XmlElement, kind: AllergyKind): AllergyConcept {
  const degradeKind = kind === 'drug' ? 'drug-allergy' : 'non-drug-allergy';
  const code = codeOf(obs);
  const allergen = allergenOf(obs, code);
  if (!allergen) {
    const own = code ? toFhirCodeableConcept(code, { degradeKind }) : { concept: {}, degraded: true };
    return { ...own, ...(code?.code ? { named: code.code } : {}) };
  }
  // The other concept's codings, as sent (no degrade code of ours among them).
  const plain = (c: Hl7Code | undefined): Coding[] =>
    c ? (toFhirCodeableConcept(c).concept.coding ?? []) : [];
  if (!code || isGeneric(code)) {
    // "Drug allergy" + the drug: the drug is the allergy's code; the generic code follows it.
    const { concept, degraded, descriptionOnly } = toFhirCodeableConcept(allergen, { degradeKind });
    const first = concept.coding ?? [];
    const coding = [...first, ...plain(code).filter((c) => !sameCoding(first, c))];
    const text = concept.text ?? code?.originalText ?? code?.displayName;
    return {
      concept: { ...(coding.length > 0 ? { coding } : {}), ...(text ? { text } : {}) },
      degraded,
      ...(descriptionOnly ? { descriptionOnly } : {}),
      ...(allergen.code ? { named: allergen.code } : {}),
    };
  }
  // A specific code keeps its place; the allergen the value names follows, so neither is lost.
  const { concept, degraded, descriptionOnly } = toFhirCodeableConcept(code, { degradeKind });
  const first = concept.coding ?? [];
  const coding = [...first, ...plain(allergen).filter((c) => !sameCoding(first, c))];
  return {
    concept: { ...concept, ...(coding.length > 0 ? { coding } : {}) },
    degraded,
    ...(descriptionOnly ? { descriptionOnly } : {}),
    named: code.code ?? '',
  };
}

/** EMIS Web's local code system: its allergy values repeat the allergy's own term. */
const EMIS_LOCAL_OID = '2.16.840.1.113883.2.1.6.3';

/**
 * The allergen the ObservationStatement's `value` names: a coded value (dm+d or any system), or one with only
 * text. An EMIS local value repeating the allergy's own term (EMIS Web writes one on every allergy) names
 * nothing new.
 */
function allergenOf(obs: XmlElement, code: Hl7Code | undefined): Hl7Code | undefined {
  const value = child(obs, 'value');
  if (!value) return undefined;
  const read = readHl7Code(value);
  if (!read.code && !read.originalText && read.translations.length === 0) return undefined;
  const term = read.displayName ?? read.originalText;
  const echo =
    read.codeSystem === EMIS_LOCAL_OID &&
    (term === undefined || term === code?.displayName || term === code?.originalText);
  return echo ? undefined : read;
}

/** True where every code the allergy's code carries (main and translations) says only "an allergy". */
function isGeneric(code: Hl7Code): boolean {
  const codes = allCodes(code);
  return codes.length > 0 && codes.every((c) => isGenericAllergyCode(c.code, c.codeSystem));
}

function sameCoding(list: readonly Coding[], c: Coding): boolean {
  return list.some((l) => l.system === c.system && l.code === c.code);
}
