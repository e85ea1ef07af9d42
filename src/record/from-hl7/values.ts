import type { Quantity, Range } from 'fhir/r3.js';
import { attr, child, textOf, type XmlElement } from '../../xml/index.ts';

/**
 * HL7 physical quantities (PQ, IVL_PQ) → FHIR. GP2GP senders put UCUM `unit="1"` and the human unit in
 * `translation/originalText`, so that text wins as the unit where the UCUM unit is the dimensionless "1".
 */

/**
 * A PQ element → Quantity, or undefined where it has no numeric value. `nameUnits` turns UCUM codes into
 * their names (observations); leave it off for dispensing units ("tablet", "m" for a pack), which are not UCUM.
 */
export function toQuantity(pq: XmlElement | undefined, nameUnits = true): Quantity | undefined {
  const raw = attr(pq, 'value');
  if (!pq || raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) return undefined;
  const q: Quantity = { value };
  const unit = unitOf(pq, nameUnits);
  if (unit) q.unit = unit;
  const ucum = attr(pq, 'unit');
  if (ucum && ucum !== '1') {
    q.system = 'http://unitsofmeasure.org';
    q.code = ucum;
  }
  return q;
}

function unitOf(pq: XmlElement, nameUnits: boolean): string | undefined {
  const original = textOf(child(child(pq, 'translation'), 'originalText')).trim();
  // Senders often put a UCUM code in the original text too ("kg"): show its name where we know it.
  if (original) return nameUnits ? (UCUM_NAMES[original] ?? original) : original;
  const ucum = attr(pq, 'unit');
  return ucum ? (UCUM_NAMES[ucum] ?? ucum) : undefined;
}

/** Readable names of the UCUM units GP systems use most (UCUM "print" names), for Quantity.unit. */
const UCUM_NAMES: Readonly<Record<string, string>> = {
  kg: 'kilogram',
  g: 'gram',
  cm: 'centimeter',
  m: 'meter',
  mm: 'millimeter',
  s: 'second',
  min: 'minute',
  h: 'hour',
  d: 'day',
  wk: 'week',
  L: 'liter',
  mL: 'milliliter',
  'L/min': 'liter per minute',
  'mmol/L': 'millimole per liter',
  'mg/dL': 'milligram per deciliter',
  'kg/m2': 'kilogram / (meter ^ 2)',
  'mm[Hg]': 'millimeter of mercury',
  '/min': 'per minute',
  '%': 'percent',
};

/** An IVL_PQ element → Range (low/high), or undefined where neither bound has a value. */
export function toRange(ivl: XmlElement | undefined): Range | undefined {
  const low = toQuantity(child(ivl, 'low'));
  const high = toQuantity(child(ivl, 'high'));
  if (!low && !high) return undefined;
  return { ...(low ? { low } : {}), ...(high ? { high } : {}) };
}

/** The xsi:type of a value element (`PQ`, `CD`, `ST`…), without any prefix. */
export function xsiType(el: XmlElement | undefined): string | undefined {
  const t = attr(el, 'type');
  return t?.includes(':') ? t.slice(t.indexOf(':') + 1) : t;
}
