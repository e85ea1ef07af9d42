import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Condition, FhirResource, Observation } from 'fhir/r3.js';
import { validateXsd, xsdUnavailable } from '../common/testing/xsd.ts';
import { pathologyReport } from './from-hl7/fixtures/pathology-extract.ts';
import { ASTHMA_CODE, observation, syntheticExtract } from './from-hl7/fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { baseResources, bundleOf } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';
import { isApproximate, UNCERTAIN_LINE, VALUE_APPROXIMATION } from './uncertainty.ts';

/* Uncertainty (uncertaintyCode) survives both ways: observations, problems and results. */

const UNCERTAIN =
  '<uncertaintyCode code="U" codeSystem="2.16.840.1.113883.5.1053" displayName="Recorded as uncertain"/>';
const SCT = '2.16.840.1.113883.2.1.3.2.4.15';
const WEIGHT = `<code code="27113001" codeSystem="${SCT}" displayName="Body weight"/>`;
const noXsd = xsdUnavailable();

function byId<T extends FhirResource>(xml: string, id: string): T {
  const found = translateExtractToBundle(xml)
    .bundle.entry?.map((e) => e.resource)
    .find((r) => r?.id === id);
  assert.ok(found, id);
  return found as T;
}

test("an uncertain measurement carries GP Connect's ValueApproximation extension on its quantity", () => {
  const obs = byId<Observation>(
    syntheticExtract({
      consultation: observation('OBS-W', WEIGHT, `${UNCERTAIN}<value xsi:type="PQ" value="72.5" unit="kg"/>`),
    }),
    'OBS-W',
  );
  assert.deepEqual(obs.valueQuantity?.extension, [{ url: VALUE_APPROXIMATION, valueBoolean: true }]);
  assert.equal(obs.comment, undefined);
});

test('an uncertain finding with no quantity says so in its comment', () => {
  const obs = byId<Observation>(
    syntheticExtract({ consultation: observation('OBS-A', ASTHMA_CODE, UNCERTAIN) }),
    'OBS-A',
  );
  assert.equal(obs.comment, UNCERTAIN_LINE);
});

test('a problem whose named statement is uncertain is provisional', () => {
  const linkSet = `<component typeCode="COMP"><LinkSet classCode="OBS" moodCode="EVN"><id root="PROB-1"/>
    <code code="394774009" codeSystem="${SCT}" displayName="Active problem"/><statusCode code="COMPLETE"/>
    <effectiveTime><low value="20230701"/></effectiveTime><availabilityTime value="20230701"/>
    <conditionNamed typeCode="NAME" inversionInd="true"><namedStatementRef classCode="OBS" moodCode="EVN"><id root="OBS-A"/></namedStatementRef></conditionNamed>
  </LinkSet></component>`;
  const xml = syntheticExtract({
    consultation: observation('OBS-A', ASTHMA_CODE, UNCERTAIN),
    nonConsultation: linkSet,
  });
  assert.equal(byId<Condition>(xml, 'PROB-1').verificationStatus, 'provisional');
  const sure = syntheticExtract({
    consultation: observation('OBS-A', ASTHMA_CODE),
    nonConsultation: linkSet,
  });
  assert.equal(byId<Condition>(sure, 'PROB-1').verificationStatus, undefined);
});

test('an uncertain laboratory result keeps its uncertainty', () => {
  const xml = syntheticExtract({ consultation: pathologyReport() }).replace(
    /(<id root="RESULT-HB"\/>[\s\S]*?<availabilityTime[^>]*\/>)/,
    `$1${UNCERTAIN}`,
  );
  assert.ok(isApproximate(byId<Observation>(xml, 'RESULT-HB').valueQuantity));
});

test('FHIR → HL7: approximate quantities, the uncertainty line and provisional problems are written as uncertaintyCode, XSD-valid', {
  skip: noXsd ?? false,
}, () => {
  const approximate: FhirResource = {
    resourceType: 'Observation',
    id: 'obs-1',
    status: 'final',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '27113001' }] },
    subject: { reference: 'Patient/pat-1' },
    effectiveDateTime: '2023-01-01',
    valueQuantity: {
      value: 72.5,
      unit: 'kg',
      system: 'http://unitsofmeasure.org',
      code: 'kg',
      extension: [{ url: VALUE_APPROXIMATION, valueBoolean: true }],
    },
  };
  const finding: FhirResource = {
    resourceType: 'Observation',
    id: 'obs-2',
    status: 'final',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '195967001' }] },
    subject: { reference: 'Patient/pat-1' },
    effectiveDateTime: '2023-01-01',
    comment: `${UNCERTAIN_LINE}\nSeen in clinic`,
  };
  const problem: FhirResource = {
    resourceType: 'Condition',
    id: 'cond-1',
    clinicalStatus: 'active',
    verificationStatus: 'provisional',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003' }] },
    subject: { reference: 'Patient/pat-1' },
    onsetDateTime: '2023-01-01',
  };
  const { xml } = translateBundleToExtract(bundleOf([...baseResources(), approximate, finding, problem]), {
    addressing: TEST_ADDRESS,
  });
  assert.equal(xml.match(/<uncertaintyCode code="U"/g)?.length, 3);
  assert.doesNotMatch(xml, /<text>Recorded as uncertain/);
  const result = validateXsd(xml, 'RCMR_IN030000UK06');
  assert.ok(result.valid, result.valid ? '' : result.errors);
  const back = translateExtractToBundle(xml).bundle.entry?.map((e) => e.resource) ?? [];
  const found = (code: string) =>
    back.find(
      (r) =>
        (r as Observation | Condition | undefined)?.code?.coding?.[0]?.code === code &&
        r?.resourceType !== 'Condition',
    ) as Observation;
  assert.ok(isApproximate(found('27113001').valueQuantity));
  assert.equal(found('195967001').comment, `${UNCERTAIN_LINE}\nSeen in clinic`);
  assert.equal(
    (back.find((r) => r?.resourceType === 'Condition') as Condition).verificationStatus,
    'provisional',
  );
});
