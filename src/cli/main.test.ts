import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';

const GP2GP = join(REPO_ROOT, 'bin', 'gp2gp');
const run = (...args: string[]) => spawnSync(GP2GP, args, { encoding: 'utf8', timeout: 20_000 });

test('gp2gp --help lists every command with what it does, exit 0', () => {
  const r = run('--help');
  assert.equal(r.status, 0);
  for (const name of ['classify', 'inspect', 'spine', 'translate'])
    assert.match(r.stdout, new RegExp(`^  ${name} +\\S.+$`, 'm'));
});

test('no command, or an unknown one, is a usage error: exit 2 on stderr', () => {
  const none = run();
  assert.equal(none.status, 2);
  assert.equal(none.stdout, '');
  const unknown = run('teleport');
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^gp2gp: unknown command "teleport"/);
});

test("a command's --help shows its usage, exit 0", () => {
  const r = run('inspect', '--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: gp2gp inspect FILE/);
});
