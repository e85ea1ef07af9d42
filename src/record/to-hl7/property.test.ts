import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { FhirResource } from 'fhir/r3.js';
import { validateXsd, xsdUnavailable } from '../../common/testing/xsd.ts';
import { translateBundleToExtract } from './index.ts';
import {
  baseResources,
  bundleOf,
  clinicalResources,
  consultation,
  sequentialIds,
} from './testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './testing/test-address.ts';

const noXsd = xsdUnavailable();

// Values that stress the writer: any unicode (controls and lone surrogates included), odd dates, odd codes.
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '<&>"\'', 'Ünïcödé ✓'),
);
const date = fc.oneof(
  fc
    .date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2020',
    '2020-02',
    '2020-02-30',
    '2021-13-01',
    'yesterday',
    '2020-06-01T10:00:00+01:00',
    '',
  ),
);
const code = fc.oneof(
  fc.constantFrom('60621009', '163020007', '37331000000100', 'A B', ''),
  fc.string({ maxLength: 12 }),
);

/** A random edit applied to one resource. */
const mutation = fc.record({
  field: fc.constantFrom(
    'comment',
    'effectiveDateTime',
    'issued',
    'assertedDate',
    'authoredOn',
    'date',
    'description',
    'text',
    'code',
    'nopat',
    'drop-code',
    'value',
  ),
  text,
  date,
  code,
  number: fc.double({ noNaN: false }),
});

const record = fc.record({
  keep: fc.array(fc.boolean(), {
    minLength: clinicalResources().length,
    maxLength: clinicalResources().length,
  }),
  mutations: fc.array(fc.tuple(fc.nat(), mutation), { maxLength: 12 }),
  withConsultation: fc.boolean(),
  flat: fc.boolean(),
});

function mutate(resource: FhirResource, m: MutationValue): FhirResource {
  const r = structuredClone(resource) as unknown as Record<string, unknown>;
  switch (m.field) {
    case 'comment':
    case 'description':
      r[m.field] = m.text;
      break;
    case 'text':
      r.code = { text: m.text };
      break;
    case 'code':
      r.code = { coding: [{ system: 'http://snomed.info/sct', code: m.code, display: m.text }] };
      break;
    case 'drop-code':
      delete r.code;
      break;
    case 'nopat':
      r.meta = { security: [{ code: 'NOPAT' }] };
      break;
    case 'value':
      r.valueQuantity = { value: m.number, unit: m.text, code: m.code, system: 'http://unitsofmeasure.org' };
      break;
    default:
      r[m.field] = m.date;
  }
  return r as unknown as FhirResource;
}

type MutationValue = { field: string; text: string; date: string; code: string; number: number };

test('random synthetic records always translate to an XSD-valid extract', { skip: noXsd ?? false }, () => {
  const all = clinicalResources();
  fc.assert(
    fc.property(record, ({ keep, mutations, withConsultation, flat }) => {
      let resources = all.filter((_, i) => keep[i]);
      for (const [at, m] of mutations) {
        if (resources.length === 0) break;
        const i = at % resources.length;
        resources = resources.map((r, j) => (j === i ? mutate(r, m as MutationValue) : r));
      }
      const present = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
      const inConsultation = ['Observation/obs-1', 'Observation/bp-1'].filter((k) => present.has(k));
      const bundle = bundleOf([
        ...baseResources(),
        ...(withConsultation ? consultation('enc-p', inConsultation, ['Observation/comment-1']) : []),
        ...resources,
      ]);
      const { xml, interactionId } = translateBundleToExtract(bundle, {
        addressing: TEST_ADDRESS,
        newId: sequentialIds(),
        consultationLayout: flat ? 'flat' : 'topics',
      });
      const result = validateXsd(xml, interactionId);
      assert.ok(result.valid, result.valid ? '' : result.errors);
    }),
    { numRuns: Number(process.env.PROPERTY_RUNS ?? 20) },
  );
});
