import { addDays, londonDate, londonMidnight, weekday } from './london-date.ts';

/** The GP2GP practice standard: integrate within 3 working days of receipt. */
export const PRACTICE_STANDARD_WORKING_DAYS = 3;

/** The national measure: integrated within 8 days (691,200 s) of the extract, or "integrated late". */
export const NATIONAL_STANDARD_MS = 8 * 86_400_000;

/** Where an incoming record stands against both standards. */
export interface IntegrationClock {
  /** Working days passed since the day of receipt (that day itself not counted). */
  readonly workingDaysElapsed: number;
  /** End of the third working day after the day of receipt (London time). */
  readonly practiceDueBy: Date;
  /** Eight days after receipt. */
  readonly nationalDueBy: Date;
  /** `due-today` on the last working day; `overdue` past it; `late` past the national 8 days too. */
  readonly status: 'on-time' | 'due-today' | 'overdue' | 'late';
}

/**
 * A working-day calendar: Monday to Friday in London, less the bank holidays it is given.
 *
 * @example
 * const cal = new WorkingDayCalendar(['2026-04-03', '2026-04-06']);
 * cal.isWorkingDay('2026-04-03') // false (Good Friday)
 */
export class WorkingDayCalendar {
  private readonly holidays: ReadonlySet<string>;

  constructor(holidays: Iterable<string>) {
    this.holidays = new Set(holidays);
  }

  /** True for a weekday that is not a bank holiday. */
  isWorkingDay(date: string): boolean {
    const day = weekday(date);
    return day !== 0 && day !== 6 && !this.holidays.has(date);
  }

  /** The `n`th working day after a date (n ≥ 1). */
  workingDayAfter(date: string, n: number): string {
    let d = date;
    for (let left = n; left > 0; ) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** Working days after `from` up to and including `to` (0 when `to` is not after `from`). */
  workingDaysBetween(from: string, to: string): number {
    let n = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }

  /**
   * The instant before which a receipt is past the 3 working days at `now`: every record received earlier is
   * overdue (the deadline only moves later with the receipt, so one threshold splits the list).
   */
  overdueThreshold(now: number): Date {
    const today = londonDate(now);
    let received = today;
    while (this.workingDayAfter(received, PRACTICE_STANDARD_WORKING_DAYS) >= today)
      received = addDays(received, -1);
    return new Date(londonMidnight(addDays(received, 1)));
  }

  /** The clocks of a record received at `receivedAt`, read at `now`. */
  integrationClock(receivedAt: Date, now: number): IntegrationClock {
    const received = londonDate(receivedAt.getTime());
    const lastDay = this.workingDayAfter(received, PRACTICE_STANDARD_WORKING_DAYS);
    const practiceDueBy = new Date(londonMidnight(addDays(lastDay, 1)));
    const nationalDueBy = new Date(receivedAt.getTime() + NATIONAL_STANDARD_MS);
    const today = londonDate(now);
    const status =
      now >= nationalDueBy.getTime()
        ? 'late'
        : now >= practiceDueBy.getTime()
          ? 'overdue'
          : today === lastDay
            ? 'due-today'
            : 'on-time';
    return {
      workingDaysElapsed: this.workingDaysBetween(received, today),
      practiceDueBy,
      nationalDueBy,
      status,
    };
  }
}
