import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, Condition, MedicationRequest, Observation, Resource } from 'fhir/r3.js';
import { DEGRADED_TAG } from '../record/codes/index.ts';
import { syntheticBundle } from '../record/to-hl7/testing/synthetic-bundle.ts';
import type { StaffMember } from './accounts.ts';
import { applyDecision } from './worklist-decisions.ts';
import { worklistEntries } from './worklists.ts';

const by: StaffMember = {
  id: 'x',
  practiceOds: 'TESTA1',
  username: 'gp',
  displayName: 'Dr Test',
  role: 'clinician',
};
const at = new Date('2026-01-05T10:00:00Z');

/** The synthetic record with its Read-coded observation marked degraded, as the translator marks it. */
function record(): Bundle {
  const bundle = syntheticBundle();
  const obs = resource<Observation>(bundle, 'Observation', 'obs-degraded');
  obs.meta = { tag: [{ ...DEGRADED_TAG }] };
  return bundle;
}

function resource<T extends Resource>(bundle: Bundle, type: string, id: string): T {
  const r = bundle.entry?.find((e) => e.resource?.resourceType === type && e.resource.id === id)?.resource;
  assert.ok(r, `${type}/${id}`);
  return r as unknown as T;
}

test('the worklists take each degraded entry and each active medication plan, nothing else', () => {
  const entries = worklistEntries(record());
  assert.deepEqual(
    entries.map((e) => `${e.kind} ${e.resourceType}/${e.resourceId}`),
    ['degrade Observation/obs-degraded', 'medication MedicationRequest/plan-1'],
  );
  assert.equal(entries[0]!.summary.originalCodes, 'Read v2 XaBcD (Local only finding)');
  assert.equal(entries[1]!.summary.drug, 'Paracetamol 500mg tablets');
});

test('a recode puts the SNOMED CT concept first, keeps the sender’s code and drops the degrade tag', () => {
  const before = record();
  const after = applyDecision(
    before,
    { resourceType: 'Observation', resourceId: 'obs-degraded' },
    { kind: 'recode', code: '60621009', display: 'Body mass index' },
    by,
    'TESTA1',
    at,
  );
  assert.ok(typeof after !== 'string');
  const obs = resource<Observation>(after, 'Observation', 'obs-degraded');
  assert.deepEqual(
    obs.code.coding?.map((c) => c.code),
    ['60621009', 'XaBcD'],
  );
  assert.equal(obs.meta?.tag, undefined);
  assert.ok(
    resource<Observation>(before, 'Observation', 'obs-degraded').meta?.tag,
    'the input is not changed',
  );
});

test('a removal takes the entry and every list reference to it out of the record', () => {
  const after = applyDecision(
    record(),
    { resourceType: 'Observation', resourceId: 'obs-1' },
    { kind: 'remove' },
    by,
    'TESTA1',
    at,
  );
  assert.ok(typeof after !== 'string');
  const text = JSON.stringify(after);
  assert.doesNotMatch(text, /Observation\/obs-1"/);
  assert.equal(
    after.entry?.some((e) => e.resource?.id === 'obs-1'),
    false,
  );
});

test('authorising adds a new active repeat here and completes the old plan; ending stops it with the reason', () => {
  const authorised = applyDecision(
    record(),
    { resourceType: 'MedicationRequest', resourceId: 'plan-1' },
    { kind: 'authorise' },
    by,
    'TESTA1',
    at,
  );
  assert.ok(typeof authorised !== 'string');
  const plans = (authorised.entry ?? [])
    .map((e) => e.resource)
    .filter(
      (r): r is MedicationRequest =>
        r?.resourceType === 'MedicationRequest' && (r as MedicationRequest).intent === 'plan',
    );
  assert.deepEqual(
    plans.map((p) => p.status),
    ['completed', 'active'],
  );
  assert.equal(plans[1]!.authoredOn, at.toISOString());
  assert.match(JSON.stringify(plans[1]!.extension), /"code":"repeat"/);

  const ended = applyDecision(
    record(),
    { resourceType: 'MedicationRequest', resourceId: 'plan-1' },
    { kind: 'end', reason: 'no longer needed' },
    by,
    'TESTA1',
    at,
  );
  assert.ok(typeof ended !== 'string');
  const plan = resource<MedicationRequest>(ended, 'MedicationRequest', 'plan-1');
  assert.equal(plan.status, 'stopped');
  assert.match(plan.note?.at(-1)?.text ?? '', /no longer needed/);
});

test('a decision on an entry that is gone, or of the wrong kind, is refused with a reason', () => {
  const gone = applyDecision(
    record(),
    { resourceType: 'Observation', resourceId: 'nope' },
    { kind: 'remove' },
    by,
    'TESTA1',
    at,
  );
  assert.equal(gone, 'The entry is no longer in the stored record');
  const wrong = applyDecision(
    record(),
    { resourceType: 'Condition', resourceId: 'cond-1' },
    { kind: 'authorise' },
    by,
    'TESTA1',
    at,
  );
  assert.equal(wrong, 'This entry is not a medication plan');
  assert.ok(resource<Condition>(record(), 'Condition', 'cond-1'));
});
