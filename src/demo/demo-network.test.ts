import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isValidNhsNumber } from '../common/nhs-number.ts';
import { demoNetwork, LARGE_SCAN_BYTES } from './demo-network.ts';

test('the demo network is the same on every call', () => {
  assert.deepEqual(demoNetwork(), demoNetwork());
});

test('three suppliers, one practice not large-message compliant and one not live; only live ones are hosted', () => {
  const { practices } = demoNetwork();
  assert.equal(new Set(practices.map((p) => p.entry.supplier)).size, 3);
  assert.equal(practices.filter((p) => !p.entry.largeMessageCompliant).length, 1);
  assert.deepEqual(
    practices.filter((p) => !p.entry.gp2gpLive).map((p) => p.hosted),
    [false],
  );
  assert.ok(practices.filter((p) => p.entry.gp2gpLive).every((p) => p.hosted));
  assert.equal(new Set(practices.map((p) => p.entry.asid)).size, practices.length);
});

test('every patient has their own valid 999 NHS number and is registered at their practice', () => {
  const { patients, practices } = demoNetwork();
  assert.equal(new Set(patients.map((p) => p.patient.nhsNumber)).size, patients.length);
  for (const p of patients) {
    assert.ok(p.patient.nhsNumber.startsWith('999') && isValidNhsNumber(p.patient.nhsNumber));
    assert.equal(p.patient.registrations.at(-1)?.ods, p.ods);
    assert.ok(practices.some((x) => x.entry.ods === p.ods));
  }
});

test('records stay modest: a few attachments each, and only two with a scan big enough for large messages', () => {
  const { patients } = demoNetwork();
  const large = patients.filter((p) => p.documentSizes.includes(LARGE_SCAN_BYTES));
  assert.equal(large.length, 2);
  for (const p of patients) {
    const small = p.documentSizes.filter((b) => b !== LARGE_SCAN_BYTES);
    assert.ok(small.length >= 2 && small.length <= 5, `${small.length} attachments`);
    assert.ok(small.every((b) => b >= 20_000 && b < 320_000));
  }
});

test('each move takes a patient from the practice they are registered at to another', () => {
  const { moves, patients, practices } = demoNetwork();
  assert.equal(new Set(moves.map((m) => m.nhsNumber)).size, moves.length);
  for (const m of moves) {
    const p = patients.find((x) => x.patient.nhsNumber === m.nhsNumber);
    assert.equal(p?.ods, m.from);
    assert.notEqual(m.to, m.from);
    assert.ok(practices.find((x) => x.entry.ods === m.to)?.hosted, `${m.to} is hosted`);
  }
  // The moves show the refusal for a large record to the practice without large messages, and the paper route.
  const notCompliant = practices.find((p) => !p.entry.largeMessageCompliant)!.entry.ods;
  const notLive = practices.find((p) => !p.entry.gp2gpLive)!.entry.ods;
  const largeTo = moves.find(
    (m) =>
      m.to === notCompliant &&
      patients.find((p) => p.patient.nhsNumber === m.nhsNumber)?.documentSizes.includes(LARGE_SCAN_BYTES),
  );
  assert.ok(largeTo);
  assert.ok(moves.some((m) => m.from === notLive));
});
