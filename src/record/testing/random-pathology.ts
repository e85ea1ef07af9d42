import fc from 'fast-check';
import type { DiagnosticReport, FhirResource, Observation, Specimen } from 'fhir/r3.js';
import type { EntryBuilder } from './random-entries.ts';
import {
  dateTime,
  instant,
  LAB_TESTS,
  line,
  nopatMeta,
  type PoolConcept,
  poolConcept,
  rarely,
  sctConcept,
} from './random-values.ts';

const PATIENT = { reference: 'Patient/pat-1' };
const UCUM = 'http://unitsofmeasure.org';
const COMMENT_NOTE = { code: '37331000000100', display: 'Comment note' };
const BATTERY = { code: '26604007', display: 'Full blood count' };

const result = fc.record({
  test: poolConcept(LAB_TESTS),
  value: fc.integer({ min: 1, max: 2000 }).map((n) => n / 10),
  // Some results are text ("Positive", "See comment"), not numbers.
  textValue: fc.option(fc.constantFrom('Positive', 'Negative', 'See comment'), { nil: undefined }),
  range: fc.boolean(),
  interpretation: fc.option(fc.constantFrom('Normal', 'Borderline'), { nil: undefined }),
  comment: fc.option(line, { nil: undefined }),
  userComment: fc.option(line, { nil: undefined }),
  effective: fc.option(dateTime, { nil: undefined }),
  nopat: rarely,
});

const specimen = fc.record({
  type: fc.constantFrom('Serum', 'Blood', 'Urine'),
  accession: fc.stringMatching(/^[A-Z]{2}[0-9]{6}$/),
  collected: fc.option(dateTime, { nil: undefined }),
  received: fc.option(instant, { nil: undefined }),
  note: fc.option(line, { nil: undefined }),
  site: fc.option(fc.constantFrom('Left arm', 'Right arm'), { nil: undefined }),
  method: fc.option(fc.constantFrom('Venepuncture', 'Finger prick'), { nil: undefined }),
  volume: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
  results: fc.array(result, { minLength: 0, maxLength: 3 }),
  battery: fc.boolean(),
});

/** A pathology report: specimens with results (some grouped in a battery), comments and filing comments. */
export const pathologyEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    status: fc.constantFrom('final', 'preliminary', 'unknown'),
    issued: instant,
    effective: fc.option(dateTime, { nil: undefined }),
    conclusion: fc.option(line, { nil: undefined }),
    diagnosis: fc.option(line, { nil: undefined }),
    specimens: fc.array(specimen, { minLength: 0, maxLength: 2 }),
    // Results that name no specimen (the sender files them under a stand-in specimen).
    loose: fc.array(result, { maxLength: 2 }),
    filing: fc.option(fc.record({ text: line, date: dateTime }), { nil: undefined }),
    nopat: rarely,
  })
  .map((s) => (ctx) => {
    const resources: FhirResource[] = [];
    const reportResults: { reference: string }[] = [];
    const specimenRefs: { reference: string }[] = [];
    for (const given of s.specimens) {
      const specimenResource: Specimen = {
        resourceType: 'Specimen',
        id: ctx.id('spec'),
        subject: PATIENT,
        type: { text: given.type },
        accessionIdentifier: { value: given.accession },
        collection: {
          ...(given.collected ? { collectedDateTime: given.collected } : {}),
          ...(given.site ? { bodySite: { text: given.site } } : {}),
          ...(given.method ? { method: { text: given.method } } : {}),
          ...(given.volume ? { quantity: { value: given.volume, unit: 'mL' } } : {}),
        },
        ...(given.received ? { receivedTime: given.received } : {}),
        ...(given.note ? { note: [{ text: given.note }] } : {}),
      };
      const specimenRef = { reference: `Specimen/${specimenResource.id}` };
      specimenRefs.push(specimenRef);
      resources.push(specimenResource);
      const tests = given.results.map((r) => {
        const built = labResult(ctx.id, r, specimenRef, s.issued);
        resources.push(...built);
        return built[0] as Observation;
      });
      if (given.battery && tests.length > 0) {
        const header: Observation = {
          resourceType: 'Observation',
          id: ctx.id('battery'),
          status: 'final',
          code: sctConcept(BATTERY),
          subject: PATIENT,
          issued: s.issued,
          specimen: specimenRef,
          related: tests.map((t) => ({ type: 'has-member', target: { reference: `Observation/${t.id}` } })),
        };
        resources.push(header);
        reportResults.push({ reference: `Observation/${header.id}` });
      } else reportResults.push(...tests.map((t) => ({ reference: `Observation/${t.id}` })));
    }
    for (const r of s.loose) {
      const built = labResult(ctx.id, r, undefined, s.issued);
      resources.push(...built);
      reportResults.push({ reference: `Observation/${built[0]?.id}` });
    }
    if (s.filing) {
      const filing: Observation = {
        resourceType: 'Observation',
        id: ctx.id('filing'),
        status: 'final',
        code: sctConcept(COMMENT_NOTE),
        subject: PATIENT,
        effectiveDateTime: s.filing.date,
        comment: s.filing.text,
      };
      resources.push(filing);
      reportResults.push({ reference: `Observation/${filing.id}` });
    }
    const report: DiagnosticReport = {
      resourceType: 'DiagnosticReport',
      id: ctx.id('report'),
      status: s.status as DiagnosticReport['status'],
      code: sctConcept({ code: '721981007', display: 'Diagnostic studies report' }),
      subject: PATIENT,
      issued: s.issued,
      specimen: specimenRefs,
      result: reportResults,
      performer: [{ actor: { reference: `Practitioner/${ctx.practitioner}` } }],
      ...(s.effective ? { effectiveDateTime: s.effective } : {}),
      ...(s.conclusion ? { conclusion: s.conclusion } : {}),
      ...(s.diagnosis ? { codedDiagnosis: [{ text: s.diagnosis }] } : {}),
      ...(nopatMeta(s.nopat) ? { meta: nopatMeta(s.nopat) } : {}),
    };
    return { resources: [report, ...resources], listed: report };
  });

