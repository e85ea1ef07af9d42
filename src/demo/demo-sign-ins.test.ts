import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DemoSignIn } from '../practice/demo-accounts.ts';
import { tempDir } from '../spine/testing/fixtures.ts';
import { demoSignIns } from './demo-sign-ins.ts';

const tmp = tempDir('gp2gp-demo-sign-ins-');
after(() => tmp.remove());

const made = (ods: string): DemoSignIn[] => [
  { practiceOds: ods, role: 'clinician', username: `${ods.toLowerCase()}-clinician`, password: `pw-${ods}` },
  {
    practiceOds: ods,
    role: 'registration-clerk',
    username: `${ods.toLowerCase()}-registration-clerk`,
    password: `pw2-${ods}`,
  },
];

test('sign-ins made at the first start are kept, readable by the user only, and given back at the next', async () => {
  const file = join(tmp.dir, 'kept.json');
  const first = await demoSignIns(file, ['DEMOA1'], async () => made('DEMOA1'));
  // In role order: clerk first.
  assert.deepEqual(
    first.signIns.map((s) => s.role),
    ['registration-clerk', 'clinician'],
  );
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const second = await demoSignIns(file, ['DEMOA1'], async () => []);
  assert.deepEqual(second, first);
});

test('a practice added later gets its sign-ins beside the kept ones', async () => {
  const file = join(tmp.dir, 'added.json');
  await demoSignIns(file, ['DEMOA1'], async () => made('DEMOA1'));
  const r = await demoSignIns(file, ['DEMOA1', 'DEMOB2'], async (p) =>
    p.includes('DEMOB2') ? made('DEMOB2') : [],
  );
  assert.deepEqual(
    r.signIns.map((s) => s.username),
    ['demoa1-registration-clerk', 'demoa1-clinician', 'demob2-registration-clerk', 'demob2-clinician'],
  );
  assert.deepEqual(r.unknown, []);
});

test('accounts whose passwords were not kept are reported, not invented', async () => {
  const file = join(tmp.dir, 'lost.json');
  writeFileSync(file, '[]\n');
  const r = await demoSignIns(file, ['DEMOA1'], async () => []);
  assert.deepEqual(r, { signIns: [], unknown: ['DEMOA1'] });
});
