import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent as HttpsAgent } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { test } from 'node:test';
import { syntheticNhsNumber } from '../../common/nhs-number.ts';
import { DevPki } from '../../spine/certs/dev-pki.ts';
import { spineAgent } from '../../spine/index.ts';
import { testRecordBundle } from '../testing/transfer-network.ts';
import {
  type GpConnectConsumer,
  MIGRATE_DOCUMENT_INTERACTION,
  MIGRATE_STRUCTURED_INTERACTION,
} from './gp-connect-request.ts';
import { GpConnectSource, type GpConnectSourceOptions } from './gp-connect-source.ts';
import { GpConnectTestProvider } from './testing/gp-connect-provider.ts';

const ODS = 'TESTB2';
const consumer: GpConnectConsumer = { ods: ODS, asid: '999000000002', name: 'Simulated practice TESTB2' };

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function withProvider(
  work: (
    provider: GpConnectTestProvider,
    source: (o?: Partial<GpConnectSourceOptions>) => GpConnectSource,
  ) => Promise<void>,
): Promise<void> {
  const provider = await GpConnectTestProvider.start();
  try {
    await work(
      provider,
      (o = {}) =>
        new GpConnectSource({
          url: provider.recordsUrl,
          documentsUrl: provider.documentsUrl,
          consumer,
          ...o,
        }),
    );
  } finally {
    await provider.stop();
  }
}

test('a held patient’s record is found, asked for with the SSP headers, the migration JWT and the Parameters', async () => {
  await withProvider(async (provider, source) => {
    const nhs = syntheticNhsNumber(301);
    provider.addRecord(ODS, testRecordBundle(nhs));
    const found = await source({ providerAsid: '999000000777' }).structuredRecord(ODS, nhs);
    assert.equal(found.kind, 'found');
    if (found.kind !== 'found') return;
    assert.equal(found.bundle.resourceType, 'Bundle');
    assert.deepEqual(provider.rejections, []);
    const [seen] = provider.requests;
    assert.equal(seen?.path, `/${ODS}/STU3/1/gpconnect/fhir/Patient/$gpc.migratestructuredrecord`);
    assert.equal(seen?.headers['ssp-interactionid'], MIGRATE_STRUCTURED_INTERACTION);
    assert.equal(seen?.headers['ssp-from'], consumer.asid);
    assert.equal(seen?.headers['ssp-to'], '999000000777');
    assert.equal(seen?.jwt?.reason_for_request, 'migration');
  });
});

test('a patient the provider does not hold (404 PATIENT_NOT_FOUND) is not held', async () => {
  await withProvider(async (provider, source) => {
    provider.addRecord(ODS, testRecordBundle(syntheticNhsNumber(302)));
    assert.deepEqual(await source().structuredRecord(ODS, syntheticNhsNumber(303)), { kind: 'not-held' });
    assert.deepEqual(provider.rejections, []);
  });
});

test('a provider that fails, answers nonsense, or says nothing leaves the record unavailable, saying why', async () => {
  await withProvider(async (provider, source) => {
    const cases = [
      ['status-500', /HTTP 500 INTERNAL_SERVER_ERROR/],
      ['bad-json', /HTTP 200 with a body that is not JSON/],
      ['not-bundle', /HTTP 200 with a Patient that is not a Bundle/],
      ['silent', /no answer within 200 ms/],
      ['huge', /over the 1048576-byte limit/],
    ] as const;
    for (const [i, [fault, message]] of cases.entries()) {
      const nhs = syntheticNhsNumber(310 + i);
      provider.addRecord(ODS, testRecordBundle(nhs));
      provider.fault(nhs, fault);
      const r = await source({ timeoutMs: 200, maxRecordBytes: 1024 * 1024 }).structuredRecord(ODS, nhs);
      assert.equal(r.kind, 'unavailable', fault);
      if (r.kind === 'unavailable') assert.match(r.message, message, fault);
    }
  });
});

