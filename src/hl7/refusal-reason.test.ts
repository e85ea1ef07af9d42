import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EbxmlError } from '../ebxml/index.ts';
import { XmlError } from '../xml/index.ts';
import { Hl7Error } from './hl7-error.ts';
import { reasonForRefusal } from './refusal-reason.ts';

test('malformed XML in a request is reason 18, in an extract 21, in a COPC 29', () => {
  const bad = new XmlError('malformed', 'malformed XML: unexpected close tag');
  assert.equal(reasonForRefusal(bad, 'RCMR_IN010000UK05'), '18');
  assert.equal(reasonForRefusal(bad, 'RCMR_IN030000UK06'), '21');
  assert.equal(reasonForRefusal(bad, 'RCMR_IN030000UK07'), '21');
  assert.equal(reasonForRefusal(bad, 'COPC_IN000001UK01'), '29');
});

test('a DTD or broken MIME is refused like any other malformed input', () => {
  assert.equal(reasonForRefusal(new XmlError('forbidden', 'DTD'), 'RCMR_IN010000UK05'), '18');
  assert.equal(reasonForRefusal(new EbxmlError('truncated'), 'RCMR_IN030000UK06'), '21');
});

test('an HL7 error keeps the reason it was raised with', () => {
  assert.equal(reasonForRefusal(new Hl7Error('19', 'not the current GP'), 'RCMR_IN010000UK05'), '19');
});

test('anything that is not an input problem is unexpected (99), as is an unknown interaction', () => {
  assert.equal(reasonForRefusal(new Error('disk full'), 'RCMR_IN030000UK06'), '99');
  assert.equal(reasonForRefusal(new XmlError('malformed', 'x'), undefined), '99');
});
