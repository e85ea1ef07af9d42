/**
 * Times as an English GP system writes them: UK wall-clock time with its offset (+00:00 in winter, +01:00 in
 * British Summer Time), dates as YYYY-MM-DD. Computed from the BST rule (last Sunday of March to last Sunday
 * of October, changing at 01:00 UTC), so no time-zone database is consulted and output never varies by host.
 */

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

const HOUR_MS = 3_600_000;

/** The UTC instant (ms) of 01:00 UTC on the last Sunday of `month` (0-based) in `year`. */
function lastSundayOneAm(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

/** True where the instant falls in British Summer Time. */
export function isBritishSummerTime(ms: number): boolean {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayOneAm(year, 2) && ms < lastSundayOneAm(year, 9);
}

/**
 * A FHIR instant in UK wall-clock time with its offset, to the second.
 *
 * @example
 * ukInstant(Date.UTC(2021, 6, 1, 9, 30)) // '2021-07-01T10:30:00+01:00'
 */
export function ukInstant(ms: number): string {
  const summer = isBritishSummerTime(ms);
  const wall = new Date(Math.floor(ms / 1000) * 1000 + (summer ? HOUR_MS : 0));
  return `${wall.toISOString().slice(0, 19)}${summer ? '+01:00' : '+00:00'}`;
}

/**
 * The UK calendar day of an instant, as a FHIR date.
 *
 * @example
 * ukDate(Date.UTC(2021, 6, 1, 23, 30)) // '2021-07-02' (00:30 BST)
 */
export function ukDate(ms: number): string {
  return new Date(ms + (isBritishSummerTime(ms) ? HOUR_MS : 0)).toISOString().slice(0, 10);
}

/** The instant of a UK wall-clock time on the day that starts at `dayMs` (UTC midnight of that date). */
export function ukWallClock(dayMs: number, hour: number, minute: number): number {
  const naive = dayMs + hour * HOUR_MS + minute * 60_000;
  return naive - (isBritishSummerTime(naive - HOUR_MS) ? HOUR_MS : 0);
}

/** UTC midnight of the day of an instant: whole days, for date arithmetic. */
export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** True on Saturdays and Sundays. */
export function isWeekend(dayMs: number): boolean {
  const weekday = new Date(dayMs).getUTCDay();
  return weekday === 0 || weekday === 6;
}
