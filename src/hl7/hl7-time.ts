/**
 * HL7v3 TS values as GP2GP uses them: the one reader and writer of HL7 times in the project. Suppliers write UK
 * wall-clock time with no offset, so an offset-less value means Europe/London, taken from the time-zone
 * database (not a rule of thumb: British Standard Time kept GMT+1 all year from 1968 to 1971, and the war
 * years had double summer time, and real records hold dates from then). We write London time the same way;
 * only in an hour that happens twice is an explicit offset added, so no instant is lost. An impossible date
 * (31 February, hour 24) is refused, never rolled over into the next month.
 */

/** How much of a TS value was written: GP2GP dates are often a year, a month or a day only. */
export type Hl7TimePrecision = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

/** An HL7 TS value as read: its parts at the precision written, and the instant it starts at. */
export interface Hl7Time {
  readonly precision: Hl7TimePrecision;
  readonly year: number;
  /** 1-12; 1 where the value has year precision. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Digits of the fraction of a second as written (`'228'`), `''` where none. */
  readonly fraction: string;
  /** The offset the sender wrote, in minutes east of UTC; undefined where none was (London time). */
  readonly offsetMinutes?: number;
  /** The instant the value starts at (to the millisecond). */
  readonly instant: Date;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PRECISIONS: readonly Hl7TimePrecision[] = ['year', 'month', 'day', 'hour', 'minute', 'second'];
const LENGTHS = [4, 6, 8, 10, 12, 14];
const TS_SHAPE = /^(\d{4,14})(?:\.?(\d{1,4}))?([+-]\d{4})?$/;

/**
 * Reads an HL7v3 TS value (year to fraction of a second, optional `+HHMM` offset); undefined where it is not a
 * timestamp or names a date or time that does not exist.
 *
 * @example
 * readHl7Time('20130231') // undefined: there is no 31 February
 * readHl7Time('197006151200')?.instant.toISOString() // '1970-06-15T11:00:00.000Z' (BST)
 */
export function readHl7Time(value: string | undefined): Hl7Time | undefined {
  const m = value === undefined ? null : TS_SHAPE.exec(value.trim());
  if (!m) return undefined;
  const digits = m[1]!;
  const level = LENGTHS.indexOf(digits.length);
  if (level < 0) return undefined;
  // A fraction only follows whole seconds; without its dot it is the digits after them (EMIS writes it so).
  const fraction = m[2] ?? '';
  if (fraction && level !== 5) return undefined;
  const part = (from: number, fallback: number) =>
    digits.length > from ? Number(digits.slice(from, from + 2)) : fallback;
  const year = Number(digits.slice(0, 4));
  const month = part(4, 1);
  const day = part(6, 1);
  const hour = part(8, 0);
  const minute = part(10, 0);
  const second = part(12, 0);
  if (!existingDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = utcOf(year, month, day, hour, minute, second);
  const ms = fraction ? Math.round(Number(`0.${fraction}`) * 1000) : 0;
  const zone = m[3];
  const base = {
    precision: PRECISIONS[level]!,
    year,
    month,
    day,
    hour,
    minute,
    second,
    fraction,
  };
  if (zone) {
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(3, 5));
    if (hours > 14 || minutes > 59) return undefined;
    const offsetMinutes = (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
    return { ...base, offsetMinutes, instant: new Date(wall - offsetMinutes * MINUTE + ms) };
  }
  return { ...base, instant: new Date(londonWallClockToUtc(wall) + ms) };
}

/**
 * Reads an HL7v3 TS value as a Date (with no offset, London time); undefined where it is not one.
 *
 * @example
 * parseHl7Timestamp('20131025165929228')?.toISOString() // '2013-10-25T15:59:29.228Z' (BST)
 * parseHl7Timestamp('20131225120000+0000')?.toISOString() // '2013-12-25T12:00:00.000Z'
 */
export function parseHl7Timestamp(value: string | undefined): Date | undefined {
  return readHl7Time(value)?.instant;
}

/** Options for {@link hl7Timestamp}. */
export interface Hl7TimestampOptions {
  /** Write a non-zero fraction of a second (`.SSS`, trailing zeros dropped) after the seconds. */
  readonly fraction?: boolean;
}

/**
 * Formats an instant as an HL7v3 TS in London time (`YYYYMMDDHHMMSS`), as suppliers write it; where that
 * wall-clock time happens twice (the autumn hour), the offset is written too.
 *
 * @example
 * hl7Timestamp(new Date('2026-07-01T11:00:00Z')) // '20260701120000'
 * hl7Timestamp(new Date('2026-01-02T03:04:05.250Z'), { fraction: true }) // '20260102030405.25'
 */
export function hl7Timestamp(d: Date, options: Hl7TimestampOptions = {}): string {
  const utc = Math.floor(d.getTime() / 1000) * 1000;
  const offset = londonOffsetMs(utc);
  const wall = new Date(utc + offset).toISOString();
  const stamp = `${wall.slice(0, 4)}${wall.slice(5, 7)}${wall.slice(8, 10)}${wall.slice(11, 13)}${wall.slice(14, 16)}${wall.slice(17, 19)}`;
  const millis = String(d.getTime() - utc)
    .padStart(3, '0')
    .replace(/0+$/, '');
  const fraction = options.fraction && millis ? `.${millis}` : '';
  // An hour that happens twice: say which one, or the reader would take the first.
  return londonWallClockToUtc(utc + offset) === utc
    ? `${stamp}${fraction}`
    : `${stamp}${fraction}${offsetText(offset)}`;
}

/** `+HHMM` for an offset in milliseconds. */
function offsetText(offsetMs: number): string {
  const minutes = Math.abs(offsetMs) / MINUTE;
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0');
  const mm = String(minutes % 60).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${hh}${mm}`;
}

/**
 * London's offset from UTC at an instant, in milliseconds, from the time-zone database.
 *
 * @example
 * londonOffsetMs(Date.UTC(2026, 6, 1)) // 3600000 (BST)
 * londonOffsetMs(Date.UTC(1970, 0, 15)) // 3600000 (British Standard Time, all year 1968-71)
 */
export function londonOffsetMs(utcMs: number): number {
  const year = new Date(utcMs).getUTCFullYear();
  const transitions = transitionsOf(year);
  let offset = transitions.startOffset;
  for (const t of transitions.changes) {
    if (utcMs < t.at) break;
    offset = t.offset;
  }
  return offset;
}

/**
 * The instant a London wall-clock time (given as if it were UTC) stands for. Where the time happens twice the
 * first instant is taken; where it never happens (the hour skipped in spring) it is read with the offset in
 * force before the clocks went forward.
 *
 * @example
 * londonWallClockToUtc(Date.UTC(2026, 6, 1, 12)) // Date.UTC(2026, 6, 1, 11)
 */
export function londonWallClockToUtc(wallMs: number): number {
  const candidates = new Set([
    londonOffsetMs(wallMs - DAY),
    londonOffsetMs(wallMs),
    londonOffsetMs(wallMs + DAY),
  ]);
  const valid = [...candidates].filter((o) => londonOffsetMs(wallMs - o) === o);
  // The largest valid offset is the earliest instant.
  if (valid.length > 0) return wallMs - Math.max(...valid);
  return wallMs - Math.min(...candidates);
}

/** Whether the day exists in the (proleptic Gregorian) calendar. */
function existingDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(utcOf(year, month + 1, 0, 0, 0, 0)).getUTCDate();
}

/** `Date.UTC` for any year (`Date.UTC` itself maps years 0-99 onto 1900-1999). */
function utcOf(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

/** One year's offset changes: the offset at its start, then each change in order. */
interface YearTransitions {
  readonly startOffset: number;
  readonly changes: readonly { readonly at: number; readonly offset: number }[];
}

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});
const byYear = new Map<number, YearTransitions>();

/**
 * The year's transitions, found once per year (asking the time-zone database for every instant is slow): its
 * offset is sampled weekly, London's clocks never changed twice within a week, and each change is narrowed to
 * the minute.
 */
function transitionsOf(year: number): YearTransitions {
  const known = byYear.get(year);
  if (known) return known;
  const start = utcOf(year, 1, 1, 0, 0, 0);
  const end = utcOf(year + 1, 1, 1, 0, 0, 0);
  const startOffset = zoneOffsetAt(start);
  const changes: { at: number; offset: number }[] = [];
  let previous = startOffset;
  let from = start;
  for (let t = start + 7 * DAY; from < end; t += 7 * DAY) {
    const to = Math.min(t, end);
    const offset = zoneOffsetAt(to);
    if (offset !== previous) {
      // Narrow to the first minute with the new offset.
      let low = from;
      let high = to;
      while (high - low > MINUTE) {
        const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
        if (zoneOffsetAt(mid) === previous) low = mid;
        else high = mid;
      }
      if (high < end) changes.push({ at: high, offset });
      previous = offset;
    }
    from = to;
  }
  const found = { startOffset, changes };
  byYear.set(year, found);
  return found;
}

/** The database's offset at an instant (wall clock minus UTC, to the second). */
function zoneOffsetAt(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of LONDON.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal' && p.type !== 'era') parts[p.type] = Number(p.value);
  }
  const wall = utcOf(parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(utcMs / 1000) * 1000;
}
