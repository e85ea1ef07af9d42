import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import { samplePractice } from '../spine/index.ts';
import { versionOf } from '../spine/pds/pds-registry.ts';
import { listPrintTasks } from './queries.ts';
import { startTransferNetwork, type TransferNetwork, testPatient } from './testing/transfer-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';
const C = 'TESTC3';
/** Cannot take large messages. */
const D = 'TESTD4';

// One network for the file (starting PGlite is the slow part); every test has its own patient and transfers.
let net: TransferNetwork;
before(async () => {
  net = await startTransferNetwork({
    practices: [
      samplePractice(A, 1),
      samplePractice(B, 2),
      samplePractice(C, 3),
      samplePractice(D, 4, { largeMessageCompliant: false }),
    ],
    largeMessages: {
      maxExtractInlineBytes: 4_500_000,
      maxAttachmentInlineBytes: 20_000,
      maxCoreMessageBytes: 4_500_000,
      fragmentBytes: 50_000,
    },
  });
});
after(() => net.stop());

let next = 200;
/** A new patient registered at `ods` on PDS. */
function newPatient(ods: string): string {
  const nhs = syntheticNhsNumber(next++);
  net.spine.pds.load([testPatient(nhs, ods)]);
  return nhs;
}

async function request(from: string, nhs: string): Promise<string> {
  const r = await net.engine.commands.requestRecord({ practiceOds: from, nhsNumber: nhs, actor: 'clerk' });
  assert.equal(r.kind, 'requested', JSON.stringify(r));
  return r.kind === 'requested' ? r.transfer.id : '';
}

describe('the old practice refuses a request it cannot answer, with the reason code', () => {
  test('06 when the patient is not registered there', async () => {
    const nhs = newPatient(B);
    const id = await request(A, nhs);
    const failed = await net.settleTo(id, 'failed');
    assert.equal(failed.reasonCode, '06');
    assert.equal((await net.transferOf(B, 'sending', nhs)).state, 'refused');
  });

  test('19 when PDS says the patient has moved on from the requester meanwhile', async () => {
    const nhs = newPatient(B);
    await net.seedRecord(B, nhs);
    const id = await request(A, nhs);
    const moved = net.spine.pds.register(nhs, C, '2026-01-05', versionOf(net.spine.pds.get(nhs)!));
    assert.equal(moved.kind, 'registered', 'PDS now names another practice');
    const failed = await net.settleTo(id, 'failed');
    assert.equal(failed.reasonCode, '19');
  });

  test('07 when GP2GP is switched off at the old practice', async () => {
    const nhs = newPatient(C);
    await net.seedRecord(C, nhs);
    await net.engine.commands.updatePracticeSettings(C, { gp2gpEnabled: false });
    try {
      const id = await request(A, nhs);
      assert.equal((await net.settleTo(id, 'failed')).reasonCode, '07');
    } finally {
      await net.engine.commands.updatePracticeSettings(C, { gp2gpEnabled: true });
    }
  });

  test('14 when the record needs large messages and the requester cannot take them', async () => {
    const nhs = newPatient(B);
    await net.seedRecord(B, nhs, [30_000]);
    const id = await request(D, nhs);
    assert.equal((await net.settleTo(id, 'failed')).reasonCode, '14');
  });

  test('a small record still goes to a practice that cannot take large messages', async () => {
    const nhs = newPatient(B);
    await net.seedRecord(B, nhs, [5_000]);
    const id = await request(D, nhs);
    await net.settleTo(id, 'ready-to-integrate');
  });

  test('23 when the record needs large messages and the old practice cannot send them', async () => {
    const nhs = newPatient(C);
    await net.seedRecord(C, nhs, [30_000]);
    await net.engine.commands.updatePracticeSettings(C, { largeMessageCompliant: false });
    try {
      const id = await request(A, nhs);
      assert.equal((await net.settleTo(id, 'failed')).reasonCode, '23');
    } finally {
      await net.engine.commands.updatePracticeSettings(C, { largeMessageCompliant: true });
    }
  });
});

