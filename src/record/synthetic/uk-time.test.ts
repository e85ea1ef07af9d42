import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isBritishSummerTime, ukDate, ukInstant, ukWallClock } from './uk-time.ts';

test('British Summer Time starts and ends at 01:00 UTC on the last Sundays of March and October', () => {
  assert.equal(isBritishSummerTime(Date.UTC(2021, 2, 28, 0, 59)), false);
  assert.equal(isBritishSummerTime(Date.UTC(2021, 2, 28, 1, 0)), true);
  assert.equal(isBritishSummerTime(Date.UTC(2021, 9, 31, 0, 59)), true);
  assert.equal(isBritishSummerTime(Date.UTC(2021, 9, 31, 1, 0)), false);
  assert.equal(isBritishSummerTime(Date.UTC(2024, 2, 31, 1, 0)), true);
});

test('instants are written in UK wall-clock time with the offset in force', () => {
  assert.equal(ukInstant(Date.UTC(2021, 6, 1, 9, 30, 15, 600)), '2021-07-01T10:30:15+01:00');
  assert.equal(ukInstant(Date.UTC(2021, 0, 5, 9, 30)), '2021-01-05T09:30:00+00:00');
  assert.equal(ukDate(Date.UTC(2021, 6, 1, 23, 30)), '2021-07-02');
  assert.equal(ukDate(Date.UTC(2021, 0, 1, 23, 30)), '2021-01-01');
});

test('a UK wall-clock time on a day is the instant that reads so in the UK', () => {
  assert.equal(ukInstant(ukWallClock(Date.UTC(2021, 6, 1), 9, 10)), '2021-07-01T09:10:00+01:00');
  assert.equal(ukInstant(ukWallClock(Date.UTC(2021, 11, 1), 9, 10)), '2021-12-01T09:10:00+00:00');
});

const LONDON = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'shortOffset',
});

test('the BST rule agrees with the time-zone database from 1997 to 2060, to the second', () => {
  fc.assert(
    fc.property(fc.integer({ min: Date.UTC(1997, 0, 1), max: Date.UTC(2060, 0, 1) }), (ms) => {
      const part = Object.fromEntries(LONDON.formatToParts(ms).map((p) => [p.type, p.value]));
      const offset = part.timeZoneName === 'GMT+1' ? '+01:00' : '+00:00';
      const expected = `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}${offset}`;
      assert.equal(ukInstant(ms), expected);
      assert.equal(ukDate(ms), `${part.year}-${part.month}-${part.day}`);
    }),
    { numRuns: 2_000 },
  );
});
