import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Bundle, FhirResource, List } from 'fhir/r3.js';
import {
  ASTHMA_CODE,
  compound,
  DRUG_ALLERGY_HEADER,
  narrative,
  observation,
  syntheticExtract,
} from './fixtures/synthetic-extract.ts';
import { type ExtractTranslation, translateExtractToBundle } from './translate-extract.ts';

/*
 * Wrappers and containers never swallow content: a TOPIC or CATEGORY whose code happens to be an allergy header
 * or the pathology report code is only treated specially where its shape is that of an allergy or a report.
 */

const SCT = '2.16.840.1.113883.2.1.3.2.4.15';
const PEANUT =
  '<code code="SN58200" codeSystem="2.16.840.1.113883.2.1.6.2" displayName="Peanut allergy"><translation code="91935009" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Allergy to peanuts"/></code>';
const LAB_REPORT_CODE = `<code code="16488004" codeSystem="${SCT}" displayName="Laboratory reporting"/>`;

function resources(bundle: Bundle): FhirResource[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));
}

function byId(bundle: Bundle, type: string, id: string): FhirResource | undefined {
  return resources(bundle).find((r) => r.resourceType === type && r.id === id);
}

/** Every statement mapped: nothing skipped or left untranslated. */
function assertAllMapped(t: ExtractTranslation): void {
  assert.equal(t.fidelity.mapped, t.fidelity.source, JSON.stringify(t.fidelity));
  assert.equal(t.fidelity.unaccounted, 0);
}

test('what an allergy wrapper holds beside the allergy is translated too', () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      topic: compound(
        'WRAP-1',
        'CATEGORY',
        DRUG_ALLERGY_HEADER,
        `${observation('ALG-1', PEANUT)}${narrative('NOTE-1', 'Reaction was a rash')}`,
      ),
    }),
  );
  assert.ok(byId(t.bundle, 'AllergyIntolerance', 'ALG-1'), 'the allergy');
  const note = byId(t.bundle, 'Observation', 'NOTE-1');
  assert.ok(note, 'the narrative beside it');
  assert.equal((note as { comment?: string }).comment, 'Reaction was a rash');
  assertAllMapped(t);
});

test('a CATEGORY coded as an allergy header that holds two observations is a category, not an allergy', () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      topic: compound(
        'CAT-ALLERGY',
        'CATEGORY',
        DRUG_ALLERGY_HEADER,
        `${observation('OBS-A', ASTHMA_CODE)}${observation('OBS-B', PEANUT)}`,
      ),
    }),
  );
  assert.equal(resources(t.bundle).filter((r) => r.resourceType === 'AllergyIntolerance').length, 0);
  const list = byId(t.bundle, 'List', 'CAT-ALLERGY') as List | undefined;
  assert.ok(list, 'a category List');
  assert.deepEqual(
    list.entry?.map((e) => e.item.reference),
    ['Observation/OBS-A', 'Observation/OBS-B'],
  );
  assertAllMapped(t);
});

test('a CATEGORY of allergy shape in a topic is the allergy, listed by the topic', () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      topic: compound('WRAP-1', 'CATEGORY', DRUG_ALLERGY_HEADER, observation('ALG-1', PEANUT)),
    }),
  );
  const topic = byId(t.bundle, 'List', 'TOPIC-1') as List;
  assert.ok(topic.entry?.some((e) => e.item.reference === 'AllergyIntolerance/ALG-1'));
  assertAllMapped(t);
});

test('a TOPIC coded as an allergy header is a topic: its observation stays an observation', () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      topic: compound('TOPIC-A', 'TOPIC', DRUG_ALLERGY_HEADER, observation('OBS-A', ASTHMA_CODE)),
    }),
  );
  assert.ok(byId(t.bundle, 'Observation', 'OBS-A'));
  assert.equal(resources(t.bundle).filter((r) => r.resourceType === 'AllergyIntolerance').length, 0);
  assertAllMapped(t);
});

test('a CATEGORY coded as a laboratory report is a category, not a DiagnosticReport', () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      topic: compound(
        'CAT-LAB',
        'CATEGORY',
        LAB_REPORT_CODE,
        `${observation('OBS-A', ASTHMA_CODE)}${narrative('NOTE-1', 'Seen')}`,
      ),
    }),
  );
  assert.equal(resources(t.bundle).filter((r) => r.resourceType === 'DiagnosticReport').length, 0);
  const list = byId(t.bundle, 'List', 'CAT-LAB') as List;
  assert.deepEqual(
    list.entry?.map((e) => e.item.reference),
    ['Observation/OBS-A', 'Observation/NOTE-1'],
  );
  assertAllMapped(t);
});
