import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eq } from 'drizzle-orm';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import { INTERACTION } from '../hl7/index.ts';
import { compareRoundTrip } from '../record/testing/round-trip-compare.ts';
import { schema } from '../store/index.ts';
import { listTransferDocuments } from './queries.ts';
import { startTransferNetwork, type TransferNetwork, testPatient } from './testing/transfer-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';
const C = 'TESTC3';

let net: TransferNetwork;
before(async () => {
  net = await startTransferNetwork();
});
after(() => net.stop());

/** Moves a patient's record from one practice to another and integrates it there. */
async function move(nhs: string, from: string, to: string): Promise<string> {
  const asked = await net.engine.commands.requestRecord({ practiceOds: to, nhsNumber: nhs, actor: 'clerk' });
  assert.equal(asked.kind, 'requested', JSON.stringify(asked));
  const id = asked.kind === 'requested' ? asked.transfer.id : '';
  await net.settleTo(id, 'ready-to-integrate');
  const done = await net.engine.commands.integrate({ practiceOds: to, transferId: id, actor: 'gp' });
  assert.equal(done.kind, 'done');
  await net.settleTo(id, 'integrated');
  await net.settleTo((await net.transferOf(from, 'sending', nhs)).id, 'completed');
  return id;
}

test('a patient who moves A → B → C arrives at C with every clinical entry A had, documents byte-identical', async () => {
  const nhs = syntheticNhsNumber(601);
  net.spine.pds.load([testPatient(nhs, A)]);
  const seeded = await net.seedRecord(A, nhs, [2_000, 40_000]);
  await move(nhs, A, B);
  const toC = await move(nhs, B, C);

  const atC = await net.engine.context.practiceRecords.structuredRecord(C, nhs);
  assert.equal(atC.kind, 'found');
  if (atC.kind !== 'found') return;
  assert.deepEqual(compareRoundTrip(seeded.bundle, atC.bundle), [], 'no clinical difference after two moves');
  const docs = await listTransferDocuments(net.store.db, { practiceOds: C, transferId: toC });
  assert.deepEqual(
    docs.map((d) => d.documentId).sort(),
    [...seeded.documentHashes.values()].sort(),
    'the documents A held reach C unchanged',
  );
});

test('a record with 100 attachments totalling 50 MB arrives byte-identical (SHA-256)', async () => {
  const nhs = syntheticNhsNumber(602);
  net.spine.pds.load([testPatient(nhs, B)]);
  const seeded = await net.seedRecord(
    B,
    nhs,
    Array.from({ length: 100 }, () => 500_000),
  );
  const asked = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
  assert.equal(asked.kind, 'requested');
  if (asked.kind !== 'requested') return;
  await net.settleTo(asked.transfer.id, 'ready-to-integrate');
  const docs = await listTransferDocuments(net.store.db, { practiceOds: A, transferId: asked.transfer.id });
  assert.equal(docs.length, 100);
  assert.deepEqual(docs.map((d) => d.documentId).sort(), [...seeded.documentHashes.values()].sort());
  assert.equal(
    docs.reduce((n, d) => n + (d.bytes ?? 0), 0),
    50_000_000,
  );
  const inbound = await net.store.db
    .select({
      practice: schema.inboundMessages.practiceOds,
      interaction: schema.inboundMessages.interactionId,
      state: schema.inboundMessages.state,
      error: schema.inboundMessages.error,
    })
    .from(schema.inboundMessages)
    .where(eq(schema.inboundMessages.conversationId, asked.transfer.conversationId));
  const parts = inbound.filter((m) => m.practice === A && m.interaction === INTERACTION.commonContent);
  const partAcks = inbound.filter((m) => m.practice === B && m.interaction === INTERACTION.ack);
  assert.ok(parts.length >= 90, 'the documents came as large-message parts');
  assert.ok(partAcks.length >= parts.length, 'each part was acknowledged to the sender');
  assert.deepEqual(
    inbound.filter((m) => m.state !== 'applied' || m.error !== null),
    [],
    'every message received was applied, the part acknowledgements included, with nothing to note',
  );
});
