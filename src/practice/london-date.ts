const LONDON_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const LONDON_OFFSET = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/**
 * The London calendar date (YYYY-MM-DD) of an instant.
 *
 * @example
 * londonDate(Date.parse('2026-06-30T23:30:00Z')) // '2026-07-01' (BST)
 */
export function londonDate(ms: number): string {
  return LONDON_DATE.format(new Date(ms));
}

/** The instant a London calendar date begins (midnight, GMT or BST). */
export function londonMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // London is UTC+0 or UTC+1: midnight London is either the UTC midnight or the hour before it.
  const [h] = LONDON_OFFSET.format(new Date(guess)).split(':').map(Number) as [number];
  return guess - h * 3_600_000;
}

/** The calendar date `days` after a date (negative for before). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Day of the week of a calendar date: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}
