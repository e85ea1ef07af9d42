import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXml } from '../../xml/index.ts';
import {
  CODE_SYSTEMS,
  DEGRADE_CODES,
  oidForSystemUrl,
  readHl7Code,
  systemUrlForOid,
  toFhirCodeableConcept,
} from './index.ts';

const code = (xml: string) => readHl7Code(parseXml(`<code xmlns="urn:hl7-org:v3" ${xml}`).root);

test('maps OIDs to FHIR systems both ways, keeping unknown OIDs as urn:oid', () => {
  assert.equal(systemUrlForOid(CODE_SYSTEMS.readV2.oid), 'http://read.info/readv2');
  assert.equal(systemUrlForOid('1.2.3'), 'urn:oid:1.2.3');
  assert.equal(oidForSystemUrl('urn:oid:1.2.3'), '1.2.3');
  assert.equal(oidForSystemUrl('https://fhir.hl7.org.uk/Id/egton-codes'), CODE_SYSTEMS.emisLocal.oid);
  assert.equal(oidForSystemUrl('https://example.org/unknown'), undefined);
});

test('a Read code with a SNOMED translation keeps both, main code first, and is not degraded', () => {
  const c = code(
    'code="H33..00" codeSystem="2.16.840.1.113883.2.1.6.2" displayName="Asthma"><translation code="195967001" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Asthma"/></code>',
  );
  const { concept, degraded } = toFhirCodeableConcept(c, { degradeKind: 'record-entry' });
  assert.equal(degraded, false);
  assert.deepEqual(
    concept.coding?.map((x) => [x.system, x.code]),
    [
      ['http://read.info/readv2', 'H33..00'],
      ['http://snomed.info/sct', '195967001'],
    ],
  );
  assert.equal(concept.text, 'Asthma');
});

test('an EMIS local code with no SNOMED is degraded to the kind, original code and text preserved', () => {
  const c = code(
    'code="EMISD_FI9" codeSystem="2.16.840.1.113883.2.1.6.3" displayName="Fissure sealant required"/>',
  );
  const { concept, degraded } = toFhirCodeableConcept(c, { degradeKind: 'plan' });
  assert.equal(degraded, true);
  assert.equal(concept.coding?.[0]?.code, DEGRADE_CODES.plan.code);
  assert.equal(concept.coding?.[1]?.code, 'EMISD_FI9');
  assert.equal(concept.text, 'Fissure sealant required');
});

test('originalText wins as the concept text', () => {
  const c = code(
    'code="25671000000102" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Surgery Consultation Note"><originalText>GP Surgery</originalText></code>',
  );
  const { concept } = toFhirCodeableConcept(c);
  assert.equal(concept.text, 'GP Surgery');
  assert.equal(concept.coding?.[0]?.display, 'Surgery consultation note');
});
