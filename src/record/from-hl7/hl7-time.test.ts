import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toFhirDateTime, toFhirInstant } from './hl7-time.ts';

test('an offset-less time is London time written in UTC, by the time-zone database (BST all year 1968-71)', () => {
  assert.equal(toFhirDateTime('20130701120000'), '2013-07-01T11:00:00+00:00');
  assert.equal(toFhirDateTime('20131225120000'), '2013-12-25T12:00:00+00:00');
  assert.equal(toFhirDateTime('197001151200'), '1970-01-15T11:00:00+00:00');
  assert.equal(toFhirInstant('197001151200'), '1970-01-15T11:00:00.000+00:00');
});

test('dates keep their precision and are not shifted', () => {
  assert.equal(toFhirDateTime('1978'), '1978');
  assert.equal(toFhirDateTime('197812'), '1978-12');
  assert.equal(toFhirDateTime('19780701'), '1978-07-01');
  assert.equal(toFhirInstant('19780701'), '1978-07-01T00:00:00.000+00:00');
});

test('a time the sender gave an offset keeps it, and its milliseconds', () => {
  assert.equal(toFhirDateTime('20130701120000+0100'), '2013-07-01T12:00:00+01:00');
  assert.equal(toFhirDateTime('20130701120000.25'), '2013-07-01T11:00:00.25+00:00');
  assert.equal(toFhirInstant('20130701120000.25+0000'), '2013-07-01T12:00:00.250+00:00');
});

test('an impossible date is no date at all, never the next month', () => {
  assert.equal(toFhirDateTime('20130231'), undefined);
  assert.equal(toFhirInstant('20130231101500'), undefined);
  assert.equal(toFhirDateTime('2013023'), undefined);
  assert.equal(toFhirDateTime(undefined), undefined);
});
