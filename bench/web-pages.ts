/**
 * The practice web app's page times with 10,000 transfers in the database: every main page requested
 * `--rounds` times by a signed-in member of the right role, p50 and p95 per page in milliseconds. The transfers,
 * worklist items and audit entries are written straight into the tables (a network would take hours to make
 * 10,000); the app reads them only through the engine's queries, as it always does. Prints one JSON line.
 *
 *   node bench/web-pages.ts [--transfers 10000] [--rounds 100]
 */
import { parseArgs } from 'node:util';
import { syntheticNhsNumber } from '../src/common/nhs-number.ts';
import type { Role } from '../src/practice/roles.ts';
import { schema } from '../src/store/index.ts';
import type { TransferState } from '../src/transfer/index.ts';
import { testPatient, testRecordBundle } from '../src/transfer/testing/transfer-network.ts';
import { startWebNetwork, type WebClient } from '../src/web/testing/web-network.ts';

const { values } = parseArgs({
  options: { transfers: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '100' } },
});
const total = Number(values.transfers);
const rounds = Number(values.rounds);
const A = 'TESTA1';

const w = await startWebNetwork();
const result: Record<string, unknown> = { transfers: total, rounds };
try {
  const db = w.net.store.db;
  const records = w.net.engine.context.practiceRecords;
  const now = w.net.clock.now();
  const bundleDocumentId = await records.storeBundle(testRecordBundle(syntheticNhsNumber(0)));
  // A practice's mix: most records long integrated, some waiting (a few days' worth, some overdue), some on
  // their way or failed; and as many sending transfers, some failed with print tasks.
  const requesting: [TransferState, number][] = [
    ['integrated', 0.55],
    ['ready-to-integrate', 0.1],
    ['awaiting-extract', 0.05],
    ['rejected', 0.02],
    ['failed', 0.03],
  ];
  const sending: [TransferState, number][] = [
    ['completed', 0.2],
    ['failed', 0.03],
    ['awaiting-final-ack', 0.02],
  ];
  const rows: (typeof schema.transfers.$inferInsert)[] = [];
  const tasks: (typeof schema.printTasks.$inferInsert)[] = [];
  let n = 0;
  for (const [role, mix, peer] of [
    ['requesting', requesting, 'TESTB2'],
    ['sending', sending, 'TESTC3'],
  ] as const) {
    for (const [state, share] of mix) {
      for (let i = 0; i < Math.round(total * share); i++, n++) {
        const id = crypto.randomUUID();
        const at = new Date(now - ((n * 7_919) % (30 * 86_400_000)));
        const ended = !['ready-to-integrate', 'awaiting-extract', 'awaiting-final-ack'].includes(state);
        rows.push({
          id,
          practiceOds: A,
          role,
          conversationId: crypto.randomUUID().toUpperCase(),
          nhsNumber: syntheticNhsNumber(1_000 + n),
          peerOds: peer,
          state,
          open: !ended,
          createdAt: at,
          updatedAt: at,
          stateChangedAt: at,
          receivedAt: role === 'requesting' && state !== 'awaiting-extract' ? at : null,
          endedAt: ended ? at : null,
          reasonCode: state === 'failed' ? '25' : null,
          details: role === 'requesting' ? { bundleDocumentId } : {},
        });
        if (role === 'sending' && state === 'failed')
          tasks.push({
            id: crypto.randomUUID(),
            transferId: id,
            practiceOds: A,
            kind: 'whole-record',
            attachments: [],
            reason: 'transfer failed (25)',
            createdAt: at,
          });
      }
    }
  }
  for (let i = 0; i < rows.length; i += 1_000)
    await db.insert(schema.transfers).values(rows.slice(i, i + 1_000));
  if (tasks.length) await db.insert(schema.printTasks).values(tasks);
  const integrated = rows.filter((r) => r.state === 'integrated').slice(0, 2_000);
  const items = integrated.flatMap((r, i) =>
    (['degrade', 'medication'] as const).map((kind) => ({
      id: crypto.randomUUID(),
      practiceOds: A,
      kind,
      nhsNumber: r.nhsNumber,
      transferId: r.id,
      resourceType: kind === 'degrade' ? 'Observation' : 'MedicationRequest',
      resourceId: `item-${i}`,
      summary: (kind === 'degrade'
        ? { text: 'Local only finding', originalCodes: 'Read v2 XaBcD' }
        : { drug: 'Paracetamol 500mg tablets', type: 'repeat' }) as Record<string, string>,
      createdAt: r.endedAt!,
    })),
  );
  for (let i = 0; i < items.length; i += 1_000)
    await db.insert(schema.worklistItems).values(items.slice(i, i + 1_000));
  await db
    .insert(schema.worklistSources)
    .values(
      rows
        .filter((r) => r.state === 'integrated')
        .map((r) => ({ practiceOds: A, transferId: r.id, indexedAt: new Date(now) })),
    );
  const audit = Array.from({ length: total * 2 }, (_, i) => ({
    practiceOds: A,
    at: new Date(now - i * 60_000),
    actorName: `clinician ${i % 7}`,
    action: i % 3 ? 'view-record' : 'integrate',
    nhsNumber: syntheticNhsNumber(1_000 + (i % total)),
    detail: 'bench',
  }));
  for (let i = 0; i < audit.length; i += 1_000)
    await db.insert(schema.auditEvents).values(audit.slice(i, i + 1_000));
  const nhs = syntheticNhsNumber(999);
  w.net.spine.pds.load([testPatient(nhs, 'TESTB2')]);

  const ready = rows.find((r) => r.state === 'ready-to-integrate')!;
  const clients = new Map<Role, WebClient>();
  for (const role of ['registration-clerk', 'clinician', 'practice-manager'] as const)
    clients.set(role, await w.signIn(A, role));
  const pages: [string, Role, (c: WebClient) => Promise<{ status: number }>][] = [
    ['home', 'clinician', (c) => c.get('/')],
    ['incoming to integrate', 'clinician', (c) => c.get('/incoming')],
    ['incoming ended, page 2', 'clinician', (c) => c.get('/incoming?view=ended&page=2')],
    ['incoming table (htmx)', 'clinician', (c) => c.get('/incoming', { 'hx-request': 'true' })],
    ['record view', 'clinician', (c) => c.get(`/incoming/${ready.id}`)],
    ['degrades', 'clinician', (c) => c.get('/degrades')],
    ['medication', 'clinician', (c) => c.get('/medication')],
    ['outgoing', 'registration-clerk', (c) => c.get('/outgoing')],
    ['register form', 'registration-clerk', (c) => c.get('/register')],
    [
      'register: PDS trace',
      'registration-clerk',
      (c) =>
        c.post('/register', {
          nhsNumber: nhs,
          family: 'Testpatient',
          given: 'Ada',
          'dob[day]': '1',
          'dob[month]': '1',
          'dob[year]': '1980',
          gender: 'female',
          postcode: 'LS1 4AP',
        }),
    ],
    ['support', 'registration-clerk', (c) => c.get('/support')],
    ['audit', 'practice-manager', (c) => c.get('/audit')],
    ['audit by patient', 'practice-manager', (c) => c.get(`/audit?nhsNumber=${syntheticNhsNumber(1_010)}`)],
    ['calendar', 'practice-manager', (c) => c.get('/calendar')],
  ];
  const times: Record<string, { p50: number; p95: number; max: number }> = {};
  for (const [name, role, load] of pages) {
    const client = clients.get(role)!;
    const status = (await load(client)).status; // warm-up: templates compiled, plans prepared
    if (status !== 200) throw new Error(`${name} answered ${status}`);
    const ms: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const started = performance.now();
      await load(client);
      ms.push(performance.now() - started);
    }
    ms.sort((a, b) => a - b);
    const at = (q: number) => Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10;
    times[name] = { p50: at(0.5), p95: at(0.95), max: at(1) };
  }
  result.pages = times;
  result.worst_p95_ms = Math.max(...Object.values(times).map((t) => t.p95));
  result.database = w.net.store.kind;
} finally {
  await w.stop();
}
process.stdout.write(`${JSON.stringify(result)}\n`);
