import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, Condition, FhirResource, Observation, ReferralRequest } from 'fhir/r3.js';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { translateBundleToExtract } from '../to-hl7/index.ts';
import { baseResources, bundleOf } from '../to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../to-hl7/testing/test-address.ts';
import { ASTHMA_CODE, observation, syntheticExtract } from './fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './translate-extract.ts';

/*
 * No invented problems (a LinkSet is a problem only when it says so; one tying a request to its letters is the
 * referral's supporting information; a self-referral is an Observation) and referrals keep what they say
 * (priority text, the recipient named by responsibleParty, the action date).
 */

const SCT = '2.16.840.1.113883.2.1.3.2.4.15';
const noXsd = xsdUnavailable();
const REFERRAL_CODE = `<code code="183519002" codeSystem="${SCT}" displayName="Referral to cardiology service"/>`;

function request(id: string, extra = '', code = REFERRAL_CODE): string {
  return `<component typeCode="COMP"><RequestStatement classCode="OBS" moodCode="RQO"><id root="${id}"/>${code}
    <text>Chest pain on exertion</text><statusCode code="COMPLETE"/>${extra}
    <availabilityTime value="20230701"/>
    <Participant typeCode="AUT" contextControlCode="OP"><agentRef classCode="AGNT"><id root="AGENT-1"/></agentRef></Participant>
  </RequestStatement></component>`;
}

function letter(id: string): string {
  return `<component typeCode="COMP"><NarrativeStatement classCode="OBS" moodCode="EVN"><id root="${id}"/>
    <text>Referral letter</text><statusCode code="COMPLETE"/><availabilityTime value="20230701"/>
    <reference typeCode="REFR"><referredToExternalDocument classCode="DOC" moodCode="EVN"><id root="${id}-DOC"/>
      <code code="823691000000103" codeSystem="${SCT}" displayName="Clinical letter"/>
      <text mediaType="application/pdf"><reference value="file://localhost/${id}.pdf"/></text>
    </referredToExternalDocument></reference></NarrativeStatement></component>`;
}

function linkSet(id: string, code: string, links: readonly string[], named?: string): string {
  return `<component typeCode="COMP"><LinkSet classCode="OBS" moodCode="EVN"><id root="${id}"/>${code}
    <statusCode code="COMPLETE"/><effectiveTime><center nullFlavor="UNK"/></effectiveTime><availabilityTime value="20230701"/>
    ${links.map((l) => `<component typeCode="COMP"><statementRef classCode="OBS" moodCode="EVN"><id root="${l}"/></statementRef></component>`).join('')}
    ${named ? `<conditionNamed typeCode="NAME" inversionInd="true"><namedStatementRef classCode="OBS" moodCode="EVN"><id root="${named}"/></namedStatementRef></conditionNamed>` : ''}
  </LinkSet></component>`;
}

const UNSPECIFIED = `<code code="394776006" codeSystem="${SCT}" displayName="Unspecified problem"/>`;

function resources(bundle: Bundle): FhirResource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));
}

function ofType<T extends FhirResource>(bundle: Bundle, type: T['resourceType']): T[] {
  return resources(bundle).filter((r): r is T => r.resourceType === type);
}

test("a LinkSet naming a request and linking letters is the referral's supporting information, not a problem", () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      consultation: `${request('REQ-1')}${letter('LETTER-1')}`,
      nonConsultation: linkSet('LINK-1', UNSPECIFIED, ['LETTER-1'], 'REQ-1'),
    }),
  );
  assert.equal(ofType(t.bundle, 'Condition').length, 0, 'no invented problem');
  const [referral] = ofType<ReferralRequest>(t.bundle, 'ReferralRequest');
  assert.ok(referral);
  assert.deepEqual(referral.supportingInfo, [{ reference: 'DocumentReference/LETTER-1-DOC' }]);
  assert.equal(t.fidelity.mapped, t.fidelity.source, JSON.stringify(t.fidelity));
});

test('a LinkSet naming no problem and coded as none is no Condition; what it links is still translated', () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      consultation: observation('OBS-1', ASTHMA_CODE),
      nonConsultation: linkSet(
        'LINK-2',
        `<code code="1234561000000107" codeSystem="${SCT}" displayName="Related"/>`,
        ['OBS-1'],
      ),
    }),
  );
  assert.equal(ofType(t.bundle, 'Condition').length, 0);
  assert.ok(resources(t.bundle).some((r) => r.id === 'OBS-1'));
  assert.deepEqual(
    t.fidelity.skippedBy.map((r) => [r.reason, r.ids]),
    [['links without a problem', ['LINK-2']]],
  );
});

