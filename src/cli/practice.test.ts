import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostedPractice } from '../transfer/index.ts';
import { GpConnectSource } from '../transfer/index.ts';
import { CliError } from './command.ts';
import { gpConnectRecords } from './practice.ts';

const practices = [
  { ods: 'TESTA1', identity: undefined },
  { ods: 'TESTB2', identity: undefined },
];
const hosted = (ods: string) => ({ ods, asid: '999000000001', name: `Practice ${ods}` }) as HostedPractice;

test('--records builtin (the default) leaves every practice on the engine’s own store', () => {
  assert.equal(gpConnectRecords({}, practices, '/nowhere'), undefined);
  assert.equal(gpConnectRecords({ records: 'builtin' }, practices, '/nowhere'), undefined);
});

test('--records URL points the practices named by --records-for at the provider, {ods} filled per practice', () => {
  const records = gpConnectRecords(
    { records: 'http://gpc.test:9000/{ods}/STU3/1/gpconnect/fhir', 'records-for': 'testb2' },
    practices,
    '/nowhere',
  );
  assert.ok(records);
  assert.equal(records.choice(hosted('TESTA1'), undefined), undefined, 'A stays on the built-in store');
  const b = records.choice(hosted('TESTB2'), undefined);
  assert.ok(b instanceof GpConnectSource);
  assert.equal(
    b.recordUrl,
    'http://gpc.test:9000/TESTB2/STU3/1/gpconnect/fhir/Patient/$gpc.migratestructuredrecord',
  );
  records.close();
});

test('a base without {ods} takes the /{ods}/STU3/1/gpconnect/fhir convention', () => {
  const records = gpConnectRecords({ records: 'http://gpc.test/' }, practices, '/nowhere');
  const a = records?.choice(hosted('TESTA1'), undefined);
  assert.ok(a instanceof GpConnectSource);
  assert.equal(
    a.recordUrl,
    'http://gpc.test/TESTA1/STU3/1/gpconnect/fhir/Patient/$gpc.migratestructuredrecord',
  );
  records?.close();
});

test('a --records that is no URL, a stranger in --records-for, or an unreadable CA is refused', () => {
  assert.throws(() => gpConnectRecords({ records: 'gpc' }, practices, '/nowhere'), CliError);
  assert.throws(() => gpConnectRecords({ records: 'ftp://gpc.test/' }, practices, '/nowhere'), CliError);
  assert.throws(
    () => gpConnectRecords({ records: 'http://gpc.test/', 'records-for': 'TESTZ9' }, practices, '/nowhere'),
    /TESTZ9 is not one of the --ods practices/,
  );
  assert.throws(
    () => gpConnectRecords({ records: 'https://gpc.test/' }, practices, '/nowhere'),
    /cannot read/,
  );
});
