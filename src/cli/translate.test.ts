import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import type { Bundle } from 'fhir/r3.js';
import { REPO_ROOT, SHARED_MISSING, sharedPath } from '../common/testing/shared-corpus.ts';
import { validateXsd, xsdUnavailable } from '../common/testing/xsd.ts';
import { buildEbxmlMessage, type MessageHeader } from '../ebxml/index.ts';
import { translateBundleToExtract } from '../record/to-hl7/index.ts';
import { syntheticBundle } from '../record/to-hl7/testing/synthetic-bundle.ts';
import { bundleJson } from './translate.ts';

const GP2GP = join(REPO_ROOT, 'bin', 'gp2gp');
const dir = mkdtempSync(join(tmpdir(), 'gp2gp-translate-'));

function translate(file: string, to: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(GP2GP, ['translate', file, '--to', to], {
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

const bundle = syntheticBundle();
const extractXml = translateBundleToExtract(bundle, { addressing: 'preview' }).xml;
const header: MessageHeader = {
  fromPartyId: 'A99901-000001',
  toPartyId: 'B99902-000002',
  cpaId: 'S1',
  conversationId: '0D000000-0000-4000-8000-000000000001',
  service: 'urn:nhs:names:services:gp2gp',
  action: 'RCMR_IN030000UK06',
  messageId: '0D000000-0000-4000-8000-000000000002',
  timestamp: '2026-01-01T00:00:00Z',
  duplicateElimination: true,
  ackRequested: true,
};
const skeletonDescription = {
  filename: 'extract.gzip',
  contentType: 'text/xml',
  compressed: true,
  largeAttachment: false,
  originalBase64: false,
  domainData: 'X-GP2GP-Skeleton: Yes',
};

describe('bundleJson', () => {
  test('writes exactly what JSON.stringify(bundle, null, 2) would, one entry at a time (property)', () => {
    const entry = fc.record({
      fullUrl: fc.string(),
      resource: fc.record({
        resourceType: fc.constantFrom('Observation', 'Condition'),
        id: fc.string(),
        text: fc.option(fc.string()),
      }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.option(fc.string()), (entries, id) => {
        const b = {
          resourceType: 'Bundle',
          type: 'collection',
          ...(id === null ? {} : { id }),
          entry: entries,
        } as Bundle;
        assert.equal([...bundleJson(b)].join(''), `${JSON.stringify(b, null, 2)}\n`);
      }),
    );
  });
});

describe('gp2gp translate', () => {
  test('--to fhir turns an extract into a Bundle with its clinical resources', () => {
    const r = translate(write('extract.xml', extractXml), 'fhir');
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Bundle;
    assert.equal(out.resourceType, 'Bundle');
    const types = new Set(out.entry?.map((e) => e.resource?.resourceType));
    for (const t of [
      'Patient',
      'Encounter',
      'Observation',
      'Condition',
      'AllergyIntolerance',
      'MedicationRequest',
    ]) {
      assert.ok(types.has(t as never), `no ${t} in ${[...types].join(', ')}`);
    }
  });

  test('--to fhir reads the extract out of an ebXML MIME message, as captured on the wire', () => {
    const { contentType, body } = buildEbxmlMessage({ header, payload: extractXml });
    const wire = Buffer.concat([
      Buffer.from(`POST /reliablemessaging/forwardreliable HTTP/1.1\r\nContent-Type: ${contentType}\r\n\r\n`),
      body,
    ]);
    const r = translate(write('extract.ebxml', wire), 'fhir');
    assert.equal(r.status, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as Bundle).entry?.some((e) => e.resource?.resourceType === 'Encounter'));
  });

  test("--to fhir translates a large-message skeleton's inline compressed extract, not the skeleton", () => {
    const { contentType, body } = buildEbxmlMessage({
      header,
      payload: '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>',
      attachments: [
        {
          contentId: 'x@test',
          contentType: 'application/octet-stream',
          body: gzipSync(extractXml),
          description: skeletonDescription,
        },
      ],
    });
    const r = translate(
      write('skeleton.ebxml', Buffer.concat([Buffer.from(`Content-Type: ${contentType}\r\n\r\n`), body])),
      'fhir',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as Bundle).entry?.some((e) => e.resource?.resourceType === 'Encounter'));
    assert.match(r.stderr, /skeleton's attached extract extract\.gzip/);
  });

  test('a skeleton whose attached extract is not valid gzip: exit 2, naming the attachment', () => {
    const { contentType, body } = buildEbxmlMessage({
      header,
      payload: '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>',
      attachments: [
        {
          contentId: 'x@test',
          contentType: 'application/octet-stream',
          body: Buffer.concat([gzipSync(extractXml).subarray(0, 40), Buffer.from('not the rest')]),
          description: skeletonDescription,
        },
      ],
    });
    const r = translate(
      write(
        'skeleton-broken.ebxml',
        Buffer.concat([Buffer.from(`Content-Type: ${contentType}\r\n\r\n`), body]),
      ),
      'fhir',
    );
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^gp2gp translate: attachment extract\.gzip is not valid gzip\n$/);
  });

  test('a skeleton whose extract travels in separate messages: exit 2, saying so', () => {
    const { contentType, body } = buildEbxmlMessage({
      header,
      payload: '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>',
      externalAttachments: [
        { messageId: '0D000000-0000-4000-8000-000000000009', description: skeletonDescription },
      ],
    });
    const r = translate(
      write('skeleton-ext.ebxml', Buffer.concat([Buffer.from(`Content-Type: ${contentType}\r\n\r\n`), body])),
      'fhir',
    );
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^gp2gp translate: this is a large-message skeleton.*mid:0D000000-0000-4000-8000-000000000009.*\n$/,
    );
  });

  test('--to hl7 turns a Bundle into an extract that validates against the MIM schema', () => {
    const r = translate(write('bundle.json', JSON.stringify(bundle)), 'hl7');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^<\?xml[^>]*>\s*<RCMR_IN030000UK0[67]/);
    if (!xsdUnavailable()) {
      const v = validateXsd(
        r.stdout,
        r.stdout.includes('<RCMR_IN030000UK07') ? 'RCMR_IN030000UK07' : 'RCMR_IN030000UK06',
      );
      assert.ok(v.valid, v.valid ? '' : v.errors);
    }
  });

  test('a supplier extract from the corpus translates', {
    skip: sharedPath('corpus/ehr-extract/PWTP3.xml') ? false : SHARED_MISSING,
  }, () => {
    const r = translate(sharedPath('corpus/ehr-extract/PWTP3.xml')!, 'fhir');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(((JSON.parse(r.stdout) as Bundle).entry?.length ?? 0) > 10);
  });

  for (const [name, file, to, message] of [
    ['not JSON for --to hl7', 'bad.json', 'hl7', /not a JSON document/],
    ['JSON that is not a Bundle', 'patient.json', 'hl7', /not a FHIR Bundle/],
    ['an unknown target', 'extract.xml', 'pdf', /--to must be fhir or hl7/],
    ['malformed XML for --to fhir', 'bad.xml', 'fhir', /malformed XML/],
  ] as const) {
    test(`${name}: exit 2 with a one-line error`, () => {
      write('bad.json', '{ "resourceType": ');
      write('patient.json', '{ "resourceType": "Patient" }');
      write('bad.xml', '<RCMR_IN030000UK06><id>');
      const r = translate(join(dir, file), to);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^gp2gp translate: .*\n$/);
      assert.match(r.stderr, message);
    });
  }
});
