import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { test } from 'node:test';
import type { Bundle, FhirResource, MedicationRequest } from 'fhir/r3.js';
import { SHARED_MISSING, sharedFiles, sharedPath } from '../../common/testing/shared-corpus.ts';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { type ConsultationLayout, translateBundleToExtract } from './index.ts';
import { batteryShift } from './testing/battery-counts.ts';
import { countCompound, countStatements, STATEMENT_KINDS } from './testing/statement-counts.ts';
import { TEST_ADDRESS } from './testing/test-address.ts';

/*
 * For every GP Connect bundle in the corpus, the extract we make must be XSD-valid and hold the same number of
 * each statement kind as the NHS sending adaptor's output. Two documented differences are accounted for:
 *
 * 1. The TC4 outputs come from an early adaptor release that wrote consultation entries straight into the
 *    ehrComposition; the later one (gpc-access-structured) writes GP Connect's Topic/Category Lists as TOPIC and
 *    CATEGORY CompoundStatements, which is our default. Each expected file is compared in the layout it was made
 *    with (detected from whether it holds any TOPIC), and the TC4 files are also checked in the default layout:
 *    only the consultation structure's CompoundStatements differ.
 * 2. The later release drops issues (MedicationRequest intent=order) whose authorisation it already wrote; we send
 *    every issue as its own MedicationStatement/ehrSupplyPrescribe in its own ehrComposition, because the issue
 *    history is clinical content the receiving practice needs (and the earlier release, TC4, sent them too).
 * 3. The adaptor sends nothing for an Encounter without a consultation List (nothing recorded, or entries
 *    withheld); we send its ehrComposition with an EhrEmpty entry, as EMIS Web does, because the consultation
 *    happened (who, when, where) and the receiving practice should see it.
 * 4. The adaptor writes a GP Connect battery (an Observation with `has-member`s: tobacco consumption, smoking
 *    status) as loose ObservationStatements, each outside a consultation in an ehrComposition of its own; we
 *    write it as a BATTERY CompoundStatement holding its members, so which results belong together survives
 *    (batteryShift counts the difference). A header with a comment or interpretation of its own carries them
 *    in a PMIP narrative inside the BATTERY (a CompoundStatement has no annotation), as the adaptor does for a
 *    test group header in a report; where the adaptor annotates the loose header, we write one NarrativeStatement
 *    more (batteryShift counts those too).
 * 5. The adaptor drops a referral's supporting information (its letters); we write a LinkSet naming the request
 *    and linking them, in the form the NHS requesting adaptor reads back as `supportingInfo`
 *    (docs/record-translation.md): one LinkSet more per referral with supporting information.
 * 6. The adaptor writes each problem in an ehrComposition of its own; a problem recorded in a consultation (its
 *    `context`) that names an Observation we write in that consultation's ehrComposition, so it comes back
 *    recorded there: one ehrComposition fewer per such problem.
 */

const bundles = sharedFiles('corpus/gpc-structured', /\.json$/);
const noXsd = xsdUnavailable();

