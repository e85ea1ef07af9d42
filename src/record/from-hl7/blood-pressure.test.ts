import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from 'fhir/r3.js';
import { compound, narrative, observation, syntheticExtract } from './fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './translate-extract.ts';

const SCT = '2.16.840.1.113883.2.1.3.2.4.15';
const PANEL = `<code code="246..00" codeSystem="2.16.840.1.113883.2.1.6.2" displayName="O/E - blood pressure reading"><translation code="163020007" codeSystem="${SCT}"/></code>`;
const SYSTOLIC = `<code code="2469.00" codeSystem="2.16.840.1.113883.2.1.6.2" displayName="O/E - Systolic BP reading"><translation code="163030003" codeSystem="${SCT}"/></code>`;
const DIASTOLIC = `<code code="246A.00" codeSystem="2.16.840.1.113883.2.1.6.2" displayName="O/E - Diastolic BP reading"><translation code="163031004" codeSystem="${SCT}"/></code>`;
const mmHg = (v: number) =>
  `<value xsi:type="PQ" value="${v}" unit="1"><translation value="${v}"><originalText>mmHg</originalText></translation></value>`;
const note = (text: string) =>
  `<pertinentInformation typeCode="PERT"><sequenceNumber value="+1"/><pertinentAnnotation classCode="OBS" moodCode="EVN"><text>${text}</text></pertinentAnnotation></pertinentInformation>`;

function observations(consultation: string) {
  const t = translateExtractToBundle(syntheticExtract({ consultation }));
  return {
    t,
    found: (t.bundle.entry ?? [])
      .map((e) => e.resource)
      .filter((r): r is Observation => r?.resourceType === 'Observation'),
  };
}

test('a blood pressure battery is one Observation with systolic and diastolic components and their notes', () => {
  const { t, found } = observations(
    compound(
      'BP-1',
      'BATTERY',
      PANEL,
      `${observation('SYS-1', SYSTOLIC, `${mmHg(120)}${note('Left arm')}`)}${observation('DIA-1', DIASTOLIC, mmHg(80))}${narrative('BP-NOTE', 'Taken after rest')}`,
    ),
  );
  assert.equal(found.length, 1, 'one measurement, not a header with members');
  const bp = found[0]!;
  assert.equal(bp.id, 'BP-1');
  assert.deepEqual(
    bp.component?.map((c) => [c.id, c.code.coding?.map((x) => x.code), c.valueQuantity?.value]),
    [
      ['SYS-1', ['2469.00', '163030003'], 120],
      ['DIA-1', ['246A.00', '163031004'], 80],
    ],
  );
  assert.equal(bp.comment, 'Left arm\nTaken after rest');
  assert.equal(t.fidelity.mapped, t.fidelity.source);
});

test("a missing measurement's reason and the panel's interpretation go back to their fields", () => {
  const { found } = observations(
    compound(
      'BP-2',
      'BATTERY',
      PANEL,
      `${observation('SYS-2', SYSTOLIC, mmHg(150))}${observation('DIA-2', DIASTOLIC)}${narrative('BP-NOTE-2', 'Diastolic Measurement Absent: Patient refused\nInterpretation: High\nInterpretation(s): High')}`,
    ),
  );
  const bp = found[0]!;
  assert.deepEqual(bp.component?.[1]?.dataAbsentReason, { text: 'Patient refused' });
  assert.deepEqual(bp.interpretation, { text: 'High' });
  assert.equal(bp.comment, undefined);
});

test('a battery coded as a blood pressure holding other measurements is a battery like any other', () => {
  const { found } = observations(
    compound(
      'BP-3',
      'BATTERY',
      PANEL,
      `${observation('SYS-3', SYSTOLIC, mmHg(120))}${observation('DIA-3', DIASTOLIC, mmHg(80))}${observation('PULSE-3', `<code code="364075005" codeSystem="${SCT}" displayName="Heart rate"/>`)}`,
    ),
  );
  assert.equal(found.length, 4);
  const header = found.find((o) => o.id === 'BP-3');
  assert.ok(header, 'the battery header');
  assert.equal(header.component, undefined);
});
