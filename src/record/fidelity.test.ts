import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { SHARED_MISSING, sharedFiles } from '../common/testing/shared-corpus.ts';
import { readHl7 } from '../hl7/index.ts';
import type { FidelityReport } from './fidelity.ts';
import { fidelitySummary } from './fidelity.ts';
import { pathologyReport } from './from-hl7/fixtures/pathology-extract.ts';
import {
  ASTHMA_CODE,
  LOCAL_CODE,
  observation,
  syntheticExtract,
} from './from-hl7/fixtures/synthetic-extract.ts';
import { type ExtractTranslation, translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { randomRecord } from './testing/random-record.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

/** Statements as `inspect` counts them (less the compositions): the count the report must account for. */
function inspectedStatements(xml: string | Uint8Array): number {
  const read = readHl7(xml, { countOnly: true });
  if (read.kind !== 'ehr-extract') throw new Error(`not an extract: ${read.kind}`);
  return Object.entries(read.counts).reduce((n, [k, c]) => (k === 'ehrComposition' ? n : n + c), 0);
}

/** Every statement accounted for once: mapped + degraded + skipped is the source, nothing unaccounted. */
function assertAccounted(name: string, xml: string | Uint8Array, t: ExtractTranslation): FidelityReport {
  const f = t.fidelity;
  assert.equal(f.source, inspectedStatements(xml), `${name}: source is every statement in the extract`);
  assert.equal(f.mapped + f.degraded + f.skipped, f.source, `${name}: ${JSON.stringify(f)}`);
  assert.equal(f.unaccounted, 0, name);
  assert.equal(
    f.degradedBy.reduce((n, r) => n + r.count, 0) + f.skippedBy.reduce((n, r) => n + r.count, 0),
    f.degraded + f.skipped,
  );
  for (const r of [...f.degradedBy, ...f.skippedBy])
    assert.equal(r.ids.length, r.count, `${name}: ${r.reason}`);
  // Nothing passes through unlooked-at: every statement was mapped, degraded or skipped on purpose.
  assert.equal(
    f.skippedBy.find((r) => r.reason === 'not translated'),
    undefined,
    `${name}: ${JSON.stringify(f)}`,
  );
  return f;
}

const extracts = [
  ...sharedFiles('corpus/ehr-extract', /^PWTP.*\.xml$/),
  // The NHS sending adaptor's extracts of the GP Connect corpus (one is not well-formed XML on purpose).
  ...sharedFiles('corpus/gpc-structured-expected-hl7', /\.xml$/).filter((f) => !f.includes('gpc-access')),
];

for (const file of extracts) {
  test(`corpus ${basename(file)}: every statement is mapped, degraded or reported, none lost silently`, () => {
    const xml = readFileSync(file);
    assertAccounted(basename(file), xml, translateExtractToBundle(xml));
  });
}

test('corpus extracts are present', { skip: extracts.length > 0 ? false : SHARED_MISSING }, () => {
  assert.ok(extracts.length >= 10);
});

test('the extracts of the corpus GP Connect bundles account for every statement', () => {
  for (const file of sharedFiles('corpus/gpc-structured', /\.json$/)) {
    const { xml } = translateBundleToExtract(JSON.parse(readFileSync(file, 'utf8')), {
      addressing: TEST_ADDRESS,
    });
    const f = assertAccounted(basename(file), xml, translateExtractToBundle(xml));
    assert.equal(
      f.skippedBy.filter((r) => r.reason !== 'placeholder with no content').length,
      0,
      basename(file),
    );
  }
});

test('every statement of a generated record is accounted for, and only placeholders are skipped (property)', () => {
  fc.assert(
    fc.property(randomRecord, (bundle) => {
      const { xml } = translateBundleToExtract(bundle, { addressing: TEST_ADDRESS });
      const f = assertAccounted('generated', xml, translateExtractToBundle(xml));
      assert.deepEqual(
        f.skippedBy.map((r) => r.reason).filter((r) => r !== 'placeholder with no content'),
        [],
      );
    }),
    { numRuns: Number(process.env.ROUND_TRIP_RUNS ?? 40) },
  );
});

test('a statement nothing takes is reported by id, never dropped silently', () => {
  const xml = syntheticExtract({
    consultation: `${observation('OBS-1', ASTHMA_CODE)}
      <component typeCode="COMP"><RegistrationStatement classCode="OBS" moodCode="EVN"><id root="REG-1"/></RegistrationStatement></component>`,
  });
  const t = translateExtractToBundle(xml);
  const f = t.fidelity;
  assert.equal(f.unaccounted, 0);
  assert.deepEqual(
    f.skippedBy.map((r) => [r.reason, r.ids]),
    [['statement kind not carried', ['REG-1']]],
  );
  assert.ok(t.warnings.some((w) => w.includes('REG-1')));
});

test('degrades, missing ids, duplicate ids and unreadable times are each counted under their reason', () => {
  const xml = syntheticExtract({
    consultation: [
      observation('OBS-1', ASTHMA_CODE),
      observation('OBS-LOCAL', LOCAL_CODE),
      observation('OBS-1', ASTHMA_CODE),
      observation('OBS-FEB', ASTHMA_CODE).replace('<center value="20230701"/>', '<center value="20230231"/>'),
      `<component typeCode="COMP"><ObservationStatement classCode="OBS" moodCode="EVN">${ASTHMA_CODE}</ObservationStatement></component>`,
    ].join('\n'),
  });
  const f = translateExtractToBundle(xml).fidelity;
  const by = (list: FidelityReport['degradedBy'] | FidelityReport['skippedBy']) =>
    Object.fromEntries(list.map((r) => [r.reason, r.ids]));
  assert.deepEqual(by(f.degradedBy), {
    'no SNOMED CT code': ['OBS-LOCAL'],
    'time not readable': ['OBS-FEB'],
  });
  assert.deepEqual(by(f.skippedBy), { 'duplicate id': ['OBS-1'], 'no id': ['(no id)'] });
  // The TOPIC, the CATEGORY and the first OBS-1 are mapped.
  assert.equal(f.mapped, 3);
  assert.equal(f.source, 7);
});

test('a second ehrComposition in one component is reported, statement by statement', () => {
  const second = `<ehrComposition classCode="COMPOSITION" moodCode="EVN"><id root="COMP-X"/>
    <code code="196401000000100" codeSystem="2.16.840.1.113883.2.1.3.2.4.15"/>
    ${observation('OBS-HIDDEN', ASTHMA_CODE)}</ehrComposition>`;
  const xml = syntheticExtract({ consultation: observation('OBS-1', ASTHMA_CODE) }).replace(
    '</ehrComposition></component>',
    `</ehrComposition>${second}</component>`,
  );
  const t = translateExtractToBundle(xml);
  assert.deepEqual(
    t.fidelity.skippedBy.map((r) => [r.reason, r.ids]),
    [['second ehrComposition in one component', ['OBS-HIDDEN']]],
  );
  assert.equal(t.fidelity.unaccounted, 0);
});

test('pathology: folded comments are mapped, stand-in specimens are reported as placeholders', () => {
  for (const standIn of [false, true]) {
    const xml = syntheticExtract({ consultation: pathologyReport(standIn) });
    const f = assertAccounted(`pathology ${standIn}`, xml, translateExtractToBundle(xml));
    assert.equal(f.degraded, 0);
    assert.deepEqual(
      f.skippedBy.map((r) => r.reason),
      standIn ? ['placeholder with no content'] : [],
    );
  }
});

test('the summary gives the totals and each reason with the ids', () => {
  const xml = syntheticExtract({ consultation: observation('OBS-LOCAL', LOCAL_CODE) });
  const lines = fidelitySummary(translateExtractToBundle(xml).fidelity);
  assert.equal(lines[0], 'fidelity: 3 statements: 2 mapped, 1 degraded, 0 skipped');
  assert.equal(lines[1], '  degraded (no SNOMED CT code): 1 [OBS-LOCAL]');
});
