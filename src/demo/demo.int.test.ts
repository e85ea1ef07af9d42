import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { count } from 'drizzle-orm';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';
import { tempDir } from '../spine/testing/fixtures.ts';
import { openStore, schema } from '../store/index.ts';
import { WebClient } from '../web/testing/web-network.ts';
import { demoNetwork } from './demo-network.ts';

const tmp = tempDir('gp2gp-demo-');
after(() => tmp.remove());

// Safety nets only, never what decides a result: a first start makes the database, slow on a busy machine.
const START_DEADLINE_MS = 180_000;
const TRANSFER_DEADLINE_MS = 120_000;

/** A running `bin/gp2gp demo`: its stdout by line, waited on as it comes. */
class DemoProcess {
  readonly child: ChildProcess;
  readonly lines: string[] = [];
  private stderr = '';
  private partial = '';
  private waiters: (() => void)[] = [];
  private exitCode: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: readonly string[]) {
    this.child = spawn(join(REPO_ROOT, 'bin/gp2gp'), ['demo', ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (c: Buffer) => {
      const text = this.partial + c.toString();
      const parts = text.split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const w of this.waiters.splice(0)) w();
    });
    this.child.stderr?.on('data', (c: Buffer) => {
      this.stderr += c.toString();
    });
    this.exitCode = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        for (const w of this.waiters.splice(0)) w();
        resolve({ code, signal });
      }),
    );
  }

  /** The first line matching `pattern`, waiting for it; fails if the demo exits or the deadline passes first. */
  async line(pattern: RegExp, deadlineMs: number): Promise<RegExpExecArray> {
    const deadline = Date.now() + deadlineMs;
    for (;;) {
      for (const l of this.lines) {
        const m = pattern.exec(l);
        if (m) return m;
      }
      if (this.child.exitCode !== null || this.child.signalCode !== null)
        throw new Error(`demo exited before printing ${pattern}:\n${this.output()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${pattern} within ${deadlineMs} ms:\n${this.output()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends the signal and resolves with how the process ended. */
  async stop(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exitCode;
  }

  output(): string {
    return `${this.lines.join('\n')}\n${this.partial}\n--- stderr ---\n${this.stderr}`;
  }
}

/** Starts the demo and waits for its summary; returns the process and the web app's address. */
async function startDemo(args: readonly string[]): Promise<{ demo: DemoProcess; url: string }> {
  const demo = new DemoProcess([...args, '--port', '0']);
  const [, url] = await demo.line(/^Open (http:\/\/\S+)$/, START_DEADLINE_MS);
  await demo.line(/^Transfers as they move:$/, START_DEADLINE_MS);
  return { demo, url: url! };
}

/** The printed sign-in of a role at a practice: `  DEMOE1  Clinician  demoe1-clinician  password`. */
function signInOf(demo: DemoProcess, username: string): string {
  const line = demo.lines.find((l) => l.trim().split(/\s{2,}/)[2] === username);
  assert.ok(line, `no sign-in for ${username} in:\n${demo.output()}`);
  return line.trim().split(/\s{2,}/)[3]!;
}

/** What the demo's database holds, read after it stopped. */
async function holdings(dataDir: string) {
  const store = await openStore({ dataDir, database: { kind: 'pglite' } });
  try {
    const [records] = await store.db.select({ n: count() }).from(schema.patientRecords);
    const [accounts] = await store.db.select({ n: count() }).from(schema.staffAccounts);
    const transfers = await store.db
      .select({
        id: schema.transfers.id,
        practiceOds: schema.transfers.practiceOds,
        role: schema.transfers.role,
        nhsNumber: schema.transfers.nhsNumber,
      })
      .from(schema.transfers);
    const requesting = transfers.filter((t) => t.role === 'requesting');
    return {
      records: records!.n,
      accounts: accounts!.n,
      requestingIds: requesting.map((t) => t.id).sort(),
      requestingPatients: new Set(requesting.map((t) => `${t.practiceOds} ${t.nhsNumber}`)).size,
    };
  } finally {
    await store.close();
  }
}

test('gp2gp demo serves the web app, brings records to ready-to-integrate and stops cleanly on SIGINT', async () => {
  const dataDir = join(tmp.dir, 'first');
  const { demo, url } = await startDemo(['--data-dir', dataDir]);
  let ended: Awaited<ReturnType<DemoProcess['stop']>> | undefined;
  try {
    const signInPage = await fetch(`${url}/sign-in`);
    assert.equal(signInPage.status, 200);
    assert.match(await signInPage.text(), /<h1>Sign in<\/h1>/);

    // A record the demo asked for arrives at the new practice and waits to be integrated.
    const [, ods, nhs] = await demo.line(
      /^\S+ {2}(DEMOE1) ← \S+ {2}(\d{3} \d{3} \d{4}) {2}\S+ → ready-to-integrate$/,
      TRANSFER_DEADLINE_MS,
    );
    const clinician = new WebClient(url);
    await clinician.signIn(`${ods!.toLowerCase()}-clinician`, signInOf(demo, 'demoe1-clinician'));
    const incoming = await clinician.get('/incoming');
    assert.equal(incoming.status, 200);
    assert.ok(incoming.html.includes(nhs!), `${nhs} is not on the incoming page`);

    // Every live practice's staff can sign in.
    for (const p of demoNetwork().practices.filter((x) => x.hosted)) {
      const clerk = new WebClient(url);
      const username = `${p.entry.ods.toLowerCase()}-registration-clerk`;
      await clerk.signIn(username, signInOf(demo, username));
    }
  } finally {
    ended = await demo.stop('SIGINT');
  }
  assert.deepEqual(ended, { code: 0, signal: null }, demo.output());
  assert.ok(demo.lines.includes('gp2gp demo: stopped'), demo.output());
});

test('a second start on the same data folder adds no patients or transfers, and --reset starts afresh', async () => {
  const dataDir = join(tmp.dir, 'again');
  const { moves, patients, practices } = demoNetwork();
  const hostedRecords = patients.filter((p) => practices.find((x) => x.entry.ods === p.ods)?.hosted).length;

  const first = await startDemo(['--data-dir', dataDir]);
  assert.deepEqual(await first.demo.stop('SIGTERM'), { code: 0, signal: null }, first.demo.output());
  const afterFirst = await holdings(dataDir);
  assert.equal(afterFirst.records, hostedRecords);
  assert.equal(afterFirst.requestingIds.length, moves.length);
  const passwords = readFileSync(join(dataDir, 'demo-sign-ins.json'), 'utf8');

  const second = await startDemo(['--data-dir', dataDir]);
  assert.ok(
    second.demo.lines.some((l) => l.includes('records kept from the last start')),
    second.demo.output(),
  );
  // The same sign-ins work again: the passwords were kept.
  const clerk = new WebClient(second.url);
  await clerk.signIn('demot2-registration-clerk', signInOf(second.demo, 'demot2-registration-clerk'));
  assert.deepEqual(await second.demo.stop('SIGINT'), { code: 0, signal: null }, second.demo.output());
  const afterSecond = await holdings(dataDir);
  assert.equal(afterSecond.records, hostedRecords);
  assert.equal(afterSecond.accounts, afterFirst.accounts);
  assert.deepEqual(afterSecond.requestingIds, afterFirst.requestingIds);
  assert.equal(afterSecond.requestingPatients, moves.length);

  const reset = await startDemo(['--data-dir', dataDir, '--reset']);
  assert.ok(
    reset.demo.lines.some((l) => l.startsWith('Moves registered now')),
    reset.demo.output(),
  );
  assert.deepEqual(await reset.demo.stop('SIGINT'), { code: 0, signal: null }, reset.demo.output());
  const afterReset = await holdings(dataDir);
  assert.equal(afterReset.records, hostedRecords);
  assert.equal(afterReset.requestingIds.length, moves.length);
  assert.ok(
    afterReset.requestingIds.every((id) => !afterFirst.requestingIds.includes(id)),
    'the transfers after --reset are new ones',
  );
  assert.notEqual(readFileSync(join(dataDir, 'demo-sign-ins.json'), 'utf8'), passwords);
});
