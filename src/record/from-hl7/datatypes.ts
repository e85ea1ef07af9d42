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
export function toQuantity(element: XmlElement | undefined, nameUnits = true): Quantity | undefined {
  const raw = attr(element, 'value');
  if (!element || raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) return undefined;
  const q: Quantity = { value };
  const unit = unitOf(element, nameUnits);
  if (unit) q.unit = unit;
  const ucum = attr(element, 'unit');
  const named = nameUnits ? namedOriginalText(element) : undefined;
  if (ucum && ucum !== '1') {
    q.system = 'http://unitsofmeasure.org';
    q.code = ucum;
  } else if (named) {
    // The unit is shown by its UCUM name (as the NHS requesting adaptor does), so the code the sender wrote is
    // kept beside it: without it the sender's own unit ("mmol/L") would be lost to its name.
    q.system = 'http://unitsofmeasure.org';
    q.code = named;
  }
  return q;
}

/** The original text of a PQ where it is a UCUM code we show by name, else undefined. */
function namedOriginalText(element: XmlElement): string | undefined {
  const original = textOf(child(child(element, 'translation'), 'originalText')).trim();
  return Object.hasOwn(UCUM_NAMES, original) ? original : undefined;
}

function unitOf(element: XmlElement, nameUnits: boolean): string | undefined {
  const original = textOf(child(child(element, 'translation'), 'originalText')).trim();
  // Senders often put a UCUM code in the original text too ("kg"): show its name where we know it.
  if (original) return nameUnits ? nameOf(original) : original;
  const ucum = attr(element, 'unit');
  return ucum ? nameOf(ucum) : undefined;
}

/** A UCUM code's readable name, else the code itself (own keys only: "constructor" is not a unit). */
function nameOf(ucum: string): string {
  return Object.hasOwn(UCUM_NAMES, ucum) ? (UCUM_NAMES[ucum] as string) : ucum;
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
export function xsiType(element: XmlElement | undefined): string | undefined {
  const t = attr(element, 'type');
  return t?.includes(':') ? t.slice(t.indexOf(':') + 1) : t;
}