for (const file of bundles) {
  const name = basename(file, '.json');
  const expectedPath = sharedPath('corpus/gpc-structured-expected-hl7', `${name}.xml`);
  test(`corpus ${name}: XSD-valid with the reference statement counts`, {
    skip: expectedPath ? (noXsd ?? false) : SHARED_MISSING,
  }, () => {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    const expectedXml = readFileSync(expectedPath ?? '', 'utf8');
    const layout: ConsultationLayout = countCompound(expectedXml, 'TOPIC') > 0 ? 'topics' : 'flat';
    const { xml, interactionId } = translateBundleToExtract(bundle, {
      addressing: TEST_ADDRESS,
      consultationLayout: layout,
    });
    const valid = validateXsd(xml, interactionId);
    assert.ok(valid.valid, valid.valid ? '' : valid.errors);

    const expected = countStatements(expectedXml);
    expected.ehrComposition += encountersWithoutList(bundle);
    const batteries = batteryShift(bundle);
    expected.ObservationStatement -= batteries.headers;
    expected.CompoundStatement += batteries.headers;
    expected.ehrComposition -= batteries.compositionsSaved;
    expected.NarrativeStatement += batteries.narratives;
    expected.LinkSet += referralsWithSupportingInfo(bundle);
    expected.ehrComposition -= problemsInConsultations(bundle);
    if (layout === 'topics') {
      const issues = droppedIssues(bundle, expectedXml);
      expected.MedicationStatement += issues;
      expected.ehrSupplyPrescribe += issues;
      expected.ehrComposition += issues;
    }
    assert.deepEqual(countStatements(xml), expected);
  });

  test(`corpus ${name}: the default layout only adds consultation structure`, {
    skip: expectedPath ? false : SHARED_MISSING,
  }, () => {
    const bundle = JSON.parse(readFileSync(file, 'utf8')) as Bundle;
    const flat = countStatements(
      translateBundleToExtract(bundle, { addressing: TEST_ADDRESS, consultationLayout: 'flat' }).xml,
    );
    const topicsXml = translateBundleToExtract(bundle, { addressing: TEST_ADDRESS }).xml;
    const topics = countStatements(topicsXml);
    for (const kind of STATEMENT_KINDS) {
      if (kind !== 'CompoundStatement') assert.equal(topics[kind], flat[kind], kind);
    }
    const allergyCategories = (
      topicsXml.match(
        /<CompoundStatement classCode="CATEGORY"[^>]*>\s*<id[^>]*\/>\s*<code code="(?:14L\.\.00|SN53\.00)"/g,
      ) ?? []
    ).length;
    const structure =
      countCompound(topicsXml, 'TOPIC') + countCompound(topicsXml, 'CATEGORY') - allergyCategories;
    assert.equal(topics.CompoundStatement - flat.CompoundStatement, structure);
  });
}

test('corpus bundles are present', { skip: bundles.length > 0 ? false : SHARED_MISSING }, () => {
  assert.ok(bundles.length >= 7);
});

/** Problems recorded in a consultation with Lists, in none of them, whose actual problem is an Observation. */
function problemsInConsultations(bundle: Bundle): number {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));
  const byRef = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const structure = ['325851000000107', '25851000000105', '24781000000107'];
  const lists = resources.filter(
    (r) => r.resourceType === 'List' && r.code?.coding?.some((c) => structure.includes(c.code ?? '')),
  );
  const listed = new Set(
    lists.flatMap((l) => (l.resourceType === 'List' ? (l.entry ?? []) : [])).map((e) => e.item.reference),
  );
  const withLists = new Set(
    lists.map((l) => (l.resourceType === 'List' ? l.encounter?.reference : undefined)),
  );
  return resources.filter((r) => {
    if (r.resourceType !== 'Condition' || listed.has(`Condition/${r.id}`)) return false;
    if (!r.context?.reference || !withLists.has(r.context.reference)) return false;
    const actual = r.extension?.find((e) => e.url.endsWith('ActualProblem-1'))?.valueReference?.reference;
    return byRef.get(actual ?? '')?.resourceType === 'Observation';
  }).length;
}

/** Issues the later adaptor release leaves out when the expected output has no ehrSupplyPrescribe at all. */
function droppedIssues(bundle: Bundle, expectedXml: string): number {
  if (countStatements(expectedXml).ehrSupplyPrescribe > 0) return 0;
  return (bundle.entry ?? [])
    .map((e) => e.resource as FhirResource | undefined)
    .filter((r): r is MedicationRequest => r?.resourceType === 'MedicationRequest')
    .filter((r) => r.intent === 'order' && r.status !== 'stopped').length;
}

/** Referrals with supporting information: each gets a LinkSet the adaptor does not write. */
function referralsWithSupportingInfo(bundle: Bundle): number {
  return (bundle.entry ?? []).filter((e) => {
    const r = e.resource as FhirResource | undefined;
    return r?.resourceType === 'ReferralRequest' && (r.supportingInfo?.length ?? 0) > 0;
  }).length;
}

/** Encounters no consultation List belongs to: the adaptor leaves them out. */
function encountersWithoutList(bundle: Bundle): number {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));
  const listed = new Set(
    resources.flatMap((r) =>
      r.resourceType === 'List' &&
      r.code?.coding?.some((c) => c.code === '325851000000107') &&
      r.encounter?.reference
        ? [r.encounter.reference]
        : [],
    ),
  );
  return resources.filter((r) => r.resourceType === 'Encounter' && !listed.has(`Encounter/${r.id}`)).length;
}
