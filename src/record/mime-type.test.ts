import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DocumentReference, FhirResource } from 'fhir/r3.js';
import { syntheticExtract } from './from-hl7/fixtures/synthetic-extract.ts';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { leadingBytes, mimeTypeOf } from './mime-type.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { baseResources, bundleOf } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]).toString('base64');

test('a declared type is kept; unknown gives way to the file name, then to the first bytes', () => {
  assert.equal(mimeTypeOf({ declared: 'image/jpeg', fileName: 'scan.pdf' }), 'image/jpeg');
  assert.equal(mimeTypeOf({ declared: 'unknown', fileName: 'letter.PDF' }), 'application/pdf');
  assert.equal(mimeTypeOf({ fileName: 'file://localhost/ABC_ABC.tif' }), 'image/tiff');
  assert.equal(mimeTypeOf({ declared: 'unknown', bytes: leadingBytes(PNG) }), 'image/png');
  assert.equal(mimeTypeOf({ bytes: new TextEncoder().encode('{\\rtf1\\ansi') }), 'application/rtf');
  assert.equal(mimeTypeOf({ declared: 'unknown' }), 'application/octet-stream');
  assert.equal(mimeTypeOf({}), 'application/octet-stream');
});

test('FHIR → HL7: an attachment typed unknown is written with the type its name or bytes give', () => {
  const doc = (id: string, attachment: object): FhirResource =>
    ({
      resourceType: 'DocumentReference',
      id,
      status: 'current',
      type: { text: 'Letter' },
      subject: { reference: 'Patient/pat-1' },
      indexed: '2023-01-01T09:00:00+00:00',
      content: [{ attachment }],
    }) as DocumentReference;
  const { xml, documents } = translateBundleToExtract(
    bundleOf([
      ...baseResources(),
      doc('d1', { contentType: 'unknown', title: 'discharge.pdf', url: 'https://example.invalid/Binary/d1' }),
      doc('d2', { data: PNG }),
    ]),
    { addressing: TEST_ADDRESS },
  );
  assert.deepEqual(documents.map((d) => d.contentType).sort(), ['application/pdf', 'image/png']);
  assert.doesNotMatch(xml, /mediaType="unknown"/);
});

test('HL7 → FHIR: a document typed unknown takes its type from its file name', () => {
  const narrative = `<component typeCode="COMP"><NarrativeStatement classCode="OBS" moodCode="EVN"><id root="NS-1"/>
    <text>Scanned letter</text><statusCode code="COMPLETE"/><availabilityTime value="20230701"/>
    <reference typeCode="REFR"><referredToExternalDocument classCode="DOC" moodCode="EVN"><id root="DOC-1"/>
      <code code="24891000000101" codeSystem="2.16.840.1.113883.2.1.3.2.4.15" displayName="Letter"/>
      <text mediaType="unknown"><reference value="file://localhost/DOC-1_scan.tif"/></text>
    </referredToExternalDocument></reference></NarrativeStatement></component>`;
  const { bundle } = translateExtractToBundle(syntheticExtract({ consultation: narrative }));
  const doc = bundle.entry
    ?.map((e) => e.resource)
    .find((r) => r?.resourceType === 'DocumentReference') as DocumentReference;
  assert.equal(doc.content[0]?.attachment.contentType, 'image/tiff');
});
