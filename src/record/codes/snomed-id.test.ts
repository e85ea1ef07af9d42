import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEGRADE_CODES } from './degrade.ts';
import { isSnomedId } from './snomed-id.ts';

test('real concept ids, long extension ids and description ids pass', () => {
  for (const id of [
    '22298006',
    '195967001',
    '73211009',
    '37331000000100',
    '24591000000103',
    '196401000000100',
  ]) {
    assert.ok(isSnomedId(id), id);
  }
  for (const d of Object.values(DEGRADE_CODES)) assert.ok(isSnomedId(d.code), `degrade code ${d.code}`);
});

test('a wrong check digit, a Read or local code, a leading zero or a relationship id fail', () => {
  for (const id of ['22298007', 'H33..', '14L..00', 'EMISNQ123', '022298006', '12345', '', '100022']) {
    assert.ok(!isSnomedId(id), id);
  }
  assert.ok(!isSnomedId(undefined));
});
