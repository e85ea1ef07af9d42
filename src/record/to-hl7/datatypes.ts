import type { Quantity } from 'fhir/r3.js';
import { type XmlChild, type XmlSpec, x } from '../../xml/index.ts';
import { cleanText, cleanToken } from './text.ts';

/** SNOMED CT's HL7 OID, the code system of every fixed code written here. */
export const SNOMED_OID = '2.16.840.1.113883.2.1.3.2.4.15';

/** `<id root="…"/>`. */
export function idElement(root: string, name = 'id'): XmlSpec {
  return x(name, { root });
}

/** A TS element (`availabilityTime`, `time`…) with a value, or `nullFlavor="UNK"` when there is none. */
export function tsElement(name: string, value: string | undefined): XmlSpec {
  return value ? x(name, { value }) : x(name, { nullFlavor: 'UNK' });
}

/** An `effectiveTime` (IVL_TS): low/high where either is known, else a center (UNK when nothing is known). */
export function effectiveTime(low: string | undefined, high?: string | undefined): XmlSpec {
  if (low && high) return x('effectiveTime', {}, x('low', { value: low }), x('high', { value: high }));
  if (high) return x('effectiveTime', {}, x('high', { value: high }));
  return x('effectiveTime', {}, low ? x('center', { value: low }) : x('center', { nullFlavor: 'UNK' }));
}

/** An `effectiveTime` interval whose start is a low bound (used for ongoing things such as problems). */
export function effectivePeriod(low: string | undefined, high: string | undefined): XmlSpec {
  if (!low && !high) return x('effectiveTime', {}, x('center', { nullFlavor: 'UNK' }));
  if (!low) return x('effectiveTime', {}, x('high', { value: high }));
  return x('effectiveTime', {}, x('low', { value: low }), high && x('high', { value: high }));
}

/** `<statusCode code="…"/>`. */
export function statusCode(code = 'COMPLETE'): XmlSpec {
  return x('statusCode', { code });
}

/** `<agentRef classCode="AGNT"><id root/></agentRef>`. */
export function agentRef(agentId: string): XmlSpec {
  return x('agentRef', { classCode: 'AGNT' }, idElement(agentId));
}

/** A statement `Participant` (AUT author, PRF performer…) pointing at an agent. */
export function participant(agentId: string, typeCode: 'AUT' | 'PRF' = 'PRF'): XmlSpec {
  return x('Participant', { typeCode, contextControlCode: 'OP' }, agentRef(agentId));
}

/** Wraps a statement in a `component` (for ehrComposition and CompoundStatement alike). */
export function component(statement: XmlSpec): XmlSpec {
  return x('component', { typeCode: 'COMP' }, statement);
}

/** A `statementRef` to another statement by id. */
export function statementRef(id: string, name = 'statementRef'): XmlSpec {
  return x(name, { classCode: 'OBS', moodCode: 'EVN' }, idElement(id));
}

/** A text element (ED/ST), left out where there is no text. */
export function textElement(
  name: string,
  value: string | undefined,
  attrs: Record<string, string> = {},
): XmlSpec | undefined {
  const text = cleanText(value);
  return text === undefined ? undefined : x(name, attrs, text);
}

/** The number as an HL7 `real`, or undefined when it is not finite. */
export function hl7Real(value: number | undefined): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
}

/**
 * A PQ element for a FHIR Quantity: the UCUM code where it is a valid token, else unit "1" with the
 * human unit kept as a translation's originalText so nothing is lost.
 */
export function quantityElement(
  name: string,
  quantity: Quantity | undefined,
  extraAttrs: Record<string, string> = {},
): XmlSpec | undefined {
  const value = hl7Real(quantity?.value);
  if (value === undefined) return undefined;
  const ucum = quantity?.system === 'http://unitsofmeasure.org' ? cleanToken(quantity.code) : undefined;
  const human = cleanText(quantity?.unit) ?? cleanText(quantity?.code);
  const children: XmlChild[] = [];
  if (!ucum && human) children.push(x('translation', { value }, x('originalText', {}, human)));
  // A quantity with no unit at all is written without one (PQ's unit defaults to the dimensionless "1"), so
  // it does not come back as a quantity "in 1".
  const unit = ucum ?? (human ? '1' : undefined);
  return x(name, { ...extraAttrs, value, ...(unit ? { unit } : {}) }, ...children);
}

/** Attributes that put `xsi:type` on a value element, declaring the namespace locally so any envelope works. */
export function xsiType(type: string): Record<string, string> {
  return { 'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance', 'xsi:type': type };
}
