import { londonWallClockToUtc } from '../../hl7/hl7-time.ts';
import { attr, child, type XmlElement } from '../../xml/index.ts';

/**
 * HL7v3 timestamps (TS: `YYYY[MM[DD[HH[MM[SS[.fff]]]]]][+ZZZZ]`) → FHIR dateTime/instant. GP2GP senders write
 * UK wall-clock time without an offset, so a time with no offset is read as Europe/London (GMT, or BST in
 * summer) and written as UTC (`+00:00`): the same extract always yields the same instant, whatever the
 * translating machine's zone. Dates without a time keep their precision and are not shifted.
 */

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d+))?([+-]\d{4})?$/;

/** FHIR dateTime keeping the HL7 precision (year, month, day, or time with offset); undefined if malformed. */
export function toFhirDateTime(ts: string | undefined): string | undefined {
  const m = ts ? TS.exec(ts.trim()) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (!mo) return y;
  if (!d) return `${y}-${mo}`;
  if (!h) return `${y}-${mo}-${d}`;
  // A fraction of a second is kept (to the millisecond) where the sender wrote one.
  const fraction = s && frac ? `.${frac.slice(0, 3)}` : '';
  if (zone) return `${y}-${mo}-${d}T${h}:${mi ?? '00'}:${s ?? '00'}${fraction}${offset(zone)}`;
  return `${londonToUtc(y!, mo, d, h, mi ?? '00', s ?? '00')}${fraction}+00:00`;
}

/** FHIR instant (always a full time with milliseconds); a date-only value becomes midnight. */
export function toFhirInstant(ts: string | undefined): string | undefined {
  const m = ts ? TS.exec(ts.trim()) : null;
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = (frac ?? '').padEnd(3, '0').slice(0, 3);
  if (zone || !h)
    return `${y}-${mo ?? '01'}-${d ?? '01'}T${h ?? '00'}:${mi ?? '00'}:${s ?? '00'}.${ms}${offset(zone)}`;
  return `${londonToUtc(y!, mo ?? '01', d ?? '01', h, mi ?? '00', s ?? '00')}.${ms}+00:00`;
}

/** UK wall-clock time → UTC `YYYY-MM-DDTHH:MM:SS` (the message layer knows when BST applies). */
function londonToUtc(y: string, mo: string, d: string, h: string, mi: string, s: string): string {
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return new Date(londonWallClockToUtc(wall)).toISOString().slice(0, 19);
}

function offset(zone: string | undefined): string {
  return zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : '+00:00';
}

/** The `value` of a TS element as FHIR dateTime. */
export function dateTimeOf(element: XmlElement | undefined): string | undefined {
  return toFhirDateTime(attr(element, 'value'));
}

/** A statement's effective time as a point (center, else low) or period (low/high); availability as fallback. */
export interface EffectiveTime {
  readonly point?: string;
  readonly start?: string;
  readonly end?: string;
}

/**
 * Reads `effectiveTime` (center | low/high) of a statement, falling back to `availabilityTime` unless
 * `fallback` is false.
 */
export function effectiveTimeOf(statement: XmlElement, fallback = true): EffectiveTime {
  const et = child(statement, 'effectiveTime');
  const center = dateTimeOf(child(et, 'center'));
  const low = dateTimeOf(child(et, 'low'));
  const high = dateTimeOf(child(et, 'high'));
  const single = toFhirDateTime(attr(et, 'value'));
  if (center ?? single) return { point: center ?? single };
  if (low || high) return { ...(low ? { start: low } : {}), ...(high ? { end: high } : {}) };
  // A centre the sender marked unknown (`<center nullFlavor="UNK"/>`, how the NHS sending adaptor writes a
  // time GP Connect did not give) stays unknown: the availability time says when it was recorded, not when it
  // happened. Other gaps (no effectiveTime, EMIS's `NI` centre on a consultation) still fall back to it, as the
  // NHS requesting adaptor reads them (the PWTP corpus holds us to that).
  if (attr(child(et, 'center'), 'nullFlavor') === 'UNK') return {};
  const avail = fallback ? dateTimeOf(child(statement, 'availabilityTime')) : undefined;
  return avail ? { point: avail } : {};
}
