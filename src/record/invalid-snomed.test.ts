import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXml, serializeXml } from '../xml/index.ts';
import { DEGRADE_CODES, readHl7Code, toFhirCodeableConcept } from './codes/index.ts';
import { codedElement } from './to-hl7/coded.ts';

test('a code filed as SNOMED CT that is no SNOMED CT id degrades the entry in both directions, keeping the code', () => {
  const wrong = parseXml(
    '<code xmlns="urn:hl7-org:v3" code="H33.." codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Asthma"/>',
  ).root;
  const read = toFhirCodeableConcept(readHl7Code(wrong), { degradeKind: 'record-entry' });
  assert.equal(read.degraded, true);
  assert.equal(read.concept.coding?.[0]?.code, DEGRADE_CODES['record-entry'].code);
  assert.ok(read.concept.coding?.some((c) => c.code === 'H33..'));
  const written = codedElement(
    'code',
    { coding: [{ system: 'http://snomed.info/sct', code: 'H33..' }] },
    'record-entry',
  );
  assert.equal(written.degraded, true);
  assert.match(serializeXml(written.element), /code="196411000000103".*<translation code="H33\.\."/);
});
