import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildSkeletonExtract } from './skeleton.ts';

const ref = {
  documentId: 'DOC-1',
  filename: 'DOC-1_ehr-extract.xml.gz',
  compositionId: 'COMP-1',
  statementId: 'ST-1',
};

describe('buildSkeletonExtract', () => {
  test("replaces the ehrFolder's compositions by one referring to the gzipped extract, keeping every other byte", () => {
    const head =
      '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"><creationTime value="20260102030405"/><ehrFolder><id root="F"/>\n  ';
    const tail = '\n</ehrFolder><component><x/></component></RCMR_IN030000UK06>';
    const xml = `${head}<component><ehrComposition><id root="A"/></ehrComposition></component>\n  <component><ehrComposition/></component>${tail}`;
    const skeleton = buildSkeletonExtract(xml, ref);
    assert.ok(skeleton.startsWith(head) && skeleton.endsWith(tail), skeleton);
    assert.doesNotMatch(skeleton, /root="A"/);
    assert.match(skeleton, /<reference value="file:\/\/localhost\/DOC-1_ehr-extract\.xml\.gz"\/>/);
    assert.match(skeleton, /<availabilityTime value="20260102030405"\/>/);
  });

  test('an ehrFolder with no compositions gets the skeleton composition before its end tag', () => {
    const skeleton = buildSkeletonExtract(
      '<a xmlns="urn:hl7-org:v3"><ehrFolder><id root="F"/></ehrFolder></a>',
      ref,
    );
    assert.match(
      skeleton,
      /^<a xmlns="urn:hl7-org:v3"><ehrFolder><id root="F"\/><component typeCode="COMP">.*<\/component><\/ehrFolder><\/a>$/s,
    );
  });

  test('a prefixed extract gets a prefixed composition', () => {
    const xml = '<hl7:a xmlns:hl7="urn:hl7-org:v3"><hl7:ehrFolder><hl7:component/></hl7:ehrFolder></hl7:a>';
    assert.match(
      buildSkeletonExtract(xml, ref),
      /<hl7:ehrFolder><hl7:component typeCode="COMP"><hl7:ehrComposition /,
    );
  });

  test('an extract without an ehrFolder cannot be made a skeleton', () => {
    assert.throws(() => buildSkeletonExtract('<a/>', ref), /no ehrFolder/);
  });
});