describe('the new practice decides: integrate, or reject with the acknowledgement its reason calls for', () => {
  async function ready(from: string, to: string, sizes: number[] = []) {
    const nhs = newPatient(from);
    await net.seedRecord(from, nhs, sizes);
    const id = await request(to, nhs);
    await net.settleTo(id, 'ready-to-integrate');
    return { nhs, id, sending: (await net.transferOf(from, 'sending', nhs)).id };
  }

  test('wrong patient (28) ends both transfers, and the old practice must print the whole record', async () => {
    const t = await ready(B, A);
    const r = await net.engine.commands.reject(
      { practiceOds: A, transferId: t.id, actor: 'gp' },
      'wrong-patient',
    );
    assert.equal(r.kind, 'done');
    assert.equal((await net.settleTo(t.id, 'rejected')).reasonCode, '28');
    assert.equal((await net.settleTo(t.sending, 'failed')).reasonCode, '28');
    const tasks = (await listPrintTasks(net.store.db, { practiceOds: B })).filter(
      (p) => p.transferId === t.sending,
    );
    assert.deepEqual(
      tasks.map((p) => p.kind),
      ['whole-record'],
    );
    const posted = await net.engine.commands.markLloydGeorgePosted({
      practiceOds: B,
      transferId: t.sending,
      actor: 'admin',
    });
    assert.equal(posted.kind, 'done');
    assert.equal(
      (await listPrintTasks(net.store.db, { practiceOds: B })).filter((p) => p.transferId === t.sending)
        .length,
      0,
    );
    const again = await net.engine.commands.markLloydGeorgePosted({
      practiceOds: B,
      transferId: t.sending,
      actor: 'admin',
    });
    assert.equal(again.kind, 'refused');
  });

  test('failed to integrate (11)', async () => {
    const t = await ready(B, A);
    await net.engine.commands.reject(
      { practiceOds: A, transferId: t.id, actor: 'gp' },
      'failed-to-integrate',
    );
    assert.equal((await net.settleTo(t.id, 'rejected')).reasonCode, '11');
    assert.equal((await net.settleTo(t.sending, 'failed')).reasonCode, '11');
  });

  test('only a returning patient’s record can be suppressed', async () => {
    const t = await ready(B, A);
    const r = await net.engine.commands.reject(
      { practiceOds: A, transferId: t.id, actor: 'gp' },
      'suppressed',
    );
    assert.equal(r.kind, 'refused');
    await net.settleTo(t.id, 'ready-to-integrate');
  });

  /** A patient whose record moved A → B and who now returns to A: the transfer back, ready at A. */
  async function returning(): Promise<{ nhs: string; back: string }> {
    const nhs = newPatient(A);
    await net.seedRecord(A, nhs);
    const toB = await request(B, nhs);
    await net.settleTo(toB, 'ready-to-integrate');
    await net.engine.commands.integrate({ practiceOds: B, transferId: toB, actor: 'gp' });
    await net.settleTo(toB, 'integrated');
    const back = await request(A, nhs);
    await net.settleTo(back, 'ready-to-integrate');
    return { nhs, back };
  }

  test('a returning patient’s record that is not theirs is rejected with 17, not 28', async () => {
    const { nhs, back } = await returning();
    await net.engine.commands.reject({ practiceOds: A, transferId: back, actor: 'gp' }, 'wrong-patient');
    assert.equal((await net.settleTo(back, 'rejected')).reasonCode, '17');
    assert.equal(
      (await net.settleTo((await net.transferOf(B, 'sending', nhs)).id, 'failed')).reasonCode,
      '17',
    );
  });

  test('a patient returning A → B → A: the record kept suppressed (15) counts as success', async () => {
    const { nhs, back } = await returning();
    await net.settleTo(back, 'ready-to-integrate');
    const r = await net.engine.commands.reject(
      { practiceOds: A, transferId: back, actor: 'gp' },
      'suppressed',
    );
    assert.equal(r.kind, 'done');
    assert.equal((await net.settleTo(back, 'suppressed')).reasonCode, '15');
    await net.settleTo((await net.transferOf(B, 'sending', nhs)).id, 'completed');
  });

  test('a practice cannot act on another practice’s transfer, or on one not ready', async () => {
    const t = await ready(B, A);
    const other = await net.engine.commands.integrate({ practiceOds: C, transferId: t.id, actor: 'gp' });
    assert.deepEqual(other.kind === 'refused' && other.reason, 'not-found');
    await net.engine.commands.integrate({ practiceOds: A, transferId: t.id, actor: 'gp' });
    const twice = await net.engine.commands.integrate({ practiceOds: A, transferId: t.id, actor: 'gp' });
    assert.deepEqual(twice.kind === 'refused' && twice.reason, 'wrong-state');
    await net.settleTo(t.id, 'integrated');
  });

  test('a record with large-message parts (fragments) arrives whole and completes', async () => {
    const t = await ready(B, A, [120_000, 30_000, 3_000]);
    await net.engine.commands.integrate({ practiceOds: A, transferId: t.id, actor: 'gp' });
    await net.settleTo(t.id, 'integrated');
    await net.settleTo(t.sending, 'completed');
  });
});
