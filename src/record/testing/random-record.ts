import fc from 'fast-check';
import type { Bundle, FhirResource, List, Meta } from 'fhir/r3.js';
import {
  allergyEntry,
  type BuildContext,
  bloodPressureEntry,
  commentEntry,
  conditionEntry,
  documentEntry,
  type EntryBuilder,
  immunizationEntry,
  observationEntry,
  planEntry,
  referralEntry,
} from './random-entries.ts';
import { medicationEntry } from './random-medication.ts';
import { pathologyEntry } from './random-pathology.ts';
import {
  ENCOUNTER_TYPES,
  instant,
  line,
  nopatMeta,
  poolConcept,
  rarely,
  sctConcept,
} from './random-values.ts';

/**
 * Random synthetic GP Connect records for property tests: a patient (test-range NHS number), their practice,
 * one or two clinicians with their roles, consultations (Encounter → consultation List → topics → categories)
 * holding entries, and entries outside any consultation. Every kind of entry the translators handle appears.
 */

/** Synthetic NHS numbers in the 999 test range that pass the modulus 11 check. */
export const TEST_NHS_NUMBERS: readonly string[] = (() => {
  const out: string[] = [];
  for (let n = 1; out.length < 20; n++) {
    const digits = `999${String(n * 7919)
      .padStart(6, '0')
      .slice(-6)}`;
    const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    out.push(`${digits}${check === 11 ? 0 : check}`);
  }
  return out;
})();

/** Entries that may sit inside a consultation. */
const consultationEntry: fc.Arbitrary<EntryBuilder> = fc.oneof(
  observationEntry,
  bloodPressureEntry,
  commentEntry,
  allergyEntry,
  immunizationEntry,
  planEntry,
  referralEntry,
  documentEntry,
  pathologyEntry,
);
/** Entries of every kind, for outside consultations. */
const anyEntry: fc.Arbitrary<EntryBuilder> = fc.oneof(consultationEntry, conditionEntry, medicationEntry);

