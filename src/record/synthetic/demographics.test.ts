import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import type { PdsPatientRecord } from '../../spine/pds/pds-types.ts';
import { generatePatients, testRangeNhsNumber } from './demographics.ts';

test('every NHS number is in the 999 test range, passes modulus 11, and is unique within a population', () => {
  fc.assert(
    fc.property(fc.integer(), fc.integer({ min: 1, max: 300 }), (seed, count) => {
      const numbers = generatePatients(seed, count, 'A12345').map((p) => p.nhsNumber);
      for (const n of numbers) {
        assert.ok(n.startsWith('999') && isValidNhsNumber(n), n);
      }
      assert.equal(new Set(numbers).size, count);
    }),
    { numRuns: 30 },
  );
});

test('test-range numbers skip the bodies modulus 11 gives no check digit, and wrap at the end of the range', () => {
  assert.deepEqual(testRangeNhsNumber(1), { nhsNumber: '9990000018', body: 1 });
  for (let body = 0; body < 2_000; body++) {
    const { nhsNumber, body: used } = testRangeNhsNumber(body);
    assert.ok(isValidNhsNumber(nhsNumber) && used >= body && used - body < 11);
  }
  assert.ok(isValidNhsNumber(testRangeNhsNumber(999_999).nhsNumber));
});

test('the same seed gives the same patients; a population grows without changing those before', () => {
  assert.deepEqual(generatePatients(5, 20, 'A12345'), generatePatients(5, 20, 'A12345'));
  assert.deepEqual(generatePatients(5, 40, 'A12345').slice(0, 20), generatePatients(5, 20, 'A12345'));
  assert.notDeepEqual(generatePatients(6, 20, 'A12345'), generatePatients(5, 20, 'A12345'));
});

test('patients load into the Spine simulator PDS as they are: registered at the practice, born before it', () => {
  const patients: PdsPatientRecord[] = generatePatients(9, 500, 'B67890', { asOf: '2026-01-01T00:00:00Z' });
  for (const p of patients) {
    assert.equal(p.registrations.length, 1);
    const [registration] = p.registrations;
    assert.equal(registration?.ods, 'B67890');
    assert.equal(registration?.end, undefined);
    assert.ok(registration && registration.start >= p.birthDate && registration.start <= '2026-01-01');
    assert.match(p.birthDate, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(p.birthDate > '1925-01-01' && p.birthDate < '2026-01-01');
    assert.match(p.address?.postalCode ?? '', /^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/);
    assert.ok(p.given.length > 0 && p.family.length > 0);
  }
  const genders = new Set(patients.map((p) => p.gender));
  assert.ok(genders.has('female') && genders.has('male'));
});

test('phone numbers are in Ofcom drama ranges and e-mail addresses at example.com', () => {
  const contacts = generatePatients(3, 500, 'A12345').flatMap((p) => p.telecom ?? []);
  assert.ok(contacts.length > 500);
  for (const c of contacts) {
    if (c.system === 'phone') assert.match(c.value, /^(01632 960\d{3}|07700 900\d{3})$/);
    else assert.match(c.value, /^[a-z]+\.[a-z]+\d+@example\.com$/);
  }
});

test('a population larger than the test range holds is refused', () => {
  assert.throws(() => generatePatients(1, 900_001, 'A12345'), RangeError);
  assert.throws(() => generatePatients(1, -1, 'A12345'), RangeError);
});
