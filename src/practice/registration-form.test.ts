import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isValidNhsNumber, syntheticNhsNumber } from '../common/nhs-number.ts';
import { parseTraceForm } from './registration-form.ts';

const NOW = Date.parse('2026-01-05T09:00:00Z');
const valid = {
  family: 'O’Brien-Smith',
  given: 'Ada',
  'dob[day]': '29',
  'dob[month]': '2',
  'dob[year]': '2024',
  gender: 'female',
  postcode: ' ls1   4ap ',
};

test('a complete form parses, the postcode normalised and the date made ISO', () => {
  const r = parseTraceForm({ ...valid, nhsNumber: '999 000 0018' }, NOW);
  assert.deepEqual(r, {
    ok: true,
    value: {
      nhsNumber: '9990000018',
      family: 'O’Brien-Smith',
      given: 'Ada',
      birthDate: '2024-02-29',
      gender: 'female',
      postalCode: 'LS1 4AP',
    },
  });
});

test('every NHS number is accepted exactly when it passes modulus 11, however it is spaced', () => {
  fc.assert(
    fc.property(fc.stringMatching(/^\d{10}$/), fc.constantFrom('', ' ', '-'), (digits, sep) => {
      const typed = `${digits.slice(0, 3)}${sep}${digits.slice(3, 6)}${sep}${digits.slice(6)}`;
      const r = parseTraceForm({ ...valid, nhsNumber: typed }, NOW);
      assert.equal(r.ok, isValidNhsNumber(digits));
    }),
  );
  for (let n = 0; n < 50; n++)
    assert.ok(parseTraceForm({ ...valid, nhsNumber: syntheticNhsNumber(n) }, NOW).ok);
});

test('impossible, future and partial dates are refused with the message for each', () => {
  const date = (d: string, m: string, y: string) =>
    parseTraceForm({ ...valid, 'dob[day]': d, 'dob[month]': m, 'dob[year]': y }, NOW);
  const message = (r: ReturnType<typeof date>) => (r.ok ? '' : r.errors.map((e) => e.message).join('|'));
  assert.match(message(date('29', '2', '2023')), /must be a real date/);
  assert.match(message(date('6', '1', '2026')), /today or in the past/);
  assert.match(message(date('1', '', '1980')), /must include a month/);
  assert.match(message(date('1', '1', '1899')), /after 1900/);
  assert.match(message(date('', '', '')), /Enter the patient’s date of birth/);
});

test('names, sex and postcode are each required and checked', () => {
  const r = parseTraceForm(
    { family: 'Sm1th', given: '', postcode: 'W1A', 'dob[day]': '1', 'dob[month]': '1', 'dob[year]': '1980' },
    NOW,
  );
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(
    r.errors.map((e) => e.field),
    ['family', 'given', 'gender', 'postcode'],
  );
});
