import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  Encounter,
  List,
  Medication,
  MedicationRequest,
  Observation,
  ProcedureRequest,
  Reference,
  ReferralRequest,
  Resource,
} from 'fhir/r3.js';
import { DEGRADE_CODES, DEGRADED_TAG } from '../codes/index.ts';
import { ASTHMA_CODE, LOCAL_CODE, observation, syntheticExtract } from './fixtures/synthetic-extract.ts';
import { ExtractError, translateExtractToBundle } from './translate-extract.ts';

function resources<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

test('a consultation becomes Encounter + consultation/topic/category Lists holding the entries', () => {
  const { bundle } = translateExtractToBundle(
    syntheticExtract({ consultation: observation('OBS-1', ASTHMA_CODE) }),
  );
  const [encounter] = resources<Encounter>(bundle, 'Encounter');
  assert.equal(encounter?.id, 'COMP-1');
  assert.equal(encounter?.period?.start, '2023-07-01T09:30:00+00:00', 'BST wall clock read as UTC-1h');
  const lists = resources<List>(bundle, 'List');
  assert.deepEqual(
    lists.map((l) => l.id),
    ['COMP-1-CONS', 'TOPIC-1', 'CAT-1'],
  );
  assert.deepEqual(
    lists[2]?.entry?.map((e) => e.item.reference),
    ['Observation/OBS-1'],
  );
  const [obs] = resources<Observation>(bundle, 'Observation');
  assert.ok(obs, 'the observation is made');
  assert.equal(obs.context?.reference, 'Encounter/COMP-1');
  assert.equal(obs.meta?.tag, undefined);
});

test('an observation with no SNOMED code is degraded, tagged for the worklist, and warned about', () => {
  const { bundle, warnings } = translateExtractToBundle(
    syntheticExtract({ consultation: observation('OBS-2', LOCAL_CODE) }),
  );
  const [obs] = resources<Observation>(bundle, 'Observation');
  assert.equal(obs?.code.coding?.[0]?.code, DEGRADE_CODES['record-entry'].code);
  assert.equal(obs?.code.coding?.[1]?.code, 'EMISTEST1', 'original code kept');
  assert.equal(obs?.code.text, 'Local thing', 'original text kept');
  assert.deepEqual(obs?.meta?.tag, [DEGRADED_TAG]);
  assert.ok(warnings.some((w) => w.includes('OBS-2') && w.includes('degraded')));
});

test('drug and non-drug allergies degrade to their own codes', () => {
  const wrap = (id: string, header: string) =>
    `<component typeCode="COMP"><CompoundStatement classCode="CATEGORY" moodCode="EVN"><id root="${id}-H"/>
      <code code="${header}" codeSystem="2.16.840.1.113883.2.1.6.2"/>${observation(id, LOCAL_CODE)}</CompoundStatement></component>`;
  const { bundle } = translateExtractToBundle(
    syntheticExtract({ nonConsultation: wrap('ALG-1', '14L..00') + wrap('ALG-2', 'SN53.00') }),
  );
  const allergies = resources<AllergyIntolerance>(bundle, 'AllergyIntolerance');
  assert.deepEqual(
    allergies.map((a) => [a.id, a.category?.[0], a.code?.coding?.[0]?.code]),
    [
      ['ALG-1', 'medication', DEGRADE_CODES['drug-allergy'].code],
      ['ALG-2', 'environment', DEGRADE_CODES['non-drug-allergy'].code],
    ],
  );
});

test('plans and referrals degrade to the plan and referral codes', () => {
  const stmt = (kind: string, id: string) =>
    `<component typeCode="COMP"><${kind} classCode="OBS" moodCode="INT"><id root="${id}"/>${LOCAL_CODE}<statusCode code="COMPLETE"/><availabilityTime value="20230701"/></${kind}></component>`;
  const { bundle } = translateExtractToBundle(
    syntheticExtract({ consultation: stmt('PlanStatement', 'PLAN-1') + stmt('RequestStatement', 'REF-1') }),
  );
  assert.equal(
    resources<ProcedureRequest>(bundle, 'ProcedureRequest')[0]?.code?.coding?.[0]?.code,
    DEGRADE_CODES.plan.code,
  );
  assert.equal(
    resources<ReferralRequest>(bundle, 'ReferralRequest')[0]?.reasonCode?.[0]?.coding?.[0]?.code,
    DEGRADE_CODES.referral.code,
  );
});

