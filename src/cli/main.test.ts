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

test('every command refuses an unknown option as a usage error: exit 2, one line on stderr', () => {
  for (const name of ['classify', 'inspect', 'practice', 'spine', 'translate']) {
    const r = run(name, '--no-such-option', 'file.xml');
    assert.equal(r.status, 2, `${name}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^gp2gp ${name}: Unknown option '--no-such-option'[^\\n]*\\n$`));
  }
});

test('an option missing its value is a usage error naming the option and where help is', () => {
  const r = run('classify', 'log.csv', '--cutoff-days');
  assert.equal(r.status, 2);
  assert.equal(
    r.stderr,
    "gp2gp classify: Option '--cutoff-days <value>' argument missing (see gp2gp classify --help)\n",
  );
  const to = run('translate', 'bundle.json', '--to');
  assert.equal(to.status, 2);
  assert.match(
    to.stderr,
    /^gp2gp translate: Option '--to <value>' argument missing \(see gp2gp translate --help\)\n$/,
  );
});
