import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AllergyIntolerance, Bundle, Condition, FhirResource, Resource } from 'fhir/r3.js';
import { parseXml } from '../xml/index.ts';
import { syntheticExtract } from './from-hl7/fixtures/synthetic-extract.ts';
import { transformedHeaderOf } from './from-hl7/problem-header.ts';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { baseResources, bundleOf, sct, sequentialIds } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

const CARE_CONNECT = 'https://fhir.hl7.org.uk/STU3/StructureDefinition';

function ofType<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

function headerElement(text: string) {
  return parseXml(header(text)).root;
}

function header(text: string): string {
  return `<ObservationStatement xmlns="urn:hl7-org:v3" classCode="OBS" moodCode="EVN"><id root="H-1"/>
    <code code="55607006" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Problem"/>
    <pertinentInformation typeCode="PERT"><sequenceNumber value="+1"/>
    <pertinentAnnotation classCode="OBS" moodCode="EVN"><text>${text}</text></pertinentAnnotation></pertinentInformation>
  </ObservationStatement>`;
}

test('a transformed problem header is read in the NHS sending adaptor wording and in ours', () => {
  const nhs = transformedHeaderOf(
    headerElement(
      'Problem Info: Problem Notes: Health Admin Problem Transformed AllergyIntolerance problem header Originally coded: Adverse reaction to amoxycillin',
    ),
  );
  assert.deepEqual(nhs, {
    type: 'AllergyIntolerance',
    originallyCoded: 'Adverse reaction to amoxycillin',
    notes: ['Health Admin Problem'],
  });
  const ours = transformedHeaderOf(
    headerElement(
      'Problem Info: Transformed Immunization problem header Originally coded: MMR\nProblem Notes: first\nsecond',
    ),
  );
  assert.deepEqual(ours, { type: 'Immunization', originallyCoded: 'MMR', notes: ['first\nsecond'] });
  assert.equal(transformedHeaderOf(headerElement('Transformed nothing')), undefined);
});

test('a problem whose actual problem is an allergy survives FHIR → HL7 → FHIR: code, notes, links', () => {
  const allergy: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: 'alg-1',
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    category: ['medication'],
    code: sct('292967008', 'Adverse reaction to amoxicillin'),
    patient: { reference: 'Patient/pat-1' },
    assertedDate: '2020-01-02T10:00:00+00:00',
  };
  const condition: Condition = {
    resourceType: 'Condition',
    id: 'cond-1',
    extension: [
      {
        url: `${CARE_CONNECT}/Extension-CareConnect-ActualProblem-1`,
        valueReference: { reference: 'AllergyIntolerance/alg-1' },
      },
      { url: `${CARE_CONNECT}/Extension-CareConnect-ProblemSignificance-1`, valueCode: 'major' },
    ],
    clinicalStatus: 'active',
    verificationStatus: 'confirmed',
    code: { ...sct('292967008', 'Adverse reaction to amoxicillin'), text: 'Amoxicillin reaction' },
    subject: { reference: 'Patient/pat-1' },
    onsetDateTime: '2020-01-02',
    assertedDate: '2020-01-02T10:00:00+00:00',
    note: [{ text: 'Health Admin Problem' }, { text: 'second note' }],
  };
  const resources: FhirResource[] = [...baseResources(), allergy, condition];
  const { xml } = translateBundleToExtract(bundleOf(resources), {
    addressing: TEST_ADDRESS,
    newId: sequentialIds(),
  });
  assert.match(
    xml,
    /Problem Info: Transformed AllergyIntolerance problem header Originally coded: Amoxicillin reaction/,
  );
  const back = translateExtractToBundle(xml).bundle;
  const [problem] = ofType<Condition>(back, 'Condition');
  assert.equal(
    problem?.code?.coding?.[0]?.code,
    '292967008',
    "the Condition's own code travels in the header",
  );
  assert.equal(problem?.code?.text, 'Amoxicillin reaction');
  const actual = problem?.extension?.find((e) => e.url.endsWith('ActualProblem-1'))?.valueReference;
  assert.equal(actual?.reference?.split('/')[0], 'AllergyIntolerance');
  assert.ok(!problem?.extension?.some((e) => e.url.endsWith('RelatedClinicalContent-1')));
  assert.deepEqual(
    problem?.note?.map((n) => n.text),
    ['Health Admin Problem\nsecond note', 'Active Problem, major'],
  );
  assert.equal(ofType(back, 'Observation').length, 0, 'the header makes no Observation');
});

test('an NHS-sent LinkSet naming a transformed header reads as a problem about the linked allergy', () => {
  const allergy = `<component typeCode="COMP"><CompoundStatement classCode="CATEGORY" moodCode="EVN"><id root="ALG-C"/>
    <code code="14L..00" codeSystem="2.16.840.1.113883.2.1.6.2" displayName="H/O: drug allergy"/>
    <statusCode code="COMPLETE"/><effectiveTime><center value="20100114"/></effectiveTime><availabilityTime value="20100114"/>
    <component typeCode="COMP"><ObservationStatement classCode="OBS" moodCode="ENV"><id root="ALG-1"/>
      <code code="292967008" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Adverse reaction to amoxicillin"/>
      <statusCode code="COMPLETE"/><effectiveTime><center value="20100114"/></effectiveTime><availabilityTime value="20100114"/>
    </ObservationStatement></component></CompoundStatement></component>`;
  const linkSet = `<component typeCode="COMP"><LinkSet classCode="OBS" moodCode="EVN"><id root="LS-1"/>
    <code code="394774009" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Active Problem">
      <qualifier inverted="false"><name code="386134007" codeSystem="2.16.840.1.113883.2.1.3.2.4.15"/></qualifier></code>
    <statusCode code="COMPLETE"/><effectiveTime><low value="20100114"/></effectiveTime><availabilityTime value="20100114"/>
    <component typeCode="COMP"><statementRef classCode="OBS" moodCode="EVN"><id root="ALG-1"/></statementRef></component>
    <conditionNamed typeCode="NAME" inversionInd="true"><namedStatementRef classCode="OBS" moodCode="EVN"><id root="H-1"/></namedStatementRef></conditionNamed>
  </LinkSet></component>`;
  const named = `<component typeCode="COMP">${header(
    'Problem Info: Problem Notes: Health Admin Problem Transformed AllergyIntolerance problem header Originally coded: Adverse reaction to amoxicillin',
  ).replace(' xmlns="urn:hl7-org:v3"', '')}</component>`;
  const { bundle } = translateExtractToBundle(
    syntheticExtract({ nonConsultation: allergy + linkSet + named }),
  );
  const [problem] = ofType<Condition>(bundle, 'Condition');
  assert.equal(
    problem?.extension?.find((e) => e.url.endsWith('ActualProblem-1'))?.valueReference?.reference,
    'AllergyIntolerance/ALG-1',
  );
  assert.equal(
    problem?.code?.coding?.[0]?.code,
    '292967008',
    '"Problem" 55607006 gives way to the allergy code',
  );
  assert.ok(problem?.note?.some((n) => n.text === 'Health Admin Problem'));
  assert.ok(!problem?.extension?.some((e) => e.url.endsWith('RelatedClinicalContent-1')));
  assert.equal(ofType(bundle, 'Observation').length, 0);
});