test('a LinkSet coded "unspecified problem" naming an observation is still a problem', () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      consultation: observation('OBS-1', ASTHMA_CODE),
      nonConsultation: linkSet('LINK-3', UNSPECIFIED, [], 'OBS-1'),
    }),
  );
  const [condition] = ofType<Condition>(t.bundle, 'Condition');
  assert.equal(condition?.id, 'LINK-3');
  assert.equal(condition?.code?.text, 'Asthma');
});

test('a self-referral is an Observation of what the patient referred themselves for, with no practice requester', () => {
  const selfCode = `<code code="183519002" codeSystem="${SCT}" displayName="Referral to cardiology service"><qualifier inverted="false"><value code="SelfReferral"/></qualifier></code>`;
  const t = translateExtractToBundle(syntheticExtract({ consultation: request('REQ-SELF', '', selfCode) }));
  assert.equal(ofType(t.bundle, 'ReferralRequest').length, 0);
  const obs = resources(t.bundle).find((r) => r.id === 'REQ-SELF') as Observation | undefined;
  assert.equal(obs?.resourceType, 'Observation');
  assert.equal(obs?.code.coding?.[0]?.code, '183519002');
  assert.equal(obs?.comment, 'Chest pain on exertion');
  assert.equal(t.fidelity.mapped, t.fidelity.source);
});

test('a referral keeps its priority text, the recipient responsibleParty names and its action date', () => {
  const agents = `<part typeCode="PART"><Agent classCode="AGNT"><id root="AGENT-CARDIO"/>
    <agentOrganization classCode="ORG" determinerCode="INSTANCE"><name>Cardiology Department</name></agentOrganization></Agent></part>`;
  const extra = `<effectiveTime><center value="20230715"/></effectiveTime>
    <priorityCode code="394849002" codeSystem="${SCT}" displayName="High"><originalText>Two week wait</originalText></priorityCode>
    <responsibleParty typeCode="RESP"><agentRef classCode="AGNT"><id root="AGENT-CARDIO"/></agentRef></responsibleParty>`;
  const t = translateExtractToBundle(syntheticExtract({ consultation: request('REQ-2', extra), agents }));
  const [referral] = ofType<ReferralRequest>(t.bundle, 'ReferralRequest');
  assert.ok(referral);
  assert.equal(referral.priority, 'urgent');
  assert.deepEqual(
    referral.note?.map((n) => n.text),
    ['Priority: Two week wait', 'Chest pain on exertion'],
  );
  assert.deepEqual(referral.recipient, [
    { reference: 'Organization/AGENT-CARDIO', display: 'Cardiology Department' },
  ]);
  assert.equal(referral.occurrenceDateTime, '2023-07-15');
  assert.equal(referral.authoredOn, '2023-07-01');
});

test('FHIR → HL7: supporting letters become a LinkSet naming the request; a patient-requested referral is a self-referral', {
  skip: noXsd ?? false,
}, () => {
  const referral: FhirResource = {
    resourceType: 'ReferralRequest',
    id: 'ref-1',
    status: 'active',
    intent: 'order',
    subject: { reference: 'Patient/pat-1' },
    reasonCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '183519002' }] }],
    authoredOn: '2023-07-01',
    occurrenceDateTime: '2023-07-15',
    supportingInfo: [{ reference: 'DocumentReference/doc-1' }],
  };
  const document: FhirResource = {
    resourceType: 'DocumentReference',
    id: 'doc-1',
    status: 'current',
    type: { text: 'Referral letter' },
    subject: { reference: 'Patient/pat-1' },
    indexed: '2023-07-01T09:00:00+00:00',
    content: [
      { attachment: { contentType: 'application/pdf', url: 'https://example.invalid/Binary/doc-1' } },
    ],
  };
  const selfReferral: FhirResource = {
    ...referral,
    id: 'ref-self',
    requester: { agent: { reference: 'Patient/pat-1' } },
    supportingInfo: [],
  };
  const { xml } = translateBundleToExtract(bundleOf([...baseResources(), referral, document, selfReferral]), {
    addressing: TEST_ADDRESS,
  });
  const result = validateXsd(xml, 'RCMR_IN030000UK06');
  assert.ok(result.valid, result.valid ? '' : result.errors);
  assert.match(xml, /<LinkSet[^>]*>\s*<id[^>]*\/>\s*<code code="394776006"/);
  assert.match(xml, /<qualifier inverted="false">\s*<value code="SelfReferral"\/>/);
  const back = translateExtractToBundle(xml).bundle;
  const referrals = ofType<ReferralRequest>(back, 'ReferralRequest');
  assert.equal(referrals.length, 1);
  assert.equal(referrals[0]?.supportingInfo?.[0]?.reference?.startsWith('DocumentReference/'), true);
  assert.equal(referrals[0]?.occurrenceDateTime, '2023-07-15');
  assert.equal(ofType(back, 'Condition').length, 0);
  assert.ok(ofType<Observation>(back, 'Observation').some((o) => o.code.coding?.[0]?.code === '183519002'));
});