type ResultSpec = {
  test: PoolConcept;
  value: number;
  textValue: string | undefined;
  range: boolean;
  interpretation: string | undefined;
  comment: string | undefined;
  userComment: string | undefined;
  effective: string | undefined;
  nopat: boolean;
};

function labResult(
  id: (prefix: string) => string,
  r: ResultSpec,
  specimenRef: { reference: string } | undefined,
  issued: string,
): FhirResource[] {
  const obs: Observation = {
    resourceType: 'Observation',
    id: id('lab'),
    status: 'final',
    category: [
      {
        coding: [
          { system: 'http://hl7.org/fhir/observation-category', code: 'laboratory', display: 'Laboratory' },
        ],
      },
    ],
    code: sctConcept(r.test),
    subject: PATIENT,
    issued,
    ...(specimenRef ? { specimen: specimenRef } : {}),
    ...(r.textValue
      ? { valueString: r.textValue }
      : { valueQuantity: { value: r.value, unit: r.test.unit, system: UCUM, code: r.test.unit } }),
    ...(r.effective ? { effectiveDateTime: r.effective } : {}),
    ...(r.range
      ? {
          referenceRange: [
            {
              low: { value: 1, unit: r.test.unit, system: UCUM, code: r.test.unit },
              high: { value: 150, unit: r.test.unit, system: UCUM, code: r.test.unit },
            },
          ],
        }
      : {}),
    ...(r.interpretation ? { interpretation: { text: r.interpretation } } : {}),
    ...(r.comment ? { comment: r.comment } : {}),
    ...(nopatMeta(r.nopat) ? { meta: nopatMeta(r.nopat) } : {}),
  };
  if (!r.userComment) return [obs];
  const note: Observation = {
    resourceType: 'Observation',
    id: id('lab-note'),
    status: 'final',
    code: sctConcept(COMMENT_NOTE),
    subject: PATIENT,
    comment: r.userComment,
    ...(r.effective ? { effectiveDateTime: r.effective } : {}),
  };
  obs.related = [{ type: 'has-member', target: { reference: `Observation/${note.id}` } }];
  return [obs, note];
}
