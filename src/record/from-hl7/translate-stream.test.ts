import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import type { Bundle } from 'fhir/r3.js';
import { sharedFiles } from '../../common/testing/shared-corpus.ts';
import { descendants, parseXml, XmlError } from '../../xml/index.ts';
import { translateBundleToExtract } from '../to-hl7/index.ts';
import { TEST_ADDRESS } from '../to-hl7/testing/test-address.ts';
import { ExtractStreamTranslator } from './extract-stream.ts';
import { pathologyReport } from './fixtures/pathology-extract.ts';
import { ASTHMA_CODE, LOCAL_CODE, observation, syntheticExtract } from './fixtures/synthetic-extract.ts';
import { ExtractError, translateExtractStream, translateExtractToBundle } from './translate-extract.ts';

/** The text in chunks of `size` bytes, so chunk edges fall inside tags, attributes and multi-byte characters. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

async function assertSameAsWhole(name: string, xml: Uint8Array): Promise<void> {
  const whole = translateExtractToBundle(xml);
  for (const size of [997, 65536]) {
    const streamed = await translateExtractStream(chunked(xml, size));
    assert.deepEqual(streamed, whole, `${name}: streamed in ${size}-byte chunks`);
  }
}

const utf8 = (text: string) => new TextEncoder().encode(text);

test('streamed PWTP extracts translate exactly as when read whole', async () => {
  for (const file of sharedFiles('corpus/ehr-extract', /^PWTP.*\.xml$/)) {
    await assertSameAsWhole(basename(file), readFileSync(file));
  }
});

test('streamed extracts made from the GP Connect corpus translate exactly as when read whole', async () => {
  for (const file of sharedFiles('corpus/gpc-structured', /\.json$/)) {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    await assertSameAsWhole(
      basename(file),
      utf8(translateBundleToExtract(bundle, { addressing: TEST_ADDRESS }).xml),
    );
  }
});

test('streamed synthetic extracts translate exactly as when read whole', async () => {
  const fixtures: Record<string, string> = {
    empty: syntheticExtract({}),
    observation: syntheticExtract({ consultation: observation('OBS-1', ASTHMA_CODE) }),
    'UK07 degraded': syntheticExtract({
      consultation: observation('OBS-2', LOCAL_CODE),
      interaction: 'RCMR_IN030000UK07',
    }),
    pathology: syntheticExtract({ consultation: pathologyReport() }),
    'stand-in specimen': syntheticExtract({ consultation: pathologyReport(true) }),
  };
  for (const [name, xml] of Object.entries(fixtures)) await assertSameAsWhole(name, utf8(xml));
});

test('a streamed non-extract or malformed document is refused as when read whole', async () => {
  await assert.rejects(
    translateExtractStream(
      chunked(utf8('<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"><a/></RCMR_IN010000UK05>'), 7),
    ),
    ExtractError,
  );
  await assert.rejects(
    translateExtractStream(chunked(utf8('<RCMR_IN030000UK06 xmlns="urn:hl7-org:v3"/>'), 7)),
    ExtractError,
  );
  const truncated = syntheticExtract({}).slice(0, -40);
  assert.throws(() => translateExtractToBundle(truncated), XmlError);
  await assert.rejects(translateExtractStream(chunked(utf8(truncated), 100)), XmlError);
});

test('each ehrComposition is let go once translated: the parsed tree keeps none', () => {
  const translator = new ExtractStreamTranslator();
  const doc = parseXml(
    syntheticExtract({ consultation: observation('OBS-1', ASTHMA_CODE) }),
    translator.options,
  );
  assert.equal(descendants(doc.root, 'ehrComposition').length, 0);
  assert.equal(descendants(doc.root, 'responsibleParty').length, 0);
  const { bundle } = translator.finish(doc);
  assert.ok(bundle.entry?.some((e) => e.resource?.resourceType === 'Observation'));
});
