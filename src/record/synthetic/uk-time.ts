/**
 * Times as an English GP system writes them: UK wall-clock time with its offset (+00:00 in winter, +01:00 in
 * British Summer Time), dates as YYYY-MM-DD. Computed from the BST rule (last Sunday of March to last Sunday
 * of October, changing at 01:00 UTC; in force since 1996, and applied to earlier dates too), so no time-zone
 * database is consulted and output never varies by host.
 */

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

const HOUR_MS = 3_600_000;

/** The UTC instant (ms) of 01:00 UTC on the last Sunday of `month` (0-based) in `year`. */
function lastSundayOneAm(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay(), 1);
}

// Each year's BST start and end, worked out once: records format tens of thousands of times.
const BST_BOUNDS = new Map<number, readonly [number, number]>();

/** True where the instant falls in British Summer Time. */
export function isBritishSummerTime(ms: number): boolean {
  const year = civilDate(Math.floor(ms / DAY_MS))[0];
  let bounds = BST_BOUNDS.get(year);
  if (!bounds) {
    bounds = [lastSundayOneAm(year, 2), lastSundayOneAm(year, 9)];
    BST_BOUNDS.set(year, bounds);
  }
  return ms >= bounds[0] && ms < bounds[1];
}

/**
 * Year, month (1–12) and day of a count of days since 1970-01-01 (proleptic Gregorian; H. Hinnant's
 * days-to-civil algorithm), without making a Date.
 */
function civilDate(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const TWO_DIGITS: readonly string[] = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));

function dateText(days: number): string {
  const [year, month, day] = civilDate(days);
  return `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
}

/**
 * A FHIR instant in UK wall-clock time with its offset, to the second.
 *
 * @example
 * ukInstant(Date.UTC(2021, 6, 1, 9, 30)) // '2021-07-01T10:30:00+01:00'
 */
export function ukInstant(ms: number): string {
  const summer = isBritishSummerTime(ms);
  const wall = Math.floor(ms / 1000) + (summer ? 3600 : 0);
  const days = Math.floor(wall / 86_400);
  const second = wall - days * 86_400;
  const time = `${TWO_DIGITS[Math.floor(second / 3600)]}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}`;
  return `${dateText(days)}T${time}${summer ? '+01:00' : '+00:00'}`;
}

/**
 * The UK calendar day of an instant, as a FHIR date.
 *
 * @example
 * ukDate(Date.UTC(2021, 6, 1, 23, 30)) // '2021-07-02' (00:30 BST)
 */
export function ukDate(ms: number): string {
  return dateText(Math.floor((ms + (isBritishSummerTime(ms) ? HOUR_MS : 0)) / DAY_MS));
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
