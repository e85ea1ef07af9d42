import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import { schema } from '../store/index.ts';
import { transferHistory } from './queries.ts';
import { startTransferNetwork, type TransferNetwork, testPatient } from './testing/transfer-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';
const HOUR = 3_600_000;

// The old practice's record source fails for hours: its answer is retried hourly, twelve times.
let net: TransferNetwork;
before(async () => {
  net = await startTransferNetwork({ settings: { stepRetryMs: HOUR, maxStepAttempts: 12 } });
});
after(() => net.stop());

/** A record the practice holds on paper only: its stored Bundle is gone, so the record source is unavailable. */
async function unreadableRecord(nhs: string): Promise<void> {
  net.spine.pds.load([testPatient(nhs, B)]);
  await net.seedRecord(B, nhs);
  const [row] = await net.store.db
    .select()
    .from(schema.patientRecords)
    .where(and(eq(schema.patientRecords.practiceOds, B), eq(schema.patientRecords.nhsNumber, nhs)));
  assert.ok(row && (await net.store.documents.delete(row.bundleDocumentId)));
}

test('a request still unanswered at the end of its working day is flagged; the answer goes on being retried', async () => {
  const nhs = syntheticNhsNumber(701);
  await unreadableRecord(nhs);
  // 09:00 on Monday 5 January 2026: the working day ends at 18:30
  const r = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
  assert.equal(r.kind, 'requested');
  const sending = await net.transferOf(B, 'sending', nhs);
  assert.equal(sending.state, 'request-received');
  await net.clock.advance(10 * HOUR); // 19:00
  const flagged = await net.settleTo(sending.id, 'request-received');
  assert.equal(flagged.details.overdueSince !== undefined, true, 'flagged overdue');
  const history = await transferHistory(net.store.db, { practiceOds: B, transferId: sending.id });
  assert.ok(history.some((e) => e.text === 'not answered by the end of its working day'));
});

test('an answer that keeps failing is given up after its retries: the request is refused with 99, so nobody waits', async () => {
  const nhs = syntheticNhsNumber(702);
  await unreadableRecord(nhs);
  const r = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
  assert.equal(r.kind, 'requested');
  if (r.kind !== 'requested') return;
  const sending = await net.transferOf(B, 'sending', nhs);
  for (let hour = 0; hour < 13; hour++) {
    await net.clock.advance(HOUR);
    await net.engine.settled();
  }
  assert.equal((await net.settleTo(sending.id, 'refused')).reasonCode, '99');
  // The new practice had stopped waiting at A × persistDuration(extract); the refusal still reaches its history.
  await net.settleTo(r.transfer.id, 'failed');
  const history = await transferHistory(net.store.db, { practiceOds: A, transferId: r.transfer.id });
  assert.ok(history.some((e) => e.kind === 'received' && e.reasonCode === '99'));
});
