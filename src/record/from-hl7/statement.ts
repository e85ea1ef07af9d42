import type { Reference } from 'fhir/r3.js';
import { attr, child, childElements, textOf, type XmlElement } from '../../xml/index.ts';
import { type Hl7Code, readHl7Code } from '../codes/index.ts';
import type { MappingContext } from './context.ts';
import { fhirId } from './fhir-id.ts';
import { toFhirDateTime, toFhirInstant } from './hl7-time.ts';

/** What a statement inherits from the ehrComposition around it. */
export interface StatementScope {
  /** The consultation's Encounter, where the composition is one. */
  readonly encounterRef?: Reference;
  /** `ehrComposition/author/time`: when the entry was recorded (FHIR instant). */
  readonly recordedAt?: string;
  /** `ehrComposition/author/time` as a dateTime, for `assertedDate`-like fields. */
  readonly recordedDate?: string;
  /** The composition's author (recorder). */
  readonly authorRef?: Reference;
  /** The composition's first performer (Participant2), else its author. */
  readonly performerRef?: Reference;
  /** True where the composition itself is NOPAT. */
  readonly nopat: boolean;
}

/** Reads the composition-level scope (encounter reference supplied by the caller). */
export function compositionScope(
  composition: XmlElement,
  ctx: MappingContext,
  encounterRef: Reference | undefined,
  parentNopat: boolean,
): StatementScope {
  const author = child(composition, 'author');
  const time = attr(author, 'value', 'time');
  const authorRef = ctx.agentRef(attr(author, 'root', 'agentRef/id'));
  let performerRef: Reference | undefined;
  for (const p of childElements(composition, 'Participant2')) {
    if (p.attrs.nullFlavor) continue;
    performerRef = ctx.agentRef(attr(p, 'root', 'agentRef/id'));
    if (performerRef) break;
  }
  const scope: { -readonly [K in keyof StatementScope]: StatementScope[K] } = {
    nopat: parentNopat || isNopat(composition),
  };
  if (encounterRef) scope.encounterRef = encounterRef;
  const recordedAt = toFhirInstant(time) ?? (ctx.extractTime ? toFhirInstant(ctx.extractTime) : undefined);
  if (recordedAt) scope.recordedAt = recordedAt;
  const recordedDate = toFhirDateTime(time);
  if (recordedDate) scope.recordedDate = recordedDate;
  if (authorRef) scope.authorRef = authorRef;
  const perf = performerRef ?? authorRef;
  if (perf) scope.performerRef = perf;
  return scope;
}

/** A statement's own id (`id/@root`) as a FHIR id, if any. */
export function statementId(element: XmlElement): string | undefined {
  return fhirId(attr(element, 'root', 'id'));
}

/** True where the element's confidentialityCode is NOPAT (no disclosure to the patient). */
export function isNopat(element: XmlElement): boolean {
  return attr(element, 'code', 'confidentialityCode') === 'NOPAT';
}

/** The first performer (`participant` PPRF/PRF) of the statement, else the composition's performer. */
export function performerOf(
  element: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  // The MIM names the element `Participant`; some senders write it in lower case.
  for (const p of [...childElements(element, 'Participant'), ...childElements(element, 'participant')]) {
    const type = p.attrs.typeCode;
    if (p.attrs.nullFlavor || (type !== 'PPRF' && type !== 'PRF')) continue;
    const ref = ctx.agentRef(attr(p, 'root', 'agentRef/id'));
    if (ref) return ref;
  }
  return scope.performerRef;
}

/** The statement's `code`, read once. */
export function codeOf(element: XmlElement): Hl7Code | undefined {
  const c = child(element, 'code');
  return c ? readHl7Code(c) : undefined;
}

/** Texts of `pertinentInformation/pertinentAnnotation`, in `sequenceNumber` order. */
export function annotationsOf(element: XmlElement): string[] {
  const notes: { seq: number; text: string }[] = [];
  for (const info of childElements(element, 'pertinentInformation')) {
    const ann = child(info, 'pertinentAnnotation');
    if (!ann) continue;
    const text = textOf(child(ann, 'text')).trim();
    if (!text) continue;
    const seq = Number(attr(info, 'value', 'sequenceNumber') ?? Number.NaN);
    notes.push({ seq: Number.isFinite(seq) ? seq : notes.length + 1000, text });
  }
  return notes.sort((a, b) => a.seq - b.seq).map((n) => n.text);
}

/** The direct text of a `<text>` child, trimmed. */
export function textChild(element: XmlElement, name = 'text'): string | undefined {
  const t = textOf(child(element, name)).trim();
  return t || undefined;
}
