import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { syntheticNhsNumber } from '../../common/nhs-number.ts';
import { spineAgent } from '../http/agents.ts';
import { httpExchange } from '../http/http-io.ts';
import { samplePatients, samplePractices } from '../simulator/sample-network.ts';
import { SpineSimulator } from '../simulator/spine-simulator.ts';
import { tempDir } from '../testing/fixtures.ts';
import { PdsClient } from './pds-client.ts';

describe('PDS client against the simulator (FHIR R4 Patient over mutual TLS)', () => {
  const tmp = tempDir();
  let spine: SpineSimulator;
  let agents: ReturnType<typeof spineAgent>[] = [];
  const clientFor = (ods: string): PdsClient => {
    const agent = spineAgent(spine.identityFor(ods));
    agents.push(agent);
    return new PdsClient({ baseUrl: spine.urls.pds, agent });
  };
  const [alys, ben, cerys, twin1, twin2] = [0, 1, 2, 3, 4].map(syntheticNhsNumber) as [
    string,
    string,
    string,
    string,
    string,
  ];

  before(async () => {
    spine = await SpineSimulator.start({
      dataDir: tmp.dir,
      practices: samplePractices(),
      patients: samplePatients(),
      logFile: false,
    });
  });

  after(async () => {
    for (const a of agents) a.destroy();
    agents = [];
    await spine.stop();
    tmp.remove();
  });

  test('retrieves a patient by NHS number with the registered GP', async () => {
    const r = await clientFor('SIMB02').getPatient(alys);
    assert.equal(r.kind, 'match');
    if (r.kind !== 'match') return;
    assert.equal(r.patient.family, 'Fairweather');
    assert.deepEqual(r.patient.given, ['Alys', 'May']);
    assert.equal(r.patient.generalPractitionerOds, 'SIMA01');
    assert.equal(r.patient.registeredSince, '2015-06-01');
    assert.equal(r.patient.address?.postalCode, 'LS1 4AP');
    assert.equal(r.patient.restricted, false);
  });

  test('an unknown or invalid NHS number is no match or invalid, never a guess', async () => {
    const pds = clientFor('SIMB02');
    assert.deepEqual(await pds.getPatient(syntheticNhsNumber(500)), { kind: 'no-match' });
    assert.equal((await pds.getPatient('9990000019')).kind, 'invalid');
  });

  test('a demographic trace returns the single match, case and spacing aside', async () => {
    const r = await clientFor('SIMB02').trace({
      family: 'fairweather',
      given: 'ALYS',
      birthDate: '1984-03-12',
      gender: 'female',
      postalCode: 'ls14ap',
    });
    assert.equal(r.kind, 'match');
    if (r.kind === 'match') assert.equal(r.patient.nhsNumber, alys);
  });

  test('two candidates is "refine the search", not a match', async () => {
    const r = await clientFor('SIMB02').trace({
      family: 'Twin',
      given: 'Dana',
      birthDate: '2001-05-05',
      gender: 'female',
      postalCode: 'LS3 1AB',
    });
    assert.deepEqual(r, { kind: 'multiple-matches' });
  });

  test('any field off means no match', async () => {
    const pds = clientFor('SIMB02');
    const base = {
      family: 'Fairweather',
      given: 'Alys',
      birthDate: '1984-03-12',
      gender: 'female',
      postalCode: 'LS1 4AP',
    } as const;
    for (const change of [
      { family: 'Fairweathers' },
      { given: 'Alice' },
      { birthDate: '1984-03-13' },
      { gender: 'male' },
      { postalCode: 'LS1 4AQ' },
    ] as const) {
      assert.deepEqual(await pds.trace({ ...base, ...change }), { kind: 'no-match' }, JSON.stringify(change));
    }
  });

  test('a restricted (S-flagged) patient is shown without address, contacts or GP', async () => {
    const byNumber = await clientFor('SIMB02').getPatient(ben);
    assert.equal(byNumber.kind, 'match');
    if (byNumber.kind !== 'match') return;
    assert.equal(byNumber.patient.restricted, true);
    assert.equal(byNumber.patient.address, undefined);
    assert.equal(byNumber.patient.telecom, undefined);
    assert.equal(byNumber.patient.generalPractitionerOds, undefined);
    // still traceable on the hidden postcode, still redacted
    const traced = await clientFor('SIMB02').trace({
      family: 'Okonjo',
      given: 'Ben',
      birthDate: '1971-11-02',
      gender: 'male',
      postalCode: 'LS2 7EW',
    });
    assert.equal(traced.kind, 'match');
    if (traced.kind === 'match') assert.equal(traced.patient.address, undefined);
  });

  test('a deceased patient is found with a date of death and cannot be registered', async () => {
    const pds = clientFor('SIMA01');
    const r = await pds.getPatient(cerys);
    assert.equal(r.kind, 'match');
    if (r.kind !== 'match') return;
    assert.ok(r.patient.deceasedDateTime);
    assert.deepEqual(await pds.register(cerys, 'SIMA01', r.patient.versionId), { kind: 'deceased' });
  });

  test('registration: the new practice becomes the GP and the old one the previous GP', async () => {
    const pds = clientFor('SIMB02');
    const before = await pds.getPatient(twin1);
    assert.equal(before.kind, 'match');
    if (before.kind !== 'match') return;
    assert.equal(before.patient.generalPractitionerOds, 'SIMB02');
    const moved = await clientFor('SIMA01').register(twin1, 'SIMA01', before.patient.versionId, '2025-02-03');
    assert.equal(moved.kind, 'registered');
    if (moved.kind === 'registered') {
      assert.equal(moved.patient.generalPractitionerOds, 'SIMA01');
      assert.equal(moved.patient.versionId, before.patient.versionId + 1);
    }
    const history = await pds.gpHistory(twin1);
    assert.deepEqual(history, {
      kind: 'history',
      registrations: [
        { ods: 'SIMB02', start: '2001-05-20', end: '2025-02-03' },
        { ods: 'SIMA01', start: '2025-02-03' },
      ],
    });
  });

  test('an update based on an old version is refused', async () => {
    // its own patient, moved here: the test depends on no other test's registrations
    const pds = clientFor('SIMC03');
    const traced = await pds.getPatient(twin2);
    assert.equal(traced.kind, 'match');
    if (traced.kind !== 'match') return;
    const old = traced.patient.versionId;
    assert.equal((await pds.register(twin2, 'SIMC03', old)).kind, 'registered');
    const again = await clientFor('SIMB02').register(twin2, 'SIMB02', old);
    assert.deepEqual(again, { kind: 'version-mismatch', currentVersion: old + 1 });
  });

  test('a practice may register a patient only to itself', async () => {
    const r = await clientFor('SIMC03').register(alys, 'SIMB02', 1);
    assert.equal(r.kind, 'forbidden');
  });

  test('a malformed percent-escape in a patient path is a 400 INVALID_RESOURCE_ID, not a 500', async () => {
    const agent = spineAgent(spine.identityFor('SIMB02'));
    agents.push(agent);
    const out = await httpExchange({
      url: new URL(`${spine.urls.pds}/Patient/999%E0%A4%A`),
      method: 'GET',
      agent,
      timeoutMs: 60_000,
    });
    assert.ok(out.ok);
    if (!out.ok) return;
    assert.equal(out.response.status, 400);
    assert.match(out.response.body.toString(), /INVALID_RESOURCE_ID/);
  });

  test('a trace missing a mandatory field is refused', async () => {
    const r = await clientFor('SIMB02').trace({
      family: 'Fairweather',
      given: '',
      birthDate: '1984-03-12',
      gender: 'female',
      postalCode: 'LS1 4AP',
    });
    assert.equal(r.kind, 'invalid');
  });
});
