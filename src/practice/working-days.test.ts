import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { londonDate, londonMidnight } from './london-date.ts';
import { WorkingDayCalendar } from './working-days.ts';

const EASTER_2026 = ['2026-04-03', '2026-04-06'];

test('a record received on a Monday is due by the end of Thursday, London time', () => {
  const cal = new WorkingDayCalendar([]);
  const received = new Date('2026-01-05T10:00:00Z');
  const c = cal.integrationClock(received, received.getTime());
  assert.equal(c.practiceDueBy.toISOString(), '2026-01-09T00:00:00.000Z');
  assert.equal(c.nationalDueBy.toISOString(), '2026-01-13T10:00:00.000Z');
  assert.equal(c.status, 'on-time');
  assert.equal(c.workingDaysElapsed, 0);
});

test('weekends and bank holidays do not count: Thursday before Easter is due the Friday after', () => {
  const cal = new WorkingDayCalendar(EASTER_2026);
  const received = new Date('2026-04-02T15:00:00+01:00');
  const c = cal.integrationClock(received, received.getTime());
  // Fri 3 (Good Friday) and Mon 6 (Easter Monday) skipped: Tue 7, Wed 8, Thu 9
  assert.equal(c.practiceDueBy.toISOString(), '2026-04-09T23:00:00.000Z');
});

test('the clock reads due today on the last working day, overdue after it and late after 8 days', () => {
  const cal = new WorkingDayCalendar([]);
  const received = new Date('2026-01-05T10:00:00Z');
  const at = (iso: string) => cal.integrationClock(received, Date.parse(iso));
  assert.equal(at('2026-01-07T12:00:00Z').status, 'on-time');
  assert.equal(at('2026-01-08T12:00:00Z').status, 'due-today');
  assert.equal(at('2026-01-08T12:00:00Z').workingDaysElapsed, 3);
  assert.equal(at('2026-01-09T00:00:00Z').status, 'overdue');
  assert.equal(at('2026-01-13T10:00:00Z').status, 'late');
});

test('a receipt late on a summer evening counts from the London date, not the UTC one', () => {
  const cal = new WorkingDayCalendar([]);
  // 23:30 UTC on Monday 29 June is 00:30 BST on Tuesday 30 June
  const c = cal.integrationClock(new Date('2026-06-29T23:30:00Z'), Date.parse('2026-06-29T23:30:00Z'));
  assert.equal(c.practiceDueBy.toISOString(), '2026-07-03T23:00:00.000Z'); // Tue → Fri
});

test('London midnight of any date reads back as that date, and the day before ends just before it', () => {
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
      const date = londonDate(ms);
      const midnight = londonMidnight(date);
      assert.equal(londonDate(midnight), date);
      assert.notEqual(londonDate(midnight - 1), date);
      assert.ok(midnight <= ms);
    }),
  );
});

test('n working days after a date is always a working day with n working days between', () => {
  const cal = new WorkingDayCalendar(EASTER_2026);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 1, max: 15 }), (offset, n) => {
      const start = new Date(Date.UTC(2025, 0, 1 + offset)).toISOString().slice(0, 10);
      const end = cal.workingDayAfter(start, n);
      assert.ok(cal.isWorkingDay(end));
      assert.equal(cal.workingDaysBetween(start, end), n);
    }),
  );
});

test('the overdue threshold splits receipts exactly where the clocks turn overdue', () => {
  const cal = new WorkingDayCalendar(EASTER_2026);
  fc.assert(
    fc.property(
      fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 1) }),
      fc.integer({ min: 0, max: 20 * 86_400_000 }),
      (received, wait) => {
        const now = received + wait;
        const threshold = cal.overdueThreshold(now).getTime();
        const status = cal.integrationClock(new Date(received), now).status;
        assert.equal(received < threshold, status === 'overdue' || status === 'late');
      },
    ),
  );
});
