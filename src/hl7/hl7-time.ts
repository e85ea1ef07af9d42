/**
 * HL7v3 TS values as GP2GP uses them. Suppliers write UK wall-clock time with no offset, so an offset-less
 * value means Europe/London (GMT in winter, BST in summer), and we write London time the same way. Only in
 * the hour that happens twice when the clocks go back is an explicit offset added, so no instant is lost.
 */

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.?(\d{1,4}))?([+-]\d{4})?$/;
const HOUR = 3_600_000;

/** Start of the last Sunday of a month (0-based), as UTC milliseconds. */
function lastSundayUtc(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay());
}

/**
 * London's offset from UTC at an instant, in milliseconds: BST (one hour) from 01:00 UTC on the last Sunday
 * of March to 01:00 UTC on the last Sunday of October, GMT otherwise.
 *
 * @example
 * londonOffsetMs(Date.UTC(2026, 6, 1)) // 3600000
 */
export function londonOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  return utcMs >= lastSundayUtc(year, 2) + HOUR && utcMs < lastSundayUtc(year, 9) + HOUR ? HOUR : 0;
}

/**
 * The instant a London wall-clock time (given as if it were UTC) stands for. In the repeated autumn hour the
 * first (BST) instant is taken; in the skipped spring hour the time is read as GMT.
 *
 * @example
 * londonWallClockToUtc(Date.UTC(2026, 6, 1, 12)) // Date.UTC(2026, 6, 1, 11)
 */
export function londonWallClockToUtc(wallMs: number): number {
  const asBst = wallMs - HOUR;
  return londonOffsetMs(asBst) === HOUR ? asBst : wallMs;
}

/**
 * Formats an instant as an HL7v3 TS in London time to the second (`YYYYMMDDHHMMSS`), as suppliers write it.
 *
 * @example
 * hl7Timestamp(new Date('2026-07-01T11:00:00Z')) // '20260701120000'
 * hl7Timestamp(new Date('2026-01-02T03:04:05Z')) // '20260102030405'
 */
export function hl7Timestamp(d: Date): string {
  const utc = Math.floor(d.getTime() / 1000) * 1000;
  const offset = londonOffsetMs(utc);
  const wall = new Date(utc + offset).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  // The autumn hour that happens twice: say which one, or the reader would take the first.
  if (londonWallClockToUtc(utc + offset) !== utc) return `${wall}${offset ? '+0100' : '+0000'}`;
  return wall;
}

/**
 * Reads an HL7v3 TS value (any precision from year to fraction of a second, optional offset) as a Date; with
 * no offset the value is London time.
 *
 * @example
 * parseHl7Timestamp('20131025165929228')?.toISOString() // '2013-10-25T15:59:29.228Z' (BST)
 * parseHl7Timestamp('20131225120000+0000')?.toISOString() // '2013-12-25T12:00:00.000Z'
 */
export function parseHl7Timestamp(value: string | undefined): Date | undefined {
  const m = value ? TS.exec(value.trim()) : null;
  if (!m) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', frac = '0', tz] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(wall);
  // Date.UTC rolls 31 February into March: a value that does not survive the trip is not a date.
  if (
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return undefined;
  }
  const ms = Math.round(Number(`0.${frac}`) * 1000);
  if (tz) {
    const sign = tz[0] === '-' ? -1 : 1;
    const offset = sign * (Number(tz.slice(1, 3)) * HOUR + Number(tz.slice(3, 5)) * 60_000);
    return new Date(wall - offset + ms);
  }
  return new Date(londonWallClockToUtc(wall) + ms);
}
