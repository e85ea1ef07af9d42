import { hl7Timestamp, readHl7Time } from '../../hl7/hl7-time.ts';

/** FHIR date/dateTime/instant → HL7v3 TS values. */

const FHIR_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const FHIR_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * The HL7 TS for a FHIR date, dateTime or instant, keeping its precision; undefined where it is not one.
 *
 * @example
 * hl7Time('2010-01-23T13:27:00+00:00') // '20100123132700'
 * hl7Time('1978-12') // '197812'
 */
export function hl7Time(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const date = FHIR_DATE.exec(value);
  if (date)
    return validDate(date[1], date[2], date[3]) ? `${date[1]}${date[2] ?? ''}${date[3] ?? ''}` : undefined;
  const dt = FHIR_DATE_TIME.exec(value);
  if (!dt || !validDate(dt[1], dt[2], dt[3])) return undefined;
  const [, y, mo, d, h, mi, s = '00', frac, zone] = dt;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  if (!zone) return `${y}${mo}${d}${h}${mi}${s}${fractionOf(frac)}`;
  const instant = new Date(
    `${y}-${mo}-${d}T${h}:${mi}:${s}${frac ? `.${frac.padEnd(3, '0').slice(0, 3)}` : ''}${zone}`,
  );
  if (Number.isNaN(instant.getTime())) return undefined;
  // Suppliers write London wall-clock time, and so do we (src/hl7/hl7-time.ts reads it back exactly), keeping
  // the milliseconds GP Connect senders record (TS has room for them).
  return hl7Timestamp(instant, { fraction: true });
}

/**
 * The fraction of a second as TS writes it (`.SSS`, trailing zeros dropped; none when zero): GP Connect
 * senders record milliseconds, and the TS schema type has room for them, so they are not thrown away.
 */
function fractionOf(digits: string | undefined): string {
  const kept = (digits ?? '').slice(0, 3).replace(/0+$/, '');
  return kept ? `.${kept}` : '';
}

function validDate(y: string | undefined, m: string | undefined, d: string | undefined): boolean {
  if (y === undefined) return false;
  if (m === undefined) return true;
  const month = Number(m);
  if (month < 1 || month > 12) return false;
  if (d === undefined) return true;
  const day = Number(d);
  return day >= 1 && day <= new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
}

/** The earlier of two TS values (by the instants they start at), ignoring undefined. */
export function earlierTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Number.isNaN(startOf(b)) || startOf(a) <= startOf(b) ? a : b;
}

/** The later of two TS values, ignoring undefined. */
export function laterTime(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Number.isNaN(startOf(b)) || startOf(a) >= startOf(b) ? a : b;
}

/** When a TS value starts, in epoch milliseconds (NaN where it is none: the other is chosen). */
function startOf(ts: string): number {
  return readHl7Time(ts)?.instant.getTime() ?? Number.NaN;
}
