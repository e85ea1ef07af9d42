import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hl7Timestamp, londonOffsetMs, parseHl7Timestamp, readHl7Time } from './hl7-time.ts';

test('reads offset-less values as London time: GMT in winter, BST in summer', () => {
  assert.equal(parseHl7Timestamp('20131225120000')?.toISOString(), '2013-12-25T12:00:00.000Z');
  assert.equal(parseHl7Timestamp('20131025165929228')?.toISOString(), '2013-10-25T15:59:29.228Z');
  assert.equal(parseHl7Timestamp('201009201130')?.toISOString(), '2010-09-20T10:30:00.000Z');
});

test('reads dates of lower precision as London midnight', () => {
  assert.equal(parseHl7Timestamp('2013')?.toISOString(), '2013-01-01T00:00:00.000Z');
  assert.equal(parseHl7Timestamp('20130701')?.toISOString(), '2013-06-30T23:00:00.000Z');
});

test('an explicit offset wins over London time', () => {
  assert.equal(parseHl7Timestamp('20130701120000+0000')?.toISOString(), '2013-07-01T12:00:00.000Z');
  assert.equal(parseHl7Timestamp('20131025165929+0100')?.toISOString(), '2013-10-25T15:59:29.000Z');
});

test('refuses values that are not timestamps', () => {
  assert.equal(parseHl7Timestamp('{{creationTime}}'), undefined);
  assert.equal(parseHl7Timestamp('20131345'), undefined);
  assert.equal(parseHl7Timestamp('20130231'), undefined);
  assert.equal(parseHl7Timestamp('20130101250000'), undefined);
  assert.equal(parseHl7Timestamp(undefined), undefined);
});

test('writes London time to the second', () => {
  assert.equal(hl7Timestamp(new Date('2026-01-02T03:04:05.678Z')), '20260102030405');
  assert.equal(hl7Timestamp(new Date('2026-07-01T11:00:00Z')), '20260701120000');
});

test('the clocks change at 01:00 UTC on the last Sundays of March and October', () => {
  assert.equal(londonOffsetMs(Date.parse('2026-03-29T00:59:59Z')), 0);
  assert.equal(londonOffsetMs(Date.parse('2026-03-29T01:00:00Z')), 3_600_000);
  assert.equal(londonOffsetMs(Date.parse('2026-10-25T00:59:59Z')), 3_600_000);
  assert.equal(londonOffsetMs(Date.parse('2026-10-25T01:00:00Z')), 0);
});

test('both instants of the repeated autumn hour survive a write and read', () => {
  const first = new Date('2026-10-25T00:30:00Z'); // 01:30 BST
  const second = new Date('2026-10-25T01:30:00Z'); // 01:30 GMT
  assert.equal(hl7Timestamp(first), '20261025013000');
  assert.equal(hl7Timestamp(second), '20261025013000+0000');
  assert.equal(parseHl7Timestamp(hl7Timestamp(first))?.getTime(), first.getTime());
  assert.equal(parseHl7Timestamp(hl7Timestamp(second))?.getTime(), second.getTime());
});

test('any instant written then read comes back to the second (property)', () => {
  fc.assert(
    fc.property(
      fc.date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2199-12-31') }),
      (d) => {
        const whole = Math.floor(d.getTime() / 1000) * 1000;
        assert.equal(parseHl7Timestamp(hl7Timestamp(d))?.getTime(), whole);
      },
    ),
    { numRuns: 2000 },
  );
});

test('British Standard Time: GMT+1 all year from 27 October 1968 to 31 October 1971', () => {
  assert.equal(parseHl7Timestamp('197001151200')?.toISOString(), '1970-01-15T11:00:00.000Z');
  assert.equal(parseHl7Timestamp('196912251200')?.toISOString(), '1969-12-25T11:00:00.000Z');
  assert.equal(parseHl7Timestamp('196801151200')?.toISOString(), '1968-01-15T12:00:00.000Z');
  assert.equal(parseHl7Timestamp('197112151200')?.toISOString(), '1971-12-15T12:00:00.000Z');
  assert.equal(hl7Timestamp(new Date('1970-01-15T11:00:00Z')), '19700115120000');
});

test('double summer time in the war years: GMT+2 in summer 1941, GMT+1 that winter', () => {
  assert.equal(parseHl7Timestamp('194106151200')?.toISOString(), '1941-06-15T10:00:00.000Z');
  assert.equal(parseHl7Timestamp('194112151200')?.toISOString(), '1941-12-15T11:00:00.000Z');
  assert.equal(londonOffsetMs(Date.parse('1941-06-15T10:00:00Z')), 7_200_000);
});

test('refuses dates that do not exist rather than rolling them into the next month', () => {
  for (const value of [
    '20130231',
    '20130229',
    '20130431',
    '201300',
    '20131301',
    '2013010100000',
    '2013010124',
  ]) {
    assert.equal(readHl7Time(value), undefined, value);
  }
  assert.equal(readHl7Time('20120229')?.day, 29);
  assert.equal(readHl7Time('20000229')?.instant.toISOString(), '2000-02-29T00:00:00.000Z');
});

test('keeps the precision written, and a fraction only after whole seconds', () => {
  assert.equal(readHl7Time('1978')?.precision, 'year');
  assert.equal(readHl7Time('197812')?.precision, 'month');
  assert.equal(readHl7Time('19781201')?.precision, 'day');
  assert.equal(readHl7Time('1978120110')?.precision, 'hour');
  assert.equal(readHl7Time('197812011030')?.precision, 'minute');
  assert.equal(readHl7Time('19781201103015.5')?.fraction, '5');
  assert.equal(readHl7Time('19781201103015.5')?.instant.getUTCMilliseconds(), 500);
  assert.equal(readHl7Time('197812011030.5'), undefined);
  assert.equal(readHl7Time('20131025165929+0100')?.offsetMinutes, 60);
  assert.equal(readHl7Time('20131025165929')?.offsetMinutes, undefined);
  assert.equal(readHl7Time('20131025165929+2500'), undefined);
});

test('writes a fraction of a second only when asked and only when it is not zero', () => {
  const d = new Date('2026-01-02T03:04:05.250Z');
  assert.equal(hl7Timestamp(d), '20260102030405');
  assert.equal(hl7Timestamp(d, { fraction: true }), '20260102030405.25');
  assert.equal(hl7Timestamp(new Date('2026-01-02T03:04:05Z'), { fraction: true }), '20260102030405');
});

test('any instant from 1900 on written with its fraction comes back to the millisecond (property)', () => {
  fc.assert(
    fc.property(
      fc.date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2199-12-31') }),
      (d) => {
        assert.equal(readHl7Time(hl7Timestamp(d, { fraction: true }))?.instant.getTime(), d.getTime());
      },
    ),
    { numRuns: 1000 },
  );
});

test('every calendar date reads back as itself, and no other value is taken for a date (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1800, max: 2199 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
      (y, m, d) => {
        const value = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
        const real = new Date(Date.UTC(y, m - 1, d));
        const exists = m >= 1 && m <= 12 && d >= 1 && real.getUTCMonth() === m - 1;
        const read = readHl7Time(value);
        assert.equal(read !== undefined, exists, value);
        if (read) assert.deepEqual([read.year, read.month, read.day], [y, m, d]);
      },
    ),
    { numRuns: 2000 },
  );
});