test('a bare 404 (a wrong URL) and a Bundle for another patient are unavailable, never "not held" or found', async () => {
  await withProvider(async (provider, source) => {
    const nhs = syntheticNhsNumber(320);
    provider.addRecord(ODS, testRecordBundle(nhs));
    const wrongUrl = await source({ url: `${provider.origin}/{ods}/wrong` }).structuredRecord(ODS, nhs);
    assert.equal(wrongUrl.kind, 'unavailable');
    const other = syntheticNhsNumber(321);
    provider.addRecord(ODS, testRecordBundle(nhs), other);
    const mixedUp = await source().structuredRecord(ODS, other);
    assert.equal(mixedUp.kind, 'unavailable');
    if (mixedUp.kind === 'unavailable') assert.match(mixedUp.message, /no Patient with NHS number/);
    assert.equal((await source().structuredRecord('TESTZ9', nhs)).kind, 'unavailable', 'another practice');
  });
});

test('documents stream byte-identical, as a GP Connect Binary resource or as raw bytes', async () => {
  await withProvider(async (provider, source) => {
    const bytes = randomBytes(3 * 1024 * 1024 + 7);
    const asBinary = provider.addDocument(ODS, 'doc-binary', bytes);
    const asRaw = provider.addDocument(ODS, 'doc-raw', bytes, { form: 'raw', contentType: 'image/png' });
    const s = source();
    const binary = await s.document(ODS, asBinary);
    assert.ok(binary);
    assert.equal(sha256(await buffer(binary.stream)), sha256(bytes));
    const raw = await s.document(ODS, asRaw);
    assert.ok(raw);
    assert.equal(raw.bytes, bytes.length);
    assert.equal(raw.contentType, 'image/png');
    assert.equal(sha256(await buffer(raw.stream)), sha256(bytes));
    const relative = await s.document(ODS, 'Binary/doc-raw');
    assert.ok(relative, 'a relative reference is read against the documents base');
    assert.equal(sha256(await buffer(relative.stream)), sha256(bytes));
    assert.deepEqual(provider.rejections, []);
    const seen = provider.requests.find((r) => r.path.endsWith('/Binary/doc-binary'));
    assert.equal(seen?.headers['ssp-interactionid'], MIGRATE_DOCUMENT_INTERACTION);
  });
});

test('a document that fails, is missing, or lives on another host is undefined; one cut short fails its stream', async () => {
  await withProvider(async (provider, source) => {
    const bytes = randomBytes(512 * 1024);
    const failing = provider.addDocument(ODS, 'doc-500', bytes, { fault: 'status-500' });
    const s = source();
    assert.equal(await s.document(ODS, failing), undefined);
    assert.equal(
      await s.document(ODS, `${provider.origin}/${ODS}/STU3/1/gpconnect/documents/fhir/Binary/nope`),
      undefined,
    );
    const before = provider.requests.length;
    assert.equal(await s.document(ODS, 'https://elsewhere.invalid/Binary/doc'), undefined);
    assert.equal(provider.requests.length, before, 'nothing is sent to a host the record names');
    for (const form of ['binary', 'raw'] as const) {
      const cut = provider.addDocument(ODS, `doc-cut-${form}`, bytes, { form, fault: 'cut-short' });
      const doc = await s.document(ODS, cut);
      assert.ok(doc, 'the headers came');
      await assert.rejects(buffer(doc.stream), `a ${form} document cut short is never whole`);
    }
  });
});

test('over mutual TLS the practice presents its own certificate', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'gp2gp-gpc-'));
  const pki = DevPki.open({ dir });
  const provider = await GpConnectTestProvider.start({ identity: pki.ephemeralIdentity('gpconnect') });
  const agent = spineAgent(pki.ephemeralIdentity(ODS));
  try {
    const nhs = syntheticNhsNumber(330);
    provider.addRecord(ODS, testRecordBundle(nhs));
    const s = new GpConnectSource({ url: provider.recordsUrl, consumer, agent });
    assert.equal((await s.structuredRecord(ODS, nhs)).kind, 'found');
    assert.equal(provider.requests[0]?.peer, ODS);
    const trustingOnly = new HttpsAgent({ ca: pki.caCertPem });
    const anonymous = new GpConnectSource({ url: provider.recordsUrl, consumer, agent: trustingOnly });
    assert.equal(
      (await anonymous.structuredRecord(ODS, nhs)).kind,
      'unavailable',
      'no certificate, no record',
    );
    trustingOnly.destroy();
  } finally {
    agent.destroy();
    await provider.stop();
    await rm(dir, { recursive: true, force: true });
  }
});
