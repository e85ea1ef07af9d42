import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hl7Timestamp, parseHl7Timestamp } from './hl7-time.ts';

test('reads HL7 timestamps of every precision suppliers send', () => {
  assert.equal(parseHl7Timestamp('2013')?.toISOString(), '2013-01-01T00:00:00.000Z');
  assert.equal(parseHl7Timestamp('20131025')?.toISOString(), '2013-10-25T00:00:00.000Z');
  assert.equal(parseHl7Timestamp('201009201130')?.toISOString(), '2010-09-20T11:30:00.000Z');
  assert.equal(parseHl7Timestamp('20131025165929228')?.toISOString(), '2013-10-25T16:59:29.228Z');
  assert.equal(parseHl7Timestamp('20131025165929+0100')?.toISOString(), '2013-10-25T15:59:29.000Z');
});

test('refuses values that are not timestamps', () => {
  assert.equal(parseHl7Timestamp('{{creationTime}}'), undefined);
  assert.equal(parseHl7Timestamp('20131345'), undefined);
  assert.equal(parseHl7Timestamp(undefined), undefined);
});

test('writes UTC to the second', () => {
  assert.equal(hl7Timestamp(new Date('2026-01-02T03:04:05.678Z')), '20260102030405');
});
