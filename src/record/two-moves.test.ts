import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  FhirResource,
  Immunization,
  List,
  MedicationRequest,
  Observation,
  ReferralRequest,
  Resource,
} from 'fhir/r3.js';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import {
  baseResources,
  bundleOf,
  clinicalResources,
  consultation,
  sct,
  sequentialIds,
} from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';
import { notRestated } from './to-hl7/text.ts';

/* One test per defect a patient's second move (A → B → C) showed; fixed-point.test.ts holds the general property. */

function move(bundle: Bundle): { bundle: Bundle; xml: string; warnings: readonly string[] } {
  const out = translateBundleToExtract(bundle, { addressing: TEST_ADDRESS, newId: sequentialIds() });
  return { bundle: translateExtractToBundle(out.xml).bundle, xml: out.xml, warnings: out.warnings };
}

/** The record after one move (at B) and after two (at C). */
function twoMoves(resources: FhirResource[]): { atB: Bundle; atC: Bundle } {
  const atB = move(bundleOf([...baseResources(), ...resources])).bundle;
  return { atB, atC: move(atB).bundle };
}

function all<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

const noteLines = (r: { note?: { text?: string }[] } | undefined) =>
  (r?.note ?? []).flatMap((n) => (n.text ?? '').split('\n'));

test('an allergy sent on keeps one status and one reaction line, not one more per move', () => {
  const allergy = clinicalResources().find(
    (r) => r.resourceType === 'AllergyIntolerance',
  ) as AllergyIntolerance;
  const { atB, atC } = twoMoves([{ ...allergy, note: [{ text: 'Seen in clinic' }] }]);
  const [b] = all<AllergyIntolerance>(atB, 'AllergyIntolerance');
  const [c] = all<AllergyIntolerance>(atC, 'AllergyIntolerance');
  assert.deepEqual(noteLines(b), ['Status: active', 'Reaction: Rash', 'Seen in clinic']);
  assert.deepEqual(noteLines(c), noteLines(b));
  assert.equal(c?.clinicalStatus, 'active');
});

test('a prescription sent on keeps its notes: type and issue count are fields, the NHS prescription no note', () => {
  const resources = clinicalResources().filter(
    (r) => r.resourceType === 'Medication' || r.resourceType === 'MedicationRequest',
  );
  const plan = resources.find((r) => r.id === 'plan-1') as MedicationRequest;
  plan.note = [{ text: 'Review in a month' }];
  const { atB, atC } = twoMoves(resources);
  for (const at of [atB, atC]) {
    const plans = all<MedicationRequest>(at, 'MedicationRequest').filter((r) => r.intent === 'plan');
    assert.deepEqual(plans.map(noteLines), [['Review in a month']]);
    const orders = all<MedicationRequest>(at, 'MedicationRequest').filter((r) => r.intent === 'order');
    assert.deepEqual(orders.map(noteLines), [[]]);
  }
});

test('a problem about an allergy, sent on, keeps one status line among its notes', () => {
  const allergy = clinicalResources().find(
    (r) => r.resourceType === 'AllergyIntolerance',
  ) as AllergyIntolerance;
  const problem: Condition = {
    resourceType: 'Condition',
    id: 'cond-9',
    clinicalStatus: 'active',
    subject: { reference: 'Patient/pat-1' },
    code: sct('195967001', 'Asthma'),
    onsetDateTime: '2015-04-01',
    note: [{ text: 'Well controlled' }],
    extension: [
      {
        url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ProblemSignificance-1',
        valueCode: 'major',
      },
      {
        url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ActualProblem-1',
        valueReference: { reference: 'AllergyIntolerance/allergy-1' },
      },
    ],
  };
  const { atB, atC } = twoMoves([allergy, problem]);
  const [b] = all<Condition>(atB, 'Condition');
  const [c] = all<Condition>(atC, 'Condition');
  assert.deepEqual(noteLines(b), ['Well controlled', 'Active Problem, major']);
  assert.deepEqual(noteLines(c), noteLines(b));
});

test("a reported result's comment stays the result's after two moves", () => {
  const result: Observation = {
    resourceType: 'Observation',
    id: 'lab-9',
    status: 'final',
    code: sct('1000661000000107', 'Serum sodium level'),
    effectiveDateTime: '2021-02-09',
    valueQuantity: { value: 140, unit: 'mmol/L' },
    related: [{ type: 'has-member', target: { reference: 'Observation/note-9' } }],
  };
  const comment: Observation = {
    resourceType: 'Observation',
    id: 'note-9',
    status: 'final',
    code: sct('37331000000100', 'Comment note'),
    effectiveDateTime: '2021-02-10',
    comment: 'Repeat in a week',
  };
  const report = {
    resourceType: 'DiagnosticReport',
    id: 'dr-9',
    status: 'final',
    code: sct('721981007', 'Diagnostic studies report'),
    issued: '2021-02-10T09:00:00+00:00',
    result: [{ reference: 'Observation/lab-9' }],
  } as FhirResource;
  const { atB, atC } = twoMoves([report, result, comment]);
  for (const at of [atB, atC]) {
    const obs = all<Observation>(at, 'Observation');
    const sodium = obs.find((o) => o.code.coding?.[0]?.code === '1000661000000107');
    const note = obs.find((o) => o.comment === 'Repeat in a week');
    assert.ok(sodium && note, 'both come back');
    const linked =
      note.related?.some(
        (r) => r.type === 'derived-from' && r.target.reference === `Observation/${sodium.id}`,
      ) ||
      sodium.related?.some((r) => r.type === 'has-member' && r.target.reference === `Observation/${note.id}`);
    assert.ok(linked, 'the comment is linked to its result');
  }
});

