import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { and, count, eq } from 'drizzle-orm';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import { REPO_ROOT } from '../common/testing/shared-corpus.ts';
import { SpineSimulator, samplePractice } from '../spine/index.ts';
import { GP2GP_INTERACTIONS } from '../spine/sds/sds-types.ts';
import { openStore, schema } from '../store/index.ts';
import { createTestDatabase } from '../store/testing/test-databases.ts';
import { TransferEngine } from './engine.ts';
import { PracticeRecordStore, storedDocumentUrl } from './records/practice-record-store.ts';
import { testDocument, testPatient, testRecordBundle } from './testing/transfer-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';
const TRANSFERS = 200;
/** Generous: the test fails, naming what is stuck, if the transfers have not all ended by then. */
const DEADLINE_MS = 8 * 60_000;

// Fast retries so a killed endpoint costs seconds, and a persist duration long enough to outlive the chaos.
const RELIABILITY = { persistDurationSeconds: 900, retries: 100, retryIntervalSeconds: 1 };
const interactions = Object.fromEntries(GP2GP_INTERACTIONS.map((i) => [i, RELIABILITY]));

const pg = await createTestDatabase();

test(`SIGKILL at random points during ${TRANSFERS} transfers shared by two engine processes on PostgreSQL: none lost, none integrated twice, no message resent under a new MessageId`, {
  skip: pg.ok ? false : pg.skip,
  timeout: DEADLINE_MS + 120_000,
}, async (t) => {
  if (!pg.ok) return;
  const dir = await mkdtemp(join(tmpdir(), 'gp2gp-crash-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const spine = await SpineSimulator.start({
    dataDir: join(dir, 'spine'),
    practices: [samplePractice(A, 1, { interactions }), samplePractice(B, 2, { interactions })],
    patients: [],
    logFile: join(dir, 'spine-message-log.csv'),
  });
  let spineRunning = true;
  t.after(() => (spineRunning ? spine.stop() : undefined));
  const store = await openStore({
    dataDir: join(dir, 'engines'),
    database: { kind: 'postgres', url: pg.url },
  });
  t.after(async () => {
    await store.close();
    await pg.drop();
  });
  const records = new PracticeRecordStore(store.db, store.documents);
  const patients = Array.from({ length: TRANSFERS }, (_, i) => syntheticNhsNumber(10_000 + i));
  for (const [i, nhs] of patients.entries()) {
    spine.pds.load([testPatient(nhs, B)]);
    // Every tenth record carries a 6 MB scan, sent as large-message fragments after a Continue.
    const scans = [];
    if (i % 10 === 0) {
      const put = await store.documents.put([randomBytes(6_000_000)]);
      if (!put.ok) throw new Error('scan not stored');
      scans.push(testDocument(`scan-${i}`, `scan-${i}.pdf`, storedDocumentUrl(put.document.id), 6_000_000));
    }
    const bundleDocumentId = await records.storeBundle(testRecordBundle(nhs, scans));
    await records.put({ practiceOds: B, nhsNumber: nhs, bundleDocumentId, at: new Date() });
  }
  // This process only gives commands; the two children do all the work.
  const commands = await TransferEngine.start({
    store,
    spine: spine.urls,
    practices: [A, B].map((ods) => ({ ods, identity: spine.identityFor(ods) })),
    serve: false,
  });
  t.after(() => commands.stop());
  const engines = [new EngineProcess(spine.url, join(dir, 'spine', 'certs'), pg.url, join(dir, 'engines'))];
  engines.push(new EngineProcess(spine.url, join(dir, 'spine', 'certs'), pg.url, join(dir, 'engines')));
  let kills = 0;
  let chaos = true;
  try {
    await Promise.all(engines.map((e) => e.start()));
    const killer = (async () => {
      while (chaos) {
        await delay(2_000 + Math.random() * 4_000);
        if (!chaos) break;
        const victim = engines[Math.floor(Math.random() * engines.length)]!;
        await victim.kill();
        kills++;
        await victim.start();
      }
    })();

    for (const nhs of patients) {
      const r = await commands.commands.requestRecord({
        practiceOds: A,
        nhsNumber: nhs,
        actor: 'crash-test',
      });
      assert.equal(r.kind, 'requested', JSON.stringify(r));
    }
    const deadline = Date.now() + DEADLINE_MS;
    for (;;) {
      const ready = await store.db
        .select({ id: schema.transfers.id })
        .from(schema.transfers)
        .where(and(eq(schema.transfers.practiceOds, A), eq(schema.transfers.state, 'ready-to-integrate')));
      for (const { id } of ready) {
        await commands.commands.integrate({ practiceOds: A, transferId: id, actor: 'crash-test' });
      }
      const states = await stateCounts(store.db);
      if (
        (states['requesting:integrated'] ?? 0) === TRANSFERS &&
        (states['sending:completed'] ?? 0) === TRANSFERS
      )
        break;
      if (Date.now() > deadline)
        assert.fail(
          `not every transfer ended after ${DEADLINE_MS} ms: ${JSON.stringify(states)}; ${await whatWentWrong(store.db)}`,
        );
      await delay(250);
    }
    chaos = false;
    await killer;
  } finally {
    chaos = false;
    await Promise.all(engines.map((e) => e.kill()));
  }
  assert.ok(kills >= 3, `the engines were killed ${kills} times`);

  // None integrated twice: one integration per transfer, one record per patient at the new practice.
  const integrations = await store.db
    .select({ n: count() })
    .from(schema.transferEvents)
    .where(and(eq(schema.transferEvents.practiceOds, A), eq(schema.transferEvents.toState, 'integrated')));
  assert.equal(integrations[0]?.n, TRANSFERS);
  const filed = await store.db
    .select({ n: count() })
    .from(schema.patientRecords)
    .where(eq(schema.patientRecords.practiceOds, A));
  assert.equal(filed[0]?.n, TRANSFERS);

  // No message sent twice under different MessageIds: Spine logged one request, one extract and one final
  // acknowledgement per conversation (a resend under the same MessageId is logged once).
  spineRunning = false;
  await spine.stop();
  const log = await readFile(join(dir, 'spine-message-log.csv'), 'utf8');
  const perConversation = new Map<
    string,
    { requests: Set<string>; extracts: Set<string>; finalAcks: Set<string> }
  >();
  const rows = log
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  const extractGuids = new Set(rows.filter((r) => r[3]?.endsWith('RCMR_IN030000UK06')).map((r) => r[2]!));
  for (const r of rows) {
    const [, conversation, guid, interaction, , , ref] = r as string[];
    const c = perConversation.get(conversation!) ?? {
      requests: new Set(),
      extracts: new Set(),
      finalAcks: new Set(),
    };
    perConversation.set(conversation!, c);
    if (interaction!.endsWith('RCMR_IN010000UK05')) c.requests.add(guid!);
    if (interaction!.endsWith('RCMR_IN030000UK06')) c.extracts.add(guid!);
    if (interaction!.endsWith('MCCI_IN010000UK13') && extractGuids.has(ref!)) c.finalAcks.add(guid!);
  }
  assert.equal(perConversation.size, TRANSFERS);
  for (const [conversation, c] of perConversation) {
    assert.deepEqual(
      [c.requests.size, c.extracts.size, c.finalAcks.size],
      [1, 1, 1],
      `conversation ${conversation}: requests, extracts and final acks each sent under one MessageId`,
    );
  }
});

