import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isImmunisationCode } from '../codes/immunisation-codes.ts';
import { isSnomedId } from '../codes/index.ts';
import { LAB_PANELS } from './lab-panels.ts';
import { DRUG_ALLERGIES, DRUGS, PROBLEMS } from './problems-and-drugs.ts';
import {
  BLOOD_PRESSURE,
  CERVICAL_SMEAR,
  CHILDHOOD_IMMUNISATIONS,
  COMMENT_NOTE,
  type Concept,
  DOCUMENT_TYPES,
  ENCOUNTER_TYPES,
  FINDINGS,
  FLU_VACCINATION,
  HEPATITIS_B_VACCINATION,
  MEASUREMENTS,
  OTHER_ALLERGIES,
  RECALLS,
  REFERRALS,
  SMOKING_STATUS,
} from './vocabulary.ts';

const coded = (items: readonly (readonly [Concept | string, number])[]) =>
  items.map(([c]) => c).filter((c): c is Concept => typeof c !== 'string');

const ALL: readonly Concept[] = [
  ...Object.values(DRUGS),
  ...PROBLEMS.flatMap((p) => [p.concept, ...p.findings, ...(p.recall ? [p.recall] : [])]),
  ...DRUG_ALLERGIES.flatMap((a) => [a.concept, ...(a.substance ? [a.substance] : [])]),
  ...OTHER_ALLERGIES,
  ...Object.values(FINDINGS),
  ...Object.values(MEASUREMENTS),
  ...Object.values(BLOOD_PRESSURE),
  ...SMOKING_STATUS,
  COMMENT_NOTE,
  CERVICAL_SMEAR,
  ...CHILDHOOD_IMMUNISATIONS.map(([c]) => c),
  FLU_VACCINATION,
  HEPATITIS_B_VACCINATION,
  ...REFERRALS,
  ...RECALLS,
  ...coded(ENCOUNTER_TYPES),
  ...coded(DOCUMENT_TYPES),
  ...LAB_PANELS.flatMap((p) => [
    ...(p.header ? [p.header] : []),
    ...p.tests,
    ...(p.textResults ? [p.textResults.test] : []),
  ]),
];

// A mistyped id would make an entry degrade on transfer that should not.
test('every concept of the vocabulary is a well-formed SNOMED CT id', () => {
  assert.deepEqual(
    ALL.filter((c) => !isSnomedId(c.code)).map((c) => `${c.code} ${c.display}`),
    [],
  );
});

test('every vaccination is one the translators recognise as an immunisation', () => {
  const vaccinations = [...CHILDHOOD_IMMUNISATIONS.map(([c]) => c), FLU_VACCINATION, HEPATITIS_B_VACCINATION];
  assert.deepEqual(
    vaccinations.filter((c) => !isImmunisationCode(c.code)).map((c) => c.display),
    [],
  );
});

test('every reference range is a range, and values centre within reach of it', () => {
  for (const panel of LAB_PANELS)
    for (const t of panel.tests) {
      assert.ok(t.low < t.high, t.display);
      assert.ok(t.mean > t.low - 3 * t.sd && t.mean < t.high + 3 * t.sd, t.display);
    }
});
