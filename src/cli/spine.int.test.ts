import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';
import { httpExchange } from '../spine/http/http-io.ts';
import { tempDir } from '../spine/testing/fixtures.ts';

const tmp = tempDir('gp2gp-spine-cli-');
after(() => tmp.remove());

/** Starts `bin/gp2gp spine` and resolves with the JSON line it prints once listening. */
function startSpine(args: string[]): Promise<{ child: ChildProcess; info: Record<string, unknown> }> {
  // Its state goes in the data folder's own PGlite: never in a database another test (or run) shares.
  const { DATABASE_URL: _shared, ...env } = process.env;
  const child = spawn(join(REPO_ROOT, 'bin/gp2gp'), ['spine', '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`spine did not start in time: ${err}`));
    }, 120_000); // a safety net only: a first start initialises the database, slow on a busy machine
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) {
        clearTimeout(timer);
        resolve({ child, info: JSON.parse(line) as Record<string, unknown> });
      }
    });
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`spine exited early (${code}): ${err}`));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`gp2gp spine starts, serves over mutual TLS, and stops cleanly on ${signal}`, async () => {
    const dataDir = join(tmp.dir, signal);
    const { child, info } = await startSpine(['--data-dir', dataDir]);
    const certs = String(info.certificates);
    const agent = new Agent({
      ca: readFileSync(join(certs, 'ca.cert.pem')),
      key: readFileSync(join(certs, 'SIMA01.key.pem')),
      cert: readFileSync(join(certs, 'SIMA01.cert.pem')),
    });
    try {
      const out = await httpExchange({
        url: new URL(`${info.sds}/practices/SIMB02`),
        method: 'GET',
        agent,
        timeoutMs: 5000,
      });
      assert.ok(out.ok);
      if (out.ok) assert.equal(JSON.parse(out.response.body.toString()).ods, 'SIMB02');
    } finally {
      agent.destroy();
    }
    const done = exited(child);
    child.kill(signal);
    assert.equal(await done, 0);
  });
}

test('gp2gp spine refuses a bad flag with exit 2', async () => {
  const child = spawn(join(REPO_ROOT, 'bin/gp2gp'), ['spine', '--faults', '7'], { stdio: 'ignore' });
  assert.equal(await exited(child), 2);
});
