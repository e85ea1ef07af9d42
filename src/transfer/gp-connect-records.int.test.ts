import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import { DevPki } from '../spine/certs/dev-pki.ts';
import { spineAgent } from '../spine/index.ts';
import { listTransferDocuments } from './queries.ts';
import { GpConnectSource } from './records/gp-connect-source.ts';
import type { RecordSourceChoice } from './records/record-source-choice.ts';
import { GpConnectTestProvider } from './records/testing/gp-connect-provider.ts';
import {
  startTransferNetwork,
  type TransferNetwork,
  testDocument,
  testPatient,
  testRecordBundle,
} from './testing/transfer-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';

/**
 * A network whose practice B keeps its records in a clinical system answering GP Connect over mutual TLS (its
 * own PKI, not Spine's); A stays on the built-in store.
 */
async function withClinicalSystem(
  work: (net: TransferNetwork, provider: GpConnectTestProvider) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gp2gp-gpc-net-'));
  const pki = DevPki.open({ dir });
  const provider = await GpConnectTestProvider.start({ identity: pki.ephemeralIdentity('gpconnect') });
  const agents: HttpsAgent[] = [];
  const records: RecordSourceChoice = (practice, endpointUrl) => {
    if (practice.ods !== B) return undefined;
    const agent = spineAgent(pki.ephemeralIdentity(practice.ods)) as HttpsAgent;
    agents.push(agent);
    return new GpConnectSource({
      url: provider.recordsUrl,
      documentsUrl: provider.documentsUrl,
      consumer: {
        ods: practice.ods,
        asid: practice.asid,
        name: practice.name,
        ...(endpointUrl ? { endpointUrl } : {}),
      },
      agent,
    });
  };
  const net = await startTransferNetwork({ records });
  try {
    await work(net, provider);
  } finally {
    await net.stop();
    for (const a of agents) a.destroy();
    await provider.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

test('a record held in a GP Connect clinical system reaches the new practice with its documents byte-identical', async () => {
  await withClinicalSystem(async (net, provider) => {
    const nhs = syntheticNhsNumber(401);
    net.spine.pds.load([testPatient(nhs, B)]);
    const letter = randomBytes(300_000);
    const scan = randomBytes(40_000);
    const failing = randomBytes(5_000);
    const bundle = testRecordBundle(nhs, [
      testDocument('dr-1', 'letter-1.pdf', provider.addDocument(B, 'bin-1', letter), letter.length),
      testDocument(
        'dr-2',
        'scan-2.pdf',
        provider.addDocument(B, 'bin-2', scan, { form: 'raw' }),
        scan.length,
      ),
      testDocument(
        'dr-3',
        'letter-3.pdf',
        provider.addDocument(B, 'bin-3', failing, { fault: 'status-500' }),
        failing.length,
      ),
    ]);
    provider.addRecord(B, bundle);
    assert.equal(
      (await net.engine.context.practiceRecords.structuredRecord(B, nhs)).kind,
      'not-held',
      'the record is only in the clinical system',
    );

    const asked = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
    assert.equal(asked.kind, 'requested');
    if (asked.kind !== 'requested') return;
    await net.settleTo(asked.transfer.id, 'ready-to-integrate');

    const received = await listTransferDocuments(net.store.db, {
      practiceOds: A,
      transferId: asked.transfer.id,
    });
    const hashes = received.filter((d) => d.absentReason === null).map((d) => d.documentId);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    assert.deepEqual(new Set(hashes), new Set([sha(letter), sha(scan)]), 'both documents arrive whole');
    const absent = received.filter((d) => d.absentReason !== null);
    assert.equal(absent.length, 1, 'the document the provider failed on arrives as a placeholder');
    assert.match(absent[0]!.filename, /^AbsentAttachment.*\.txt$/);

    assert.deepEqual(provider.rejections, [], 'every request kept GP Connect’s rules');
    assert.ok(provider.requests.length >= 4, 'the record and its three documents were asked for');
    assert.ok(
      provider.requests.every((r) => r.peer === B),
      'always with B’s own certificate',
    );
  });
});

test('a patient the clinical system does not hold is refused with 06', async () => {
  await withClinicalSystem(async (net) => {
    const nhs = syntheticNhsNumber(402);
    net.spine.pds.load([testPatient(nhs, B)]);
    const asked = await net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs });
    assert.equal(asked.kind, 'requested');
    if (asked.kind !== 'requested') return;
    const failed = await net.settleTo(asked.transfer.id, 'failed');
    assert.equal(failed.reasonCode, '06');
  });
});
