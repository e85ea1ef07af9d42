import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';

const GP2GP = join(REPO_ROOT, 'bin', 'gp2gp');

/** Runs the CLI to its end (asynchronously: a run takes seconds), collecting its output. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(GP2GP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

test('gp2gp simulate --json prints one JSON object with the contract keys, every transfer completed', async () => {
  const r = await run([
    'simulate',
    '--patients',
    '2',
    '--attachments',
    '2',
    '--attachment-kb',
    '8',
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  const report = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(report), [
    'transfers',
    'completed',
    'failed',
    'lost',
    'duplicated',
    'p50_ms',
    'p95_ms',
    'bytes',
    'peak_rss_mb',
  ]);
  assert.deepEqual(
    [report.transfers, report.completed, report.failed, report.lost, report.duplicated, report.bytes],
    [2, 2, 0, 0, 0, 2 * 2 * 8 * 1024],
  );
  for (const key of ['p50_ms', 'p95_ms', 'peak_rss_mb']) assert.equal(typeof report[key], 'number', key);
  // stderr is not a terminal here: no progress lines
  assert.doesNotMatch(r.stderr, /transfers: \d+\/\d+/);
});

test('gp2gp simulate refuses bad options as usage errors (exit 2, one line) before starting anything', () => {
  const cases: [string[], RegExp][] = [
    [[], /--patients is required/],
    [['--patients', '2', '--engines', '2'], /more than one engine needs --database-url/],
    [['--patients', 'many'], /--patients must be a number/],
    [['--patients', '2', '--faults', '1.5'], /faults must be a rate from 0 to 1/],
  ];
  for (const [args, message] of cases) {
    const r = spawnSync(GP2GP, ['simulate', ...args], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
