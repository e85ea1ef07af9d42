import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { InputError } from '../common/input-error.ts';
import { sharedFiles } from '../common/testing/shared-corpus.ts';
import { translateExtractToBundle } from './from-hl7/translate-extract.ts';
import { translateBundleToExtract } from './to-hl7/index.ts';
import { syntheticBundle } from './to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from './to-hl7/testing/test-address.ts';

/**
 * "Unmappable or malformed content never aborts a whole record": real and synthetic extracts, damaged the way
 * senders damage them (attributes emptied or given junk, elements missing, elements repeated), must still
 * translate — entries skipped or degraded with warnings — or, when the damage hits the envelope itself, be
 * refused as bad input. Any other exception is a bug.
 */
const seeds: string[] = [
  translateBundleToExtract(syntheticBundle(), { addressing: TEST_ADDRESS }).xml,
  ...sharedFiles('corpus/ehr-extract', /^PWTP[35]\.xml$/).map((f) => readFileSync(f, 'utf8')),
];

const ATTRIBUTE = /\b(code|codeSystem|value|root|extension|unit|classCode|moodCode|nullFlavor)="[^"]*"/g;
const SELF_CLOSING = /<[A-Za-z][\w:]*(?:\s[^<>]*)?\/>/g;
const JUNK = [
  '',
  ' ',
  'X',
  '-1',
  '99999999999999999999',
  '2024-13-45',
  'NaN',
  '&amp;',
  'urn:unknown',
  '\u00e9\u00e8',
];

type Mutation =
  | { readonly op: 'attribute'; readonly at: number; readonly junk: number }
  | { readonly op: 'drop-empty-element'; readonly at: number }
  | { readonly op: 'repeat-empty-element'; readonly at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('attribute' as const), at: position, junk: fc.nat({ max: JUNK.length - 1 }) }),
  fc.record({ op: fc.constant('drop-empty-element' as const), at: position }),
  fc.record({ op: fc.constant('repeat-empty-element' as const), at: position }),
);

function nth(xml: string, pattern: RegExp, at: number): RegExpExecArray | undefined {
  const all = [...xml.matchAll(pattern)];
  return all.length === 0 ? undefined : (all[Math.floor(at * all.length)] as RegExpExecArray);
}

function mutate(xml: string, m: Mutation): string {
  const pattern = m.op === 'attribute' ? ATTRIBUTE : SELF_CLOSING;
  const hit = nth(xml, pattern, m.at);
  if (!hit) return xml;
  const before = xml.slice(0, hit.index);
  const after = xml.slice(hit.index + hit[0].length);
  switch (m.op) {
    case 'attribute':
      return `${before}${hit[1]}="${JUNK[m.junk]}"${after}`;
    case 'drop-empty-element':
      return `${before}${after}`;
    case 'repeat-empty-element':
      return `${before}${hit[0]}${hit[0]}${after}`;
  }
}

test('damaged extracts translate with warnings or are refused as bad input, never crash (property)', () => {
  fc.assert(
    fc.property(
      fc.nat({ max: seeds.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 6 }),
      (i, ms) => {
        const xml = ms.reduce(mutate, seeds[i]!);
        try {
          const { bundle } = translateExtractToBundle(xml);
          assert.equal(bundle.resourceType, 'Bundle');
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
        }
      },
    ),
    { numRuns: Number(process.env.MUTATION_RUNS ?? 60) },
  );
});
