const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** London wall-clock parts of an instant. */
function londonParts(ms: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const p = Object.fromEntries(LONDON.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { y: +p.year!, m: +p.month!, d: +p.day!, h: +p.hour!, min: +p.minute!, s: +p.second! };
}

/** The instant of a London wall-clock time (the offset found by asking what that guess reads as). */
function fromLondon(y: number, m: number, d: number, h: number, min: number): number {
  const guess = Date.UTC(y, m - 1, d, h, min);
  const p = londonParts(guess);
  const offset = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - guess;
  return guess - offset;
}

/**
 * The end of the working day (Monday to Friday, London time) on which `ms` falls, or of the next working day
 * when it falls after that day's end or at a weekend: when a request received then should have been answered.
 *
 * @example
 * workingDayEnd(Date.parse('2026-01-09T17:00:00Z'), { hour: 18, minute: 30 }) // Friday 18:30 GMT
 * workingDayEnd(Date.parse('2026-01-10T10:00:00Z'), { hour: 18, minute: 30 }) // Monday 12 Jan, 18:30 GMT
 */
export function workingDayEnd(ms: number, ends: { readonly hour: number; readonly minute: number }): Date {
  const p = londonParts(ms);
  for (let add = 0; add < 8; add++) {
    const day = new Date(Date.UTC(p.y, p.m - 1, p.d + add));
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const end = fromLondon(
      day.getUTCFullYear(),
      day.getUTCMonth() + 1,
      day.getUTCDate(),
      ends.hour,
      ends.minute,
    );
    if (end > ms) return new Date(end);
  }
  throw new Error('unreachable: a working day falls within any 8 days');
}
