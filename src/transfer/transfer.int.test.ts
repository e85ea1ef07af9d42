import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import { createTestDatabase } from '../store/testing/test-databases.ts';
import { getTransfer, listPrintTasks, listTransferDocuments, transferHistory } from './queries.ts';
import { startTransferNetwork, type TransferNetwork, testPatient } from './testing/transfer-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';

/** The scenarios every backend must pass: the engine's code is the same on PGlite and PostgreSQL. */
function scenarios(name: string, open: () => Promise<TransferNetwork>, skip?: string): void {
  describe(`transfers on ${name}`, { skip: skip ?? false }, () => {
    test('a small record moves from the old practice to the new and is integrated, ending both transfers', async () => {
      const net = await open();
      try {
        const nhs = syntheticNhsNumber(101);
        net.spine.pds.load([testPatient(nhs, B)]);
        await net.seedRecord(B, nhs);
        const asked = await net.engine.commands.requestRecord({
          practiceOds: A,
          nhsNumber: nhs,
          actor: 'clerk-1',
        });
        assert.equal(asked.kind, 'requested', JSON.stringify(asked));
        if (asked.kind !== 'requested') return;
        const ready = await net.settleTo(asked.transfer.id, 'ready-to-integrate');
        assert.ok(ready.receivedAt, 'the receipt time starts the integration clocks');
        const sending = await net.transferOf(B, 'sending', nhs);
        assert.equal(sending.state, 'awaiting-final-ack');

        const done = await net.engine.commands.integrate({
          practiceOds: A,
          transferId: asked.transfer.id,
          actor: 'gp-1',
        });
        assert.equal(done.kind, 'done');
        await net.settleTo(asked.transfer.id, 'integrated');
        await net.settleTo(sending.id, 'completed');

        const filed = await net.engine.context.practiceRecords.structuredRecord(A, nhs);
        assert.equal(filed.kind, 'found', 'the integrated record is the new practice’s own');
        const left = await net.engine.context.practiceRecords.structuredRecord(B, nhs);
        assert.equal(left.kind, 'not-held', 'the old practice no longer holds the patient as registered');
        const history = await transferHistory(net.store.db, {
          practiceOds: A,
          transferId: asked.transfer.id,
        });
        assert.deepEqual(
          history.filter((e) => e.kind === 'state').map((e) => e.toState),
          ['requesting', 'awaiting-extract', 'preparing', 'ready-to-integrate', 'integrated'],
        );
        assert.ok(history.some((e) => e.kind === 'received' && e.interactionId === 'RCMR_IN030000UK06'));
        assert.deepEqual(await listPrintTasks(net.store.db, { practiceOds: B }), []);
      } finally {
        await net.stop();
      }
    });

    test('a second request for a patient with one open is refused with the open one named', async () => {
      const net = await open();
      try {
        const nhs = syntheticNhsNumber(102);
        net.spine.pds.load([testPatient(nhs, B)]);
        await net.seedRecord(B, nhs);
        const first = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
        const second = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
        assert.equal(first.kind, 'requested');
        assert.equal(second.kind, 'refused');
        if (first.kind !== 'requested' || second.kind !== 'refused') return;
        assert.equal(second.reason, 'already-open');
        assert.equal(second.openTransferId, first.transfer.id);
        const both = await Promise.all([
          net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs }),
          net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs }),
        ]);
        assert.ok(both.every((r) => r.kind === 'refused'));
        await net.settleTo(first.transfer.id, 'ready-to-integrate');
      } finally {
        await net.stop();
      }
    });

    test('documents arrive byte-identical, and another practice cannot see the transfer', async () => {
      const net = await open();
      try {
        const nhs = syntheticNhsNumber(103);
        net.spine.pds.load([testPatient(nhs, B)]);
        const seeded = await net.seedRecord(B, nhs, [10_000, 250_000, 1]);
        const asked = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
        assert.equal(asked.kind, 'requested');
        if (asked.kind !== 'requested') return;
        await net.settleTo(asked.transfer.id, 'ready-to-integrate');
        const docs = await listTransferDocuments(net.store.db, {
          practiceOds: A,
          transferId: asked.transfer.id,
        });
        assert.equal(docs.length, 3);
        const hashes = new Set(seeded.documentHashes.values());
        for (const d of docs)
          assert.ok(d.documentId && hashes.has(d.documentId), `${d.filename} is byte-identical`);
        assert.equal(
          await getTransfer(net.store.db, { practiceOds: B, transferId: asked.transfer.id }),
          undefined,
        );
        const elsewhere = await net.engine.commands.integrate({
          practiceOds: B,
          transferId: asked.transfer.id,
          actor: 'x',
        });
        assert.equal(elsewhere.kind, 'refused');
      } finally {
        await net.stop();
      }
    });
  });
}

scenarios('PGlite', () => startTransferNetwork());

const probe = await createTestDatabase();
if (probe.ok) await probe.drop();
scenarios(
  'PostgreSQL',
  async () => {
    const pg = await createTestDatabase();
    if (!pg.ok) throw new Error(pg.skip);
    const net = await startTransferNetwork({ database: { kind: 'postgres', url: pg.url } });
    return { ...net, stop: () => net.stop().finally(() => pg.drop()) };
  },
  probe.ok ? undefined : probe.skip,
);
