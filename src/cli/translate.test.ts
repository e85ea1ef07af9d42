import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
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
import { MAX_INPUT_BYTES } from './input-file.ts';
import { bundleBytesToExtract, bundleJson, MAX_BUNDLE_RESOURCES, TranslateInputError } from './translate.ts';

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

/** A Bundle of `n` minimal Observations, as JSON text. */
const observations = (n: number, key = 'resourceType'): Buffer =>
  Buffer.from(
    `{"resourceType":"Bundle","type":"collection","entry":[${Array.from(
      { length: n },
      (_, i) => `{"resource":{"${key}":"Observation","id":"o${i}"}}`,
    ).join(',')}]}`,
  );

describe('bundleBytesToExtract: the limits of --to hl7', () => {
  /** A stand-in translator that keeps what it was given, so a test can see whether translation was reached. */
  const capturingTranslator = (translated: Bundle[]) => (b: Bundle) => {
    translated.push(b);
    return { xml: '<RCMR_IN030000UK06/>', warnings: [] };
  };
  const refusal = (message: RegExp) => (e: unknown) =>
    e instanceof TranslateInputError && message.test(e.message);

  test('a Bundle of exactly the most resources is translated; one more is refused before it is parsed', async () => {
    const translated: Bundle[] = [];
    const atLimit = await bundleBytesToExtract(
      observations(MAX_BUNDLE_RESOURCES),
      capturingTranslator(translated),
    );
    assert.deepEqual([...atLimit.output], ['<RCMR_IN030000UK06/>\n']);
    assert.equal(translated[0]?.entry?.length, MAX_BUNDLE_RESOURCES);
    await assert.rejects(
      bundleBytesToExtract(observations(MAX_BUNDLE_RESOURCES + 1), capturingTranslator(translated)),
      refusal(/more than 100000 resources/),
    );
    assert.equal(translated.length, 1);
  });

  test('entries whose keys are written with escapes are counted once parsed', async () => {
    const translated: Bundle[] = [];
    await assert.rejects(
      bundleBytesToExtract(
        observations(MAX_BUNDLE_RESOURCES + 1, 'resource\\u0054ype'),
        capturingTranslator(translated),
      ),
      refusal(/more than 100000 resources/),
    );
    assert.deepEqual(translated, []);
  });

  test('a structure too deep or too long for the translator is refused, not a crash', async () => {
    const overflowing = () => {
      throw new RangeError('Maximum call stack size exceeded');
    };
    await assert.rejects(
      bundleBytesToExtract(observations(3), overflowing),
      refusal(/too large or too deeply nested to translate \(Maximum call stack size exceeded\)/),
    );
  });
});

describe('gp2gp translate', () => {
  test('a file over the input limit is refused by its size, before it is read, in both directions', () => {
    const huge = write('huge.json', '');
    truncateSync(huge, MAX_INPUT_BYTES + 1); // sparse: no disk or memory is spent on it
    for (const to of ['hl7', 'fhir']) {
      const r = translate(huge, to);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(
        r.stderr,
        /^gp2gp translate: .*huge\.json is 536870913 bytes, over the 536870912-byte input limit\n$/,
      );
    }
  });

  test('--to hl7 on a Bundle of more resources than the limit: exit 2 with one line, quickly', () => {
    const r = translate(write('many.json', observations(MAX_BUNDLE_RESOURCES + 1)), 'hl7');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^gp2gp translate: the Bundle holds more than 100000 resources.*\n$/);
  });

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
    // The fidelity summary ends stderr: every statement mapped, degraded or skipped.
    assert.match(r.stderr, /^fidelity: (\d+) statements: \d+ mapped, \d+ degraded, \d+ skipped$/m);
  });

  test('--to fhir reads a UTF-16 extract with a byte order mark, and one behind whitespace', () => {
    const text = extractXml.replace(/^<\?xml[^>]*\?>/, '<?xml version="1.0" encoding="UTF-16"?>');
    const utf16 = translate(write('extract-utf16.xml', Buffer.from(`\uFEFF${text}`, 'utf16le')), 'fhir');
    assert.equal(utf16.status, 0, utf16.stderr);
    const padded = translate(
      write('extract-padded.xml', `${' \n'.repeat(100_000)}${extractXml.replace(/^<\?xml[^>]*\?>/, '')}`),
      'fhir',
    );
    assert.equal(padded.status, 0, padded.stderr);
    const plain = translate(write('extract-plain.xml', extractXml), 'fhir');
    assert.equal(utf16.stdout, plain.stdout);
    assert.equal(padded.stdout, plain.stdout);
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

  /** A skeleton core message whose extract is this inline attachment, with its HTTP headers, as a file. */
  const skeletonFile = (name: string, attachmentBody: Buffer): string => {
    const { contentType, body } = buildEbxmlMessage({
      header,
      payload: '<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>',
      attachments: [
        {
          contentId: 'x@test',
          contentType: 'application/octet-stream',
          body: attachmentBody,
          description: skeletonDescription,
        },
      ],
    });
    return write(name, Buffer.concat([Buffer.from(`Content-Type: ${contentType}\r\n\r\n`), body]));
  };

  test("--to fhir translates a large-message skeleton's inline compressed extract, not the skeleton", () => {
    const r = translate(skeletonFile('skeleton.ebxml', gzipSync(extractXml)), 'fhir');
    assert.equal(r.status, 0, r.stderr);
    assert.ok((JSON.parse(r.stdout) as Bundle).entry?.some((e) => e.resource?.resourceType === 'Encounter'));
    assert.match(r.stderr, /skeleton's attached extract extract\.gzip/);
  });

  test('a skeleton whose attached extract is not valid gzip: exit 2, naming the attachment', () => {
    const broken = Buffer.concat([gzipSync(extractXml).subarray(0, 40), Buffer.from('not the rest')]);
    const r = translate(skeletonFile('skeleton-broken.ebxml', broken), 'fhir');
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
      write('extract.xml', extractXml);
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
