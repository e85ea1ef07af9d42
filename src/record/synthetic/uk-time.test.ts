import assert from 'node:assert/strict';
import { test } from 'node:test';
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