/** The reasons of failed transfers and the last event of those still open, for the assertion message. */
async function whatWentWrong(db: Awaited<ReturnType<typeof openStore>>['db']): Promise<string> {
  const rows = await db.select().from(schema.transfers).where(eq(schema.transfers.open, true));
  const failed = await db.select().from(schema.transfers).where(eq(schema.transfers.state, 'failed'));
  const lines = failed.map((r) => `${r.role} failed ${r.reasonCode ?? ''} ${r.reasonText ?? ''}`);
  for (const r of rows.slice(0, 10)) {
    const events = await db
      .select()
      .from(schema.transferEvents)
      .where(eq(schema.transferEvents.transferId, r.id))
      .orderBy(schema.transferEvents.id);
    lines.push(
      `${r.role} ${r.state}: ${events
        .slice(-3)
        .map((e) => e.text)
        .join(' | ')}`,
    );
  }
  return lines.join('\n');
}

/** Transfers counted by role and state. */
async function stateCounts(db: Awaited<ReturnType<typeof openStore>>['db']): Promise<Record<string, number>> {
  const rows = await db
    .select({ role: schema.transfers.role, state: schema.transfers.state, n: count() })
    .from(schema.transfers)
    .groupBy(schema.transfers.role, schema.transfers.state);
  return Object.fromEntries(rows.map((r) => [`${r.role}:${r.state}`, r.n]));
}

/** One `gp2gp practice` process hosting both practices, which the test kills and restarts. */
class EngineProcess {
  private child: ChildProcess | undefined;
  private readonly args: string[];

  constructor(spineUrl: string, certs: string, databaseUrl: string, dataDir: string) {
    this.args = ['practice', '--ods', `${A},${B}`, '--spine', spineUrl, '--certs', certs];
    this.args.push('--database-url', databaseUrl, '--data-dir', dataDir);
  }

  /** The last lines the process wrote on stderr (for a failure's message). */
  readonly errors: string[] = [];

  /** Starts the process and resolves once its endpoints are registered and its workers run (retrying a failed start). */
  async start(): Promise<void> {
    for (let tries = 1; ; tries++) {
      const child = spawn(join(REPO_ROOT, 'bin', 'gp2gp'), this.args, { stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      createInterface({ input: child.stderr! }).on('line', (l) =>
        this.errors.splice(0, this.errors.length - 20, l),
      );
      let running = false;
      for await (const line of createInterface({ input: child.stdout! })) {
        if (line.startsWith('engine running')) {
          running = true;
          break;
        }
      }
      child.stdout?.resume(); // keep draining: a child blocked on a full pipe would stall
      if (running) return;
      if (tries >= 5) throw new Error(`gp2gp practice would not start: ${this.errors.join(' | ')}`);
    }
  }

  /** SIGKILL: no chance to finish anything in hand. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
