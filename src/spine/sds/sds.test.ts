import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIsoDuration, parseIsoDuration } from './iso-duration.ts';
import { DEFAULT_RELIABILITY, parseDirectoryConfig } from './sds-config.ts';
import { gp2gpReadiness, reliabilityFor, SdsDirectory } from './sds-directory.ts';

const practice = {
  ods: 'SIMA01',
  name: 'Simulated A',
  supplier: 'SupplierA',
  asid: '999000000001',
  partyKey: 'SIMA01-900001',
  endpoint: 'https://127.0.0.1:9001/reliablemessaging/forwardreliable',
  interactions: { RCMR_IN030000UK06: { persistDuration: 'PT10M', retries: 3, retryInterval: 'PT30S' } },
};

test('ISO 8601 durations as SDS writes them', () => {
  assert.equal(parseIsoDuration('PT4M'), 240);
  assert.equal(parseIsoDuration('PT1H30M'), 5400);
  assert.equal(parseIsoDuration('P1D'), 86_400);
  assert.equal(parseIsoDuration('PT0.5S'), 0.5);
  assert.equal(parseIsoDuration('P1M'), undefined);
  assert.equal(parseIsoDuration('PT'), undefined);
  assert.equal(parseIsoDuration('5 minutes'), undefined);
  assert.equal(formatIsoDuration(5400), 'PT1H30M');
});

test('directory config: defaults fill every GP2GP interaction; overrides apply', () => {
  const r = parseDirectoryConfig({ practices: [practice] });
  assert.ok(r.ok);
  if (!r.ok) return;
  const [e] = r.entries;
  assert.equal(e?.country, 'England');
  assert.equal(e?.gp2gpLive, true);
  assert.deepEqual(e?.interactions.RCMR_IN030000UK06, {
    persistDurationSeconds: 600,
    retries: 3,
    retryIntervalSeconds: 30,
  });
  assert.deepEqual(e?.interactions.RCMR_IN010000UK05, DEFAULT_RELIABILITY);
  assert.deepEqual(
    reliabilityFor(e!, 'urn:nhs:names:services:gp2gp/RCMR_IN030000UK06', DEFAULT_RELIABILITY).retries,
    3,
  );
});

test('directory config: every problem is reported', () => {
  const r = parseDirectoryConfig({
    practices: [
      { ...practice, asid: '12', country: 'France' },
      { ...practice, partyKey: 'OTHER1-900001' },
      practice,
    ],
  });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.ok(r.errors.some((e) => e.includes('asid')));
  assert.ok(r.errors.some((e) => e.includes('country')));
  assert.ok(r.errors.some((e) => e.includes('should start with the ODS code')));
  assert.ok(r.errors.some((e) => e.includes('appears twice')));
});

test('lookups by ODS, party key and ASID; readiness rules', async () => {
  const r = parseDirectoryConfig({
    practices: [
      practice,
      { ...practice, ods: 'SIMW04', partyKey: 'SIMW04-900004', asid: '999000000004', country: 'Wales' },
    ],
  });
  assert.ok(r.ok);
  if (!r.ok) return;
  const dir = new SdsDirectory(r.entries);
  assert.equal((await dir.byPartyKey('SIMA01-900001')).kind, 'found');
  assert.equal((await dir.byAsid('999000000004')).kind, 'found');
  assert.deepEqual(await dir.byOds('NOPE01'), { kind: 'not-found' });
  assert.deepEqual(gp2gpReadiness(dir.odsSync('SIMA01')!), { ready: true });
  assert.deepEqual(gp2gpReadiness(dir.odsSync('SIMW04')!), { ready: false, reason: 'not-england' });
  dir.put({ ...dir.odsSync('SIMA01')!, partyKey: 'SIMA01-900009' });
  assert.equal((await dir.byPartyKey('SIMA01-900001')).kind, 'not-found');
});
