import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, Organization, PractitionerRole, Resource } from 'fhir/r3.js';
import { translateBundleToExtract } from '../to-hl7/index.ts';
import { baseResources, bundleOf, sequentialIds } from '../to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../to-hl7/testing/test-address.ts';
import { syntheticExtract } from './fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './translate-extract.ts';

function ofType<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

const SCT = '2.16.840.1.113883.2.1.3.2.4.15';
const PRACTICE = `<part typeCode="PART"><Agent classCode="AGNT"><id root="ORG-AGENT"/>
  <code nullFlavor="UNK"><originalText>GP Practice</originalText></code>
  <agentOrganization classCode="ORG" determinerCode="INSTANCE"><id root="2.16.840.1.113883.2.1.4.3" extension="X99001"/>
    <name>Synthetic Surgery</name><telecom value="tel:0000000000" use="WP"/>
    <addr use="WP"><streetAddressLine>1 Test Street</streetAddressLine><postalCode>ZZ99 9ZZ</postalCode></addr>
  </agentOrganization></Agent></part>`;
const NURSE = `<part typeCode="PART"><Agent classCode="AGNT"><id root="NURSE-1"/>
  <code code="309294001" codeSystem="${SCT}" displayName="Practice nurse"/>
  <agentPerson classCode="PSN" determinerCode="INSTANCE"><name><given>Sam</given><family>Testnurse</family></name></agentPerson>
  <representedOrganization classCode="ORG" determinerCode="INSTANCE"><id root="2.16.840.1.113883.2.1.4.3" extension="X99001"/>
    <name>Synthetic Surgery</name></representedOrganization></Agent></part>`;
const LOCUM = `<part typeCode="PART"><Agent classCode="AGNT"><id root="LOCUM-1"/>
  <code nullFlavor="UNK"><originalText>Locum GP</originalText></code>
  <agentPerson classCode="PSN" determinerCode="INSTANCE"><name><given>Jo</given><family>Testlocum</family></name></agentPerson>
  <representedOrganization classCode="ORG" determinerCode="INSTANCE"><id root="2.16.840.1.113883.2.1.4.3" extension="X99002"/>
    <name>Other Synthetic Surgery</name></representedOrganization></Agent></part>`;

test('a person with a role and a represented organisation gets a PractitionerRole', () => {
  const { bundle } = translateExtractToBundle(syntheticExtract({ agents: `${NURSE}${PRACTICE}${LOCUM}` }));
  const roles = ofType<PractitionerRole>(bundle, 'PractitionerRole');
  assert.deepEqual(
    roles.map((r) => [r.id, r.practitioner?.reference, r.organization?.reference]),
    [
      ['NURSE-1-PR', 'Practitioner/NURSE-1', 'Organization/ORG-AGENT'],
      ['LOCUM-1-PR', 'Practitioner/LOCUM-1', 'Organization/LOCUM-1-ORG'],
    ],
    "the directory's organisation of the same ODS code is reused; another gets one of its own",
  );
  assert.equal(roles[0]?.code?.[0]?.coding?.[0]?.code, '309294001');
  assert.equal(roles[1]?.code?.[0]?.text, 'Locum GP');
  const orgs = ofType<Organization>(bundle, 'Organization');
  assert.deepEqual(
    orgs.map((o) => [o.id, o.identifier?.[0]?.value, o.name]),
    [
      ['ORG-AGENT', 'X99001', 'Synthetic Surgery'],
      ['LOCUM-1-ORG', 'X99002', 'Other Synthetic Surgery'],
    ],
  );
  assert.equal(orgs[0]?.type?.[0]?.text, 'GP Practice');
  assert.equal(orgs[0]?.telecom?.[0]?.value, '0000000000');
  assert.deepEqual(orgs[0]?.address?.[0]?.postalCode, 'ZZ99 9ZZ');
});

test('a person with neither role nor organisation gets no PractitionerRole', () => {
  const { bundle } = translateExtractToBundle(syntheticExtract({}));
  assert.equal(ofType<PractitionerRole>(bundle, 'PractitionerRole').length, 0);
});

test('a GP Connect PractitionerRole survives FHIR → HL7 → FHIR: same person, role and organisation', () => {
  const { xml } = translateBundleToExtract(bundleOf(baseResources()), {
    addressing: TEST_ADDRESS,
    newId: sequentialIds(),
  });
  const { bundle } = translateExtractToBundle(xml);
  const [role] = ofType<PractitionerRole>(bundle, 'PractitionerRole');
  assert.equal(role?.code?.[0]?.text, 'General Medical Practitioner');
  const org = ofType<Organization>(bundle, 'Organization').find(
    (o) => `Organization/${o.id}` === role?.organization?.reference,
  );
  assert.equal(org?.identifier?.[0]?.value, 'X99001', "the role's organisation is the practice itself");
});
