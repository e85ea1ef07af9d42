import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';

const GP2GP = join(REPO_ROOT, 'bin', 'gp2gp');
const run = (...args: string[]) => spawnSync(GP2GP, args, { encoding: 'utf8', timeout: 20_000 });

test('gp2gp web --help describes the app beside the engines, exit 0', () => {
  const r = run('web', '--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: gp2gp web --ods CODE/);
  assert.match(r.stdout, /--demo-accounts/);
});

test('gp2gp web without practices, with a bad ODS code, port or half an OpenID setup is a usage error', () => {
  for (const [args, message] of [
    [[], /--ods is required/],
    [['--ods', 'A1!'], /"A1!" is not an ODS code/],
    [['--ods', 'A12345', '--port', 'x'], /--port: "x" is not a port/],
    [['--ods', 'A12345', '--oidc-issuer', 'https://cis2.example'], /needs --oidc-client-id/],
  ] as const) {
    const r = run('web', ...args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
  }
});