test('medication: authorise → plan + statement, prescriptions → orders, an acute issued twice gets a second plan', () => {
  const prescribe = (id: string, date: string) =>
    `<component typeCode="COMP"><ehrSupplyPrescribe classCode="SPLY" moodCode="RQO"><id root="${id}"/><availabilityTime value="${date}"/>
      <inFulfillmentOf typeCode="FLFS"><priorMedicationRef moodCode="INT"><id root="AUTH-1"/></priorMedicationRef></inFulfillmentOf></ehrSupplyPrescribe></component>`;
  const med = `<component typeCode="COMP"><MedicationStatement classCode="SBADM" moodCode="INT"><id root="MS-1"/><availabilityTime value="20230701"/>
    <consumable typeCode="CSM"><manufacturedProduct classCode="MANU"><manufacturedMaterial classCode="MMAT" determinerCode="KIND">${LOCAL_CODE}</manufacturedMaterial></manufacturedProduct></consumable>
    <component typeCode="COMP"><ehrSupplyAuthorise classCode="SPLY" moodCode="INT"><id root="AUTH-1"/><statusCode code="COMPLETE"/><availabilityTime value="20230701"/><repeatNumber value="0"/>
      <quantity value="28" unit="1"><translation value="28"><originalText>tablet</originalText></translation></quantity></ehrSupplyAuthorise></component>
    ${prescribe('RX-1', '20230701')}${prescribe('RX-2', '20230801')}
    <pertinentInformation typeCode="PERT"><pertinentMedicationDosage classCode="SBADM" moodCode="RMD"><text>One daily</text></pertinentMedicationDosage></pertinentInformation>
  </MedicationStatement></component>`;
  const { bundle, warnings } = translateExtractToBundle(syntheticExtract({ nonConsultation: med }));
  const requests = resources<MedicationRequest>(bundle, 'MedicationRequest');
  assert.deepEqual(
    requests.map((r) => [
      r.id,
      r.intent,
      (r.basedOn as Reference[] | undefined)?.[0]?.reference ?? r.priorPrescription?.reference ?? '',
    ]),
    [
      ['AUTH-1', 'plan', ''],
      ['RX-2-PLAN', 'plan', 'MedicationRequest/AUTH-1'],
      ['RX-1', 'order', 'MedicationRequest/AUTH-1'],
      ['RX-2', 'order', 'MedicationRequest/RX-2-PLAN'],
    ],
  );
  assert.equal(resources(bundle, 'MedicationStatement').length, 2);
  const [medication] = resources<Medication>(bundle, 'Medication');
  assert.equal(medication?.code?.coding?.[0]?.code, DEGRADE_CODES.medication.code);
  assert.ok(warnings.some((w) => w.includes('Medication')));
});

test('a problem LinkSet becomes a Condition linked to its named statement; a dangling link is warned about', () => {
  const linkSet = `<component typeCode="COMP"><LinkSet classCode="OBS" moodCode="EVN"><id root="PROB-1"/>
    <code code="394774009" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Active problem"><qualifier inverted="false"><name code="386134007" codeSystem="2.16.840.1.113883.2.1.3.2.4.15"/></qualifier></code>
    <effectiveTime><low value="20200101"/></effectiveTime><availabilityTime value="20230702"/>
    <component typeCode="COMP"><statementRef classCode="OBS" moodCode="EVN"><id root="MISSING-1"/></statementRef></component>
    <conditionNamed typeCode="NAME" inversionInd="true"><namedStatementRef classCode="OBS" moodCode="EVN"><id root="OBS-9"/></namedStatementRef></conditionNamed>
  </LinkSet></component>`;
  const { bundle, warnings } = translateExtractToBundle(
    syntheticExtract({ nonConsultation: observation('OBS-9', ASTHMA_CODE) + linkSet }),
  );
  const [condition] = resources<Condition>(bundle, 'Condition');
  assert.equal(condition?.clinicalStatus, 'active');
  assert.equal(condition?.code?.coding?.[1]?.code, '195967001');
  assert.ok(condition?.extension?.some((e) => e.valueReference?.reference === 'Observation/OBS-9'));
  assert.ok(condition?.extension?.some((e) => e.valueCode === 'major'));
  assert.ok(warnings.some((w) => w.includes('MISSING-1')));
});

test('malformed entries are skipped or trimmed with a warning and the rest of the record translates', () => {
  const noId = `<component typeCode="COMP"><ObservationStatement classCode="OBS" moodCode="EVN">${ASTHMA_CODE}</ObservationStatement></component>`;
  const badValue = observation('OBS-4', ASTHMA_CODE, '<value xsi:type="PQ" value="lots" unit="1"/>');
  const unknown = '<component typeCode="COMP"><MysteryStatement/></component>';
  const { bundle, warnings } = translateExtractToBundle(
    syntheticExtract({ consultation: noId + badValue + unknown + observation('OBS-5', ASTHMA_CODE) }),
  );
  assert.deepEqual(
    resources<Observation>(bundle, 'Observation').map((o) => [o.id, o.valueQuantity]),
    [
      ['OBS-4', undefined],
      ['OBS-5', undefined],
    ],
  );
  assert.ok(warnings.some((w) => w.includes('without id')));
  assert.ok(warnings.some((w) => w.includes('not a number')));
  assert.ok(warnings.some((w) => w.includes('MysteryStatement')));
});

test('NOPAT: a confidential statement and a UK07 extract carry meta.security', () => {
  const secret = observation(
    'OBS-6',
    ASTHMA_CODE,
    '<confidentialityCode code="NOPAT" codeSystem="2.16.840.1.113883.4.642.3.47"/>',
  );
  const { bundle } = translateExtractToBundle(
    syntheticExtract({
      consultation: secret + observation('OBS-7', ASTHMA_CODE),
      interaction: 'RCMR_IN030000UK07',
    }),
  );
  const [a, b] = resources<Observation>(bundle, 'Observation');
  assert.equal(a?.meta?.security?.[0]?.code, 'NOPAT');
  assert.ok(b, 'the second observation is made');
  assert.equal(b.meta?.security, undefined);
  assert.equal(bundle.meta?.security?.[0]?.code, 'NOPAT');
});

test('input that is not an extract is refused with an InputError', () => {
  assert.throws(() => translateExtractToBundle('<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"/>'), ExtractError);
  assert.throws(() => translateExtractToBundle('<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>'), ExtractError);
});
