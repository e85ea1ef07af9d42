import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';
import { tempDir } from '../spine/testing/fixtures.ts';

const GP2GP = join(REPO_ROOT, 'bin', 'gp2gp');
const run = (...args: string[]) => spawnSync(GP2GP, args, { encoding: 'utf8', timeout: 20_000 });
// Asynchronous, so this process can keep serving the port the demo is told to take.
const runAsync = (...args: string[]) =>
  new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn(GP2GP, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('exit', (status) => resolve({ status, stderr }));
  });
const tmp = tempDir('gp2gp-demo-cli-');
after(() => tmp.remove());

test('gp2gp demo --help gives its options, exit 0', () => {
  const r = run('demo', '--help');
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Usage: gp2gp demo \[options\]/);
  for (const option of ['--data-dir DIR', '--host HOST', '--port N', '--reset'])
    assert.ok(r.stdout.includes(option), option);
});

test('gp2gp demo with a bad port or an unknown option is a usage error', () => {
  for (const [args, message] of [
    [['--port', 'x'], /--port: "x" is not a port/],
    [['--port', '70000'], /--port: "70000" is not a port/],
    [['--patients', '3'], /Unknown option '--patients'/],
  ] as const) {
    const r = run('demo', '--data-dir', join(tmp.dir, 'unused'), ...args);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
  }
  assert.equal(existsSync(join(tmp.dir, 'unused')), false);
});

test('gp2gp demo --reset refuses to delete a folder holding files the demo did not make', () => {
  const dir = join(tmp.dir, 'not-a-demo');
  mkdirSync(dir);
  writeFileSync(join(dir, 'thesis.tex'), 'keep me');
  const r = run('demo', '--data-dir', dir, '--reset');
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /holds thesis\.tex, which the demo did not make; not deleting it/);
  assert.equal(existsSync(join(dir, 'thesis.tex')), true);
});

test('gp2gp demo on a port already taken says so and how to choose another, exit 2', async () => {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  try {
    const r = await runAsync('demo', '--data-dir', join(tmp.dir, 'port-taken'), '--port', String(port));
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`port ${port} is in use: choose another with --port N`));
  } finally {
    server.close();
  }
});
