import { type Hl7Time, readHl7Time } from '../../hl7/hl7-time.ts';
import { attr, child, type XmlElement } from '../../xml/index.ts';

/**
 * HL7v3 timestamps → FHIR dateTime/instant, read by the project's one TS reader (`src/hl7/hl7-time.ts`). GP2GP
 * senders write UK wall-clock time without an offset, so such a time is read as Europe/London and written as
 * UTC (`+00:00`): the same extract always yields the same instant, whatever the translating machine's zone. A
 * time the sender gave an offset keeps it. Dates without a time keep their precision and are not shifted.
 */

/** FHIR dateTime keeping the HL7 precision (year, month, day, or time with offset); undefined if malformed. */
export function toFhirDateTime(ts: string | undefined): string | undefined {
  const t = readHl7Time(ts);
  if (!t) return undefined;
  const date = datePart(t);
  if (t.precision === 'year') return date.slice(0, 4);
  if (t.precision === 'month') return date.slice(0, 7);
  if (t.precision === 'day') return date;
  // A fraction of a second is kept (to the millisecond) where the sender wrote one.
  const fraction = t.fraction ? `.${t.fraction.slice(0, 3)}` : '';
  return `${timePart(t)}${fraction}${offsetOf(t)}`;
}

/** FHIR instant (always a full time with milliseconds); a date-only value becomes midnight. */
export function toFhirInstant(ts: string | undefined): string | undefined {
  const t = readHl7Time(ts);
  if (!t) return undefined;
  const ms = t.fraction.padEnd(3, '0').slice(0, 3);
  if (t.precision === 'year' || t.precision === 'month' || t.precision === 'day')
    return `${datePart(t)}T00:00:00.${ms}+00:00`;
  return `${timePart(t)}.${ms}${offsetOf(t)}`;
}

/** `YYYY-MM-DD` as written. */
function datePart(t: Hl7Time): string {
  return `${String(t.year).padStart(4, '0')}-${two(t.month)}-${two(t.day)}`;
}

/** `YYYY-MM-DDTHH:MM:SS`: as written where the sender gave an offset, else in UTC. */
function timePart(t: Hl7Time): string {
  if (t.offsetMinutes !== undefined) return `${datePart(t)}T${two(t.hour)}:${two(t.minute)}:${two(t.second)}`;
  return new Date(Math.floor(t.instant.getTime() / 1000) * 1000).toISOString().slice(0, 19);
}

/** The offset as FHIR writes it: the sender's, else `+00:00` (the time is then in UTC). */
function offsetOf(t: Hl7Time): string {
  const minutes = t.offsetMinutes ?? 0;
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
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
