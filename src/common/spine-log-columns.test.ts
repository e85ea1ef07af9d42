import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { isEbxmlAction, isEbxmlService, isMessageUuid, neutraliseCsvFormula } from './spine-log-columns.ts';

test('a value that starts like a spreadsheet formula gets a leading quote; others are left as they are', () => {
  for (const formula of [
    '=HYPERLINK("http://example.invalid")',
    '+1+1',
    '-2+3',
    '@SUM(A1:A9)',
    '\t=1',
    '\r=1',
  ])
    assert.equal(neutraliseCsvFormula(formula), `'${formula}`);
  for (const plain of ['EMIS', 'DFF5321C-C6EA-468E-BBC2-B0E48000E071', 'a=b', '', "'=already"])
    assert.equal(neutraliseCsvFormula(plain), plain);
});

test('no neutralised value starts like a formula, and removing the added quote gives the value back (property)', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 12 }), (value) => {
      const safe = neutraliseCsvFormula(value);
      assert.doesNotMatch(safe, /^[=+\-@\t\r]/);
      assert.equal(safe === value ? value : safe.slice(1), value);
    }),
  );
});

test('message and conversation ids: hyphenated UUIDs in upper or lower case, any version', () => {
  for (const id of [
    'DFF5321C-C6EA-468E-BBC2-B0E48000E071',
    '6E242658-3D8E-11E3-A7DC-172BDA00FA67',
    'dff5321c-c6ea-468e-bbc2-b0e48000e071',
  ])
    assert.equal(isMessageUuid(id), true, id);
  for (const bad of [
    '',
    'DFF5321CC6EA468EBBC2B0E48000E071',
    '{DFF5321C-C6EA-468E-BBC2-B0E48000E071}',
    'uuid:DFF5321C-C6EA-468E-BBC2-B0E48000E071',
    'DFF5321C-c6ea-468E-BBC2-B0E48000E071',
    'DFF5321C-C6EA-468E-BBC2-B0E48000E07G',
    '=DFF5321C-C6EA-468E-BBC2-B0E48000E071',
    'DFF5321C-C6EA-468E-BBC2-B0E48000E071\n',
  ])
    assert.equal(isMessageUuid(bad), false, JSON.stringify(bad));
  assert.equal(isMessageUuid(crypto.randomUUID()), true);
  assert.equal(isMessageUuid(crypto.randomUUID().toUpperCase()), true);
});

test('services are URNs; actions are interaction ids or ebXML signal actions', () => {
  assert.equal(isEbxmlService('urn:nhs:names:services:gp2gp'), true);
  assert.equal(isEbxmlService('urn:oasis:names:tc:ebxml-msg:service'), true);
  for (const bad of [
    '',
    'gp2gp',
    'urn:nhs',
    'urn:nhs:names:services:gp2gp,x',
    '=urn:a:b',
    `urn:a:${'b'.repeat(300)}`,
  ])
    assert.equal(isEbxmlService(bad), false, bad);
  for (const action of [
    'RCMR_IN010000UK05',
    'RCMR_IN030000UK07',
    'COPC_IN000001UK01',
    'MCCI_IN010000UK13',
    'Acknowledgment',
  ])
    assert.equal(isEbxmlAction(action), true, action);
  for (const bad of [
    '',
    'rcmr_in010000uk05',
    'RCMR_IN010000UK5',
    '@SUM(A1)',
    'RCMR_IN010000UK05 ',
    'Acknowledgement',
  ])
    assert.equal(isEbxmlAction(bad), false, bad);
});
