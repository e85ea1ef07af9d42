import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { hl7Timestamp, londonOffsetMs, parseHl7Timestamp } from './hl7-time.ts';

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
