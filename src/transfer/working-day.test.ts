import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workingDayEnd } from './working-day.ts';

const ends = { hour: 18, minute: 30 };

test('a request on a weekday morning is due by 18:30 London time that day, in GMT and in BST', () => {
  assert.equal(
    workingDayEnd(Date.parse('2026-01-07T09:00:00Z'), ends).toISOString(),
    '2026-01-07T18:30:00.000Z',
  );
  assert.equal(
    workingDayEnd(Date.parse('2026-07-08T09:00:00Z'), ends).toISOString(),
    '2026-07-08T17:30:00.000Z',
  );
});

test('a request after the working day ends, or at a weekend, is due at the end of the next working day', () => {
  assert.equal(
    workingDayEnd(Date.parse('2026-01-07T19:00:00Z'), ends).toISOString(),
    '2026-01-08T18:30:00.000Z',
  );
  assert.equal(
    workingDayEnd(Date.parse('2026-01-09T19:00:00Z'), ends).toISOString(),
    '2026-01-12T18:30:00.000Z',
  );
  assert.equal(
    workingDayEnd(Date.parse('2026-01-10T10:00:00Z'), ends).toISOString(),
    '2026-01-12T18:30:00.000Z',
  );
});

test('the day the clocks change keeps the London wall-clock end', () => {
  // Monday 30 March 2026 is the first weekday of BST
  assert.equal(
    workingDayEnd(Date.parse('2026-03-28T12:00:00Z'), ends).toISOString(),
    '2026-03-30T17:30:00.000Z',
  );
});
