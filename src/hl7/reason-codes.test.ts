import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FATAL_SENDER_ERRORS, isReasonCode, REASON_CODES } from './reason-codes.ts';

test('the catalogue holds every GP2GP reason code of the specification', () => {
  const expected = '06 07 09 10 11 12 14 15 17 18 19 20 21 23 24 25 26 28 29 30 31 99'.split(' ');
  assert.deepEqual(Object.keys(REASON_CODES).sort(), expected);
});

test('fatal sender errors for reporting are 06 07 10 14 23 24 30 99', () => {
  assert.deepEqual([...FATAL_SENDER_ERRORS].sort(), ['06', '07', '10', '14', '23', '24', '30', '99']);
});

test('only 15 (A-B-A suppressed) ends a transfer as a success', () => {
  assert.deepEqual(
    Object.entries(REASON_CODES)
      .filter(([, v]) => v.countsAsSuccess)
      .map(([k]) => k),
    ['15'],
  );
});

test('isReasonCode accepts catalogue codes only', () => {
  assert.ok(isReasonCode('19'));
  assert.ok(!isReasonCode('19 '));
  assert.ok(!isReasonCode('00'));
  assert.ok(!isReasonCode(undefined));
});