const consultationSpec = fc.record({
  type: poolConcept(ENCOUNTER_TYPES),
  start: instant,
  end: fc.option(instant, { nil: undefined }),
  topics: fc.array(
    fc.record({
      title: fc.option(line, { nil: undefined }),
      categories: fc.array(
        fc.record({ title: line, entries: fc.array(consultationEntry, { minLength: 1, maxLength: 3 }) }),
        { minLength: 1, maxLength: 2 },
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  nopat: rarely,
});

/** A random synthetic record as a GP Connect structured Bundle. */
export const randomRecord: fc.Arbitrary<Bundle> = fc
  .record({
    nhsNumber: fc.constantFrom(...TEST_NHS_NUMBERS),
    clinicians: fc.array(
      fc.record({ family: line, given: line, role: fc.option(line, { nil: undefined }) }),
      {
        minLength: 1,
        maxLength: 2,
      },
    ),
    consultations: fc.array(consultationSpec, { maxLength: 2 }),
    // At least one entry: an empty record travels as GP2GP's "no clinical entries" placeholder note, which
    // the receiving practice should see (src/record/to-hl7/empty-record.ts has its own test).
    loose: fc.array(anyEntry, { minLength: 1, maxLength: 6 }),
  })
  .map((spec) => {
    let n = 0;
    const resources: FhirResource[] = [
      {
        resourceType: 'Patient',
        id: 'pat-1',
        identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: spec.nhsNumber }],
        managingOrganization: { reference: 'Organization/org-1' },
      },
      {
        resourceType: 'Organization',
        id: 'org-1',
        identifier: [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'X99001' }],
        name: 'Synthetic Surgery',
      },
      { resourceType: 'Location', id: 'loc-1', name: 'Synthetic Surgery Main Site' },
    ];
    spec.clinicians.forEach((c, i) => {
      resources.push({
        resourceType: 'Practitioner',
        id: `prac-${i + 1}`,
        name: [{ family: c.family, given: [c.given], prefix: ['Dr'] }],
      });
      if (c.role)
        resources.push({
          resourceType: 'PractitionerRole',
          id: `role-${i + 1}`,
          practitioner: { reference: `Practitioner/prac-${i + 1}` },
          organization: { reference: 'Organization/org-1' },
          code: [{ text: c.role }],
        });
    });
    const ctx: BuildContext = { id: (prefix) => `${prefix}-${++n}`, practitioner: 'prac-1' };
    spec.consultations.forEach((c) => {
      resources.push(...consultation(ctx, c));
    });
    for (const entry of spec.loose) resources.push(...entry(ctx).resources);
    return {
      resourceType: 'Bundle',
      type: 'collection',
      entry: resources.map((resource) => ({ resource })),
    } satisfies Bundle;
  });

type ConsultationSpec = typeof consultationSpec extends fc.Arbitrary<infer T> ? T : never;

function consultation(ctx: BuildContext, c: ConsultationSpec): FhirResource[] {
  const encounterId = ctx.id('enc');
  const meta = nopatMeta(c.nopat);
  const encounterRef = { reference: `Encounter/${encounterId}` };
  const out: FhirResource[] = [
    {
      resourceType: 'Encounter',
      id: encounterId,
      status: 'finished',
      type: [sctConcept(c.type)],
      subject: { reference: 'Patient/pat-1' },
      period: { start: c.start, ...(c.end ? { end: c.end } : {}) },
      participant: [
        {
          type: [{ coding: [{ system: 'http://hl7.org/fhir/v3/ParticipationType', code: 'PPRF' }] }],
          individual: { reference: `Practitioner/${ctx.practitioner}` },
        },
      ],
      location: [{ location: { reference: 'Location/loc-1' } }],
      ...(meta ? { meta } : {}),
    },
  ];
  const topicRefs: string[] = [];
  for (const t of c.topics) {
    const categoryRefs: string[] = [];
    for (const cat of t.categories) {
      const built = cat.entries.map((e) => e(ctx));
      // A confidential consultation's ehrComposition is NOPAT, which covers everything in it: the entries
      // come back NOPAT whatever they said, so a NOPAT consultation holds NOPAT entries (docs: widening).
      for (const b of built) out.push(...b.resources.map((r) => (meta ? { ...r, meta } : r)));
      const id = ctx.id('category');
      out.push(
        list(
          id,
          '24781000000107',
          'Category (EHR)',
          encounterRef,
          c.start,
          {
            title: cat.title,
            refs: built.map((b) => `${b.listed.resourceType}/${b.listed.id}`),
          },
          meta,
        ),
      );
      categoryRefs.push(`List/${id}`);
    }
    const id = ctx.id('topic');
    out.push(
      list(
        id,
        '25851000000105',
        'Topic (EHR)',
        encounterRef,
        c.start,
        { title: t.title, refs: categoryRefs },
        meta,
      ),
    );
    topicRefs.push(`List/${id}`);
  }
  out.push(
    // GP Connect titles a consultation List with the consultation's type.
    list(
      ctx.id('consultation'),
      '325851000000107',
      'Consultation',
      encounterRef,
      c.start,
      {
        title: c.type.display,
        refs: topicRefs,
      },
      meta,
    ),
  );
  return out;
}

function list(
  id: string,
  code: string,
  display: string,
  encounter: { reference: string },
  date: string,
  content: { title: string | undefined; refs: string[] },
  meta: Meta | undefined,
): List {
  return {
    resourceType: 'List',
    id,
    ...(meta ? { meta } : {}),
    status: 'current',
    mode: 'snapshot',
    code: sctConcept({ code, display }),
    subject: { reference: 'Patient/pat-1' },
    encounter,
    date,
    ...(content.title ? { title: content.title } : {}),
    entry: content.refs.map((reference) => ({ item: { reference } })),
  };
}
