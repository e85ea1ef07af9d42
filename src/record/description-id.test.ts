import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FhirResource, Observation } from 'fhir/r3.js';
import { parseXml } from '../xml/index.ts';
import { DEGRADED_TAG } from './codes/degrade.ts';
import {
  isSnomedConceptId,
  isSnomedDescriptionId,
  isSnomedId,
  readHl7Code,
  SCT_DESCRIPTION_EXTENSION,
  toFhirCodeableConcept,
} from './codes/index.ts';
import { observation, syntheticExtract } from './from-hl7/fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { baseResources, bundleOf } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

/*
 * SNOMED CT ids: a description id is never used as a concept code (the partition digits tell them apart);
 * where only a description id is known it is kept as the description and the entry flagged.
 */

const SCT = '2.16.840.1.113883.2.1.3.2.4.15';
/** "Myocardial infarction": concept 22298006, one of its descriptions 37436014. */
const CONCEPT = '22298006';
const DESCRIPTION = '37436014';

test('the partition digits tell a concept id from a description id (property: every well-formed id is one or the other)', () => {
  assert.ok(isSnomedConceptId(CONCEPT) && !isSnomedDescriptionId(CONCEPT));
  assert.ok(isSnomedDescriptionId(DESCRIPTION) && !isSnomedConceptId(DESCRIPTION));
  fc.assert(
    fc.property(fc.stringMatching(/^[1-9][0-9]{5,17}$/), (id) => {
      if (!isSnomedId(id)) return;
      assert.notEqual(isSnomedConceptId(id), isSnomedDescriptionId(id), id);
    }),
    { numRuns: 5000 },
  );
});

test('a description id is kept as the description, never as a code, and the entry is degraded', () => {
  const code = readHl7Code(
    parseXml(
      `<code xmlns="urn:hl7-org:v3" code="${DESCRIPTION}" codeSystem="${SCT}" displayName="Heart attack"/>`,
    ).root,
  );
  const { concept, degraded, descriptionOnly } = toFhirCodeableConcept(code, { degradeKind: 'record-entry' });
  assert.equal(degraded, true);
  assert.equal(descriptionOnly, true);
  assert.equal(concept.coding?.[0]?.code, '196411000000103', 'the degrade code first');
  const described = concept.coding?.[1];
  assert.ok(described, 'the description is kept');
  assert.equal(described.code, undefined, 'no concept code');
  assert.deepEqual(described?.extension, [
    {
      url: SCT_DESCRIPTION_EXTENSION,
      extension: [
        { url: 'descriptionId', valueId: DESCRIPTION },
        { url: 'descriptionDisplay', valueString: 'Heart attack' },
      ],
    },
  ]);
  assert.equal(concept.text, 'Heart attack');
});

test('beside a concept id, a description id is still no code, and the entry is not degraded', () => {
  const code = readHl7Code(
    parseXml(
      `<code xmlns="urn:hl7-org:v3" code="${CONCEPT}" codeSystem="${SCT}"><translation code="${DESCRIPTION}" codeSystem="${SCT}"/></code>`,
    ).root,
  );
  const { concept, degraded, descriptionOnly } = toFhirCodeableConcept(code, { degradeKind: 'record-entry' });
  assert.equal(degraded, false);
  assert.equal(descriptionOnly, undefined);
  assert.deepEqual(
    concept.coding?.map((c) => c.code),
    [CONCEPT, undefined],
  );
});

test('an extract entry coded with a description id only is flagged, and so reported', () => {
  const t = translateExtractToBundle(
    syntheticExtract({
      consultation: observation(
        'OBS-D',
        `<code code="${DESCRIPTION}" codeSystem="${SCT}" displayName="Heart attack"/>`,
      ),
    }),
  );
  const obs = t.bundle.entry?.map((e) => e.resource).find((r) => r?.id === 'OBS-D') as Observation;
  assert.deepEqual(obs.meta?.tag, [{ ...DEGRADED_TAG }]);
  assert.deepEqual(
    t.fidelity.degradedBy.map((r) => [r.reason, r.ids]),
    [['SNOMED CT description id only', ['OBS-D']]],
  );
});

test('FHIR → HL7: a description id is never the main code; a description-only coding round-trips as a description', () => {
  const coded: FhirResource = {
    resourceType: 'Observation',
    id: 'obs-desc',
    status: 'final',
    code: {
      coding: [{ system: 'http://snomed.info/sct', code: DESCRIPTION, display: 'Heart attack' }],
    },
    subject: { reference: 'Patient/pat-1' },
    effectiveDateTime: '2023-01-01',
  };
  const { xml } = translateBundleToExtract(bundleOf([...baseResources(), coded]), {
    addressing: TEST_ADDRESS,
  });
  assert.match(xml, /<code code="196411000000103"[^>]*>[\s\S]*?<translation code="37436014"/);
  const back = translateExtractToBundle(xml)
    .bundle.entry?.map((e) => e.resource)
    .find(
      (r) => r?.resourceType === 'Observation' && (r as Observation).code.coding?.some((c) => c.extension),
    ) as Observation | undefined;
  assert.ok(back, 'the Observation comes back');
  assert.equal(
    back.code.coding?.some((c) => c.code === DESCRIPTION),
    false,
    'never as a code',
  );
  const written = translateBundleToExtract(bundleOf([...baseResources(), back]), {
    addressing: TEST_ADDRESS,
  }).xml;
  assert.match(written, /<translation code="37436014"/, 'the description id travels on');
});