test('an observation over an open period stays a period, not a point, after two moves', () => {
  const ongoing: Observation = {
    resourceType: 'Observation',
    id: 'obs-open',
    status: 'final',
    code: sct('38341003', 'Hypertensive disorder'),
    effectivePeriod: { start: '2019-05-01' },
  };
  const { atB, atC } = twoMoves([ongoing]);
  for (const at of [atB, atC]) {
    const [o] = all<Observation>(at, 'Observation');
    assert.equal(o?.effectiveDateTime, undefined);
    assert.deepEqual(o?.effectivePeriod, { start: '2019-05-01' });
  }
});

test('the term listed first (a Read term before its SNOMED CT mapping) is the text after two moves', () => {
  const bmi = clinicalResources().find((r) => r.id === 'obs-1') as Observation;
  const { atB, atC } = twoMoves([bmi]);
  for (const at of [atB, atC])
    assert.equal(all<Observation>(at, 'Observation')[0]?.code.text, 'Body Mass Index');
});

test('entries filed straight in a topic stay there, and a topic keeps its own record time', () => {
  const [encounter, consult, topic, category] = consultation(
    'enc-9',
    ['Observation/obs-1'],
    ['Observation/comment-1'],
  ) as [FhirResource, List, List, List];
  topic.date = '2021-03-04T10:25:00+00:00';
  const entries = clinicalResources().filter((r) => r.id === 'obs-1' || r.id === 'comment-1');
  const { atB, atC } = twoMoves([encounter, consult, topic, category, ...entries]);
  for (const at of [atB, atC]) {
    const lists = all<List>(at, 'List');
    const topicBack = lists.find((l) => l.title === 'Chest pain');
    assert.equal(topicBack?.date && new Date(topicBack.date).toISOString(), '2021-03-04T10:25:00.000Z');
    const held = (topicBack?.entry ?? []).map((e) => e.item.reference?.split('/')[0]);
    assert.deepEqual(held, ['List', 'Observation'], 'a category, then the comment straight in the topic');
    assert.equal(lists.filter((l) => l.code?.coding?.[0]?.code === '24781000000107').length, 1);
  }
});

test('a problem recorded in a consultation but listed apart comes back recorded in it', () => {
  const [encounter, ...lists] = consultation('enc-9', ['Observation/obs-1']);
  const bmi = clinicalResources().find((r) => r.id === 'obs-1') as Observation;
  const problem: Condition = {
    resourceType: 'Condition',
    id: 'cond-9',
    clinicalStatus: 'active',
    subject: { reference: 'Patient/pat-1' },
    context: { reference: 'Encounter/enc-9' },
    code: sct('60621009', 'Body mass index'),
    extension: [
      {
        url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ActualProblem-1',
        valueReference: { reference: 'Observation/obs-1' },
      },
    ],
  };
  const { atB, atC } = twoMoves([encounter as FhirResource, ...lists, bmi, problem]);
  for (const at of [atB, atC]) {
    const [enc] = all<FhirResource>(at, 'Encounter');
    assert.equal(all<Condition>(at, 'Condition')[0]?.context?.reference, `Encounter/${enc?.id}`);
  }
});

test('a referral recipient known by name only is sent on', () => {
  const referral: ReferralRequest = {
    resourceType: 'ReferralRequest',
    id: 'ref-9',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/pat-1' },
    reasonCode: [sct('183519002', 'Referral to cardiology service')],
    authoredOn: '2021-03-04',
    recipient: [{ display: 'Synthetic Heart Clinic' }],
  };
  const { atB, atC } = twoMoves([referral]);
  for (const at of [atB, atC])
    assert.deepEqual(
      [all<ReferralRequest>(at, 'ReferralRequest')[0]?.recipient ?? []].flat().map((r) => r.display),
      ['Synthetic Heart Clinic'],
    );
});

test('an immunisation with no vaccination procedure says its vaccine is sent as the code', () => {
  const immunization = clinicalResources().find((r) => r.resourceType === 'Immunization') as Immunization;
  const { warnings } = move(bundleOf([...baseResources(), immunization]));
  assert.ok(
    warnings.some((w) => w.includes('no vaccination procedure')),
    warnings.join('\n'),
  );
});

test('notRestated drops exactly the restated lines and is idempotent', () => {
  const line = fc.constantFrom('Status: active', 'Reaction: Rash', 'Seen', 'Type: allergy', '  Seen  ');
  fc.assert(
    fc.property(
      fc.array(line, { maxLength: 3 }),
      fc.array(fc.array(line, { maxLength: 4 }), { maxLength: 3 }),
      (restated, notes) => {
        const texts = notes.map((n) => n.join('\n'));
        const out = notRestated(restated, texts);
        const written = new Set(restated.map((l) => l.trim()));
        for (const note of out) for (const l of note.split('\n')) assert.ok(!written.has(l.trim()), l);
        const kept = texts
          .flatMap((t) => t.split('\n'))
          .filter((l) => l.trim() !== '' && !written.has(l.trim()));
        assert.deepEqual(
          out.flatMap((t) => t.split('\n')).filter((l) => l.trim() !== ''),
          kept,
        );
        assert.deepEqual(notRestated(restated, out), out);
      },
    ),
  );
});
