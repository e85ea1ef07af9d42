import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { immunisationCodes, isImmunisationCode, parseImmunisationCodes } from './immunisation-codes.ts';
import { isSnomedConceptId } from './snomed-id.ts';

const READ_V2 = '2.16.840.1.113883.2.1.6.2';
const SNOMED = '2.16.840.1.113883.2.1.3.2.4.15';

test('the list is a data file with its sources and date, hundreds of codes, every SNOMED CT code a concept id', () => {
  const text = readFileSync(new URL('./data/immunisation-codes.tsv', import.meta.url), 'utf8');
  assert.match(text, /^# Sources \(public, compiled \d{4}-\d{2}-\d{2}\)/m);
  const list = immunisationCodes();
  assert.ok(list.snomed.size + list.read.size >= 300, `${list.snomed.size} + ${list.read.size}`);
  for (const root of ['787859002', '127785005', '304250009', '90351000119108', '713404003']) {
    assert.ok(list.snomed.has(root), root);
  }
  for (const code of list.snomed) assert.ok(isSnomedConceptId(code), code);
});

test('a description id or an unknown scheme in the file is an error, not a code', () => {
  assert.throws(() => parseImmunisationCodes('snomed\t2807821000000115\tnCoV vaccination'), /line 1/);
  assert.throws(() => parseImmunisationCodes('# header\nicd10\tU07.1\tCOVID-19'), /line 2/);
});

test('codes match whatever system the supplier declared', () => {
  assert.ok(isImmunisationCode('86198006', SNOMED));
  assert.ok(isImmunisationCode('86198006', READ_V2), 'a SNOMED CT code filed under the Read v2 OID');
  assert.ok(isImmunisationCode('65ED.00', READ_V2));
  assert.ok(isImmunisationCode('65ED.00', SNOMED), 'a Read code filed under the SNOMED CT OID');
  assert.ok(isImmunisationCode('65ED.11', undefined), 'a Read v2 synonym term code');
  assert.ok(isImmunisationCode('XaZ0d', undefined), 'CTV3');
  assert.ok(isImmunisationCode('6572000', READ_V2), 'an all-digit Read v2 code');
  assert.ok(isImmunisationCode('39115611000001103', SNOMED), 'a dm+d vaccine product');
});

test('other codes, description ids and lookalikes do not match', () => {
  for (const code of ['195967001', 'H33..00', '2807821000000115', '65X..00', '', undefined]) {
    assert.equal(isImmunisationCode(code, SNOMED), false, String(code));
  }
});
