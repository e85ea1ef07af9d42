import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkDigit, isValidNhsNumber, syntheticNhsNumber } from '../../common/nhs-number.ts';
import { samplePatients } from '../simulator/sample-network.ts';
import { fromFhirPatient, toFhirPatient } from './pds-fhir.ts';
import { PdsRegistry } from './pds-registry.ts';

test('NHS numbers: modulus 11 check, and synthetic ones all in the 999 range and valid', () => {
  assert.equal(isValidNhsNumber('9990000018'), true);
  assert.equal(isValidNhsNumber('9990000017'), false);
  assert.equal(isValidNhsNumber('999000001'), false);
  assert.equal(checkDigit('999000002'), 6);
  for (let i = 0; i < 200; i++) {
    const n = syntheticNhsNumber(i);
    assert.ok(n.startsWith('999') && isValidNhsNumber(n), n);
  }
});

test('a planned registration changes nothing until applied, and applies only over an older version', () => {
  const reg = new PdsRegistry();
  reg.load(samplePatients());
  const alys = syntheticNhsNumber(0);
  const [first, rival] = [
    reg.planRegistration(alys, 'SIMB02', '2026-01-05', 1),
    reg.planRegistration(alys, 'SIMC03', '2026-01-05', 1),
  ];
  assert.equal(reg.get(alys)?.registrations.length, 1, 'planning changed nothing');
  assert.ok(first.kind === 'registered' && first.changed && rival.kind === 'registered');
  assert.equal(reg.apply(first.record), true);
  assert.equal(reg.apply(rival.record), false, 'a change from the same version loses');
  assert.equal(reg.get(alys)?.registrations.at(-1)?.ods, 'SIMB02');
  assert.deepEqual(reg.planRegistration(alys, 'SIMB02', '2026-01-06', 2), {
    kind: 'registered',
    record: reg.get(alys),
    changed: false,
  });
});

test('trace: one match, none, or several (never a guess)', () => {
  const reg = new PdsRegistry();
  reg.load(samplePatients());
  const q = {
    family: 'Twin',
    given: 'Dana',
    birthDate: '2001-05-05',
    gender: 'female',
    postalCode: 'LS3 1AB',
  } as const;
  assert.equal(reg.trace(q).kind, 'multiple-matches');
  assert.equal(
    reg.trace({ ...q, family: 'Fairweather', given: 'May', birthDate: '1984-03-12', postalCode: 'LS14AP' })
      .kind,
    'match',
  );
  assert.equal(reg.trace({ ...q, postalCode: 'LS3 1AC' }).kind, 'no-match');
});

test('registration closes the previous one and bumps the version; same practice is a no-op', () => {
  const reg = new PdsRegistry();
  reg.load(samplePatients());
  const nhs = syntheticNhsNumber(0);
  assert.equal(reg.register(nhs, 'SIMB02', '2025-01-01', 2).kind, 'version-mismatch');
  const r = reg.register(nhs, 'SIMB02', '2025-01-01', 1);
  assert.equal(r.kind, 'registered');
  assert.deepEqual(reg.get(nhs)?.registrations, [
    { ods: 'SIMA01', start: '2015-06-01', end: '2025-01-01' },
    { ods: 'SIMB02', start: '2025-01-01' },
  ]);
  assert.equal(reg.register(nhs, 'SIMB02', '2025-01-02', 2).kind, 'registered');
  assert.equal(reg.get(nhs)?.registrations.length, 2);
  assert.equal(reg.register(syntheticNhsNumber(300), 'SIMB02', '2025-01-01', 1).kind, 'not-found');
});

test('FHIR mapping round-trips what a client sees, and redacts restricted patients', () => {
  const [alys, ben] = samplePatients();
  const view = fromFhirPatient(toFhirPatient(alys!));
  assert.equal(view?.generalPractitionerOds, 'SIMA01');
  assert.equal(view?.telecom?.[0]?.value, '01632 960001');
  const fhir = toFhirPatient(ben!);
  assert.equal(fhir.address, undefined);
  assert.equal(fhir.generalPractitioner, undefined);
  assert.equal(fhir.meta?.security?.[0]?.code, 'R');
  assert.equal(fromFhirPatient({ resourceType: 'Bundle' }), undefined);
});

test('loading refuses an invalid NHS number', () => {
  const [p] = samplePatients();
  assert.throws(() => new PdsRegistry().load([{ ...p!, nhsNumber: '1234567890' }]), RangeError);
});
