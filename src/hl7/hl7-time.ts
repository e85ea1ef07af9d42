/**
 * Formats an instant as an HL7v3 TS value in UTC (`YYYYMMDDHHMMSS`), the precision GP2GP messages use.
 *
 * @example
 * hl7Timestamp(new Date('2026-01-02T03:04:05Z')) // '20260102030405'
 */
export function hl7Timestamp(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/**
 * Reads an HL7v3 TS value (any precision from year to fraction of a second, optional offset) as a Date.
 *
 * @example
 * parseHl7Timestamp('20131025165929228')?.toISOString() // '2013-10-25T16:59:29.228Z'
 */
export function parseHl7Timestamp(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.?(\d{1,4}))?([+-]\d{4})?$/.exec(
    value.trim(),
  );
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', tz] = m;
  const ms = Number(`0.${frac}`) * 1000;
  const offset = tz ? `${tz.slice(0, 3)}:${tz.slice(3)}` : 'Z';
  const date = new Date(
    `${y}-${mo}-${d}T${h}:${mi}:${s}.${String(Math.round(ms)).padStart(3, '0')}${offset}`,
  );
  return Number.isNaN(date.getTime()) ? undefined : date;
}
