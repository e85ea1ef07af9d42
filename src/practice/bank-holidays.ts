import { asc, count, eq } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';
import shipped from './bank-holidays-england-wales.json' with { type: 'json' };
import { WorkingDayCalendar } from './working-days.ts';

const { bankHolidays } = schema;

/** A bank holiday. */
export interface BankHoliday {
  readonly date: string;
  readonly name: string;
}

/** Why a calendar change was refused. */
export type CalendarChange =
  | { readonly kind: 'done' }
  | { readonly kind: 'refused'; readonly message: string };

/**
 * The England and Wales bank holidays as data: shipped for 2025–2027, loaded once into an empty table, then
 * kept by the practice manager (a new year's dates, a one-off holiday). The working-day clocks read the table.
 *
 * @example
 * const cal = await holidays.calendar(); cal.isWorkingDay('2026-12-28') // false
 */
export class BankHolidays {
  private readonly db: Database;
  private cached: { calendar: WorkingDayCalendar; at: number } | undefined;

  constructor(db: Database) {
    this.db = db;
  }

  /** Fills an empty table with the shipped dates (a table with any row is the practice's and left alone). */
  async seed(now: Date): Promise<void> {
    const [row] = await this.db.select({ n: count() }).from(bankHolidays);
    if ((row?.n ?? 0) > 0) return;
    await this.db
      .insert(bankHolidays)
      .values((shipped as BankHoliday[]).map((h) => ({ ...h, updatedAt: now })))
      .onConflictDoNothing();
  }

  /** Every bank holiday, in date order. */
  async list(): Promise<BankHoliday[]> {
    return this.db
      .select({ date: bankHolidays.date, name: bankHolidays.name })
      .from(bankHolidays)
      .orderBy(asc(bankHolidays.date));
  }

  /** The working-day calendar of the current dates (read again at most once a minute, or after a change). */
  async calendar(now = Date.now()): Promise<WorkingDayCalendar> {
    if (this.cached && now - this.cached.at < 60_000 && now >= this.cached.at) return this.cached.calendar;
    const calendar = new WorkingDayCalendar((await this.list()).map((h) => h.date));
    this.cached = { calendar, at: now };
    return calendar;
  }

  /** Adds (or renames) a bank holiday. */
  async add(h: BankHoliday, now: Date): Promise<CalendarChange> {
    if (!isCalendarDate(h.date)) return { kind: 'refused', message: 'Enter a real date' };
    const name = h.name.trim();
    if (!name) return { kind: 'refused', message: 'Enter the name of the bank holiday' };
    await this.db
      .insert(bankHolidays)
      .values({ date: h.date, name, updatedAt: now })
      .onConflictDoUpdate({ target: bankHolidays.date, set: { name, updatedAt: now } });
    this.cached = undefined;
    return { kind: 'done' };
  }

  /** Removes a bank holiday. */
  async remove(date: string): Promise<CalendarChange> {
    const gone = await this.db.delete(bankHolidays).where(eq(bankHolidays.date, date)).returning();
    this.cached = undefined;
    return gone.length
      ? { kind: 'done' }
      : { kind: 'refused', message: `${date} is not a bank holiday here` };
  }
}

/** True for a real YYYY-MM-DD date. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}
