import fc from 'fast-check';
import type { Extension, FhirResource, Observation } from 'fhir/r3.js';
import {
  DRUG_ALLERGIES,
  dateTime,
  FINDINGS,
  instant,
  line,
  lines,
  MEASUREMENTS,
  nopatMeta,
  OTHER_ALLERGIES,
  PLANS,
  PROBLEMS,
  poolConcept,
  REFERRALS,
  rarely,
  sctConcept,
  VACCINATIONS,
} from './random-values.ts';

/** Everything an entry builder needs: fresh ids and who recorded it. */
export interface BuildContext {
  readonly id: (prefix: string) => string;
  readonly practitioner: string;
}

/** What one entry adds to the bundle, and the resource a consultation List would hold for it. */
export interface BuiltEntry {
  readonly resources: FhirResource[];
  readonly listed: FhirResource;
}

/** An entry not yet given ids: built once the record knows its ids and practitioners. */
export type EntryBuilder = (ctx: BuildContext) => BuiltEntry;

const UCUM = 'http://unitsofmeasure.org';
const PATIENT = { reference: 'Patient/pat-1' };

const single = (resource: FhirResource): BuiltEntry => ({ resources: [resource], listed: resource });

const value = fc.double({ min: 0, max: 500, noNaN: true }).map((n) => Math.round(n * 10) / 10);

/** A coded Observation: a measurement with its value, a finding, or a finding with a text value. */
export const observationEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    kind: fc.constantFrom('measurement', 'finding', 'text', 'coded', 'degraded'),
    measurement: poolConcept(MEASUREMENTS),
    finding: poolConcept(FINDINGS),
    value,
    text: line,
    effective: dateTime,
    end: fc.option(dateTime, { nil: undefined }),
    comment: fc.option(lines, { nil: undefined }),
    interpretation: fc.option(line, { nil: undefined }),
    site: fc.option(line, { nil: undefined }),
    method: fc.option(line, { nil: undefined }),
    nopat: rarely,
  })
  .map((s) => (ctx) => {
    const concept = s.kind === 'measurement' ? s.measurement : s.finding;
    const obs: Observation = {
      resourceType: 'Observation',
      id: ctx.id('obs'),
      status: 'final',
      // A local code with no SNOMED CT mapping is sent degraded, keeping the original code and text.
      code:
        s.kind === 'degraded'
          ? { coding: [{ system: 'http://read.info/readv2', code: 'XaBcD', display: s.text }], text: s.text }
          : sctConcept(concept),
      subject: PATIENT,
      performer: [{ reference: `Practitioner/${ctx.practitioner}` }],
    };
    if (s.end) obs.effectivePeriod = { start: s.effective, end: s.end };
    else obs.effectiveDateTime = s.effective;
    if (s.kind === 'measurement')
      obs.valueQuantity = { value: s.value, unit: concept.unit, system: UCUM, code: concept.unit };
    if (s.kind === 'text') obs.valueString = s.text;
    if (s.kind === 'coded') obs.valueCodeableConcept = sctConcept(s.finding);
    if (s.interpretation) obs.interpretation = { text: s.interpretation };
    if (s.site) obs.bodySite = { text: s.site };
    if (s.method) obs.method = { text: s.method };
    if (s.comment) obs.comment = s.comment;
    const meta = nopatMeta(s.nopat);
    if (meta) obs.meta = meta;
    return single(obs);
  });

/** A blood pressure: systolic and diastolic components. */
export const bloodPressureEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    systolic: fc.integer({ min: 80, max: 200 }),
    diastolic: fc.integer({ min: 40, max: 120 }),
    effective: dateTime,
    comment: fc.option(line, { nil: undefined }),
    nopat: rarely,
  })
  .map((s) => (ctx) => {
    const part = (code: string, display: string, v: number) => ({
      code: sctConcept({ code, display }),
      valueQuantity: { value: v, unit: 'mm[Hg]', system: UCUM, code: 'mm[Hg]' },
    });
    const obs: Observation = {
      resourceType: 'Observation',
      id: ctx.id('bp'),
      status: 'final',
      code: sctConcept({ code: '163020007', display: 'O/E - blood pressure reading' }),
      subject: PATIENT,
      effectiveDateTime: s.effective,
      component: [
        part('72313002', 'Systolic arterial pressure', s.systolic),
        part('1091811000000102', 'Diastolic arterial pressure', s.diastolic),
      ],
    };
    if (s.comment) obs.comment = s.comment;
    const meta = nopatMeta(s.nopat);
    if (meta) obs.meta = meta;
    return single(obs);
  });

/** A free-text comment note. */
export const commentEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({ text: lines, effective: dateTime, nopat: rarely })
  .map((s) => (ctx) => {
    const obs: Observation = {
      resourceType: 'Observation',
      id: ctx.id('note'),
      status: 'final',
      code: sctConcept({ code: '37331000000100', display: 'Comment note' }),
      subject: PATIENT,
      effectiveDateTime: s.effective,
      comment: s.text,
    };
    const meta = nopatMeta(s.nopat);
    if (meta) obs.meta = meta;
    return single(obs);
  });

/** A problem with its actual-problem Observation and, sometimes, related clinical content. */
export const conditionEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    code: poolConcept(PROBLEMS),
    active: fc.boolean(),
    major: fc.boolean(),
    onset: dateTime,
    abatement: dateTime,
    asserted: dateTime,
    note: fc.option(line, { nil: undefined }),
    related: fc.option(poolConcept(FINDINGS), { nil: undefined }),
    // The actual problem: none, an Observation, or an allergy (sent with a transformed problem header).
    withActual: fc.constantFrom('none', 'observation', 'allergy'),
    nopat: rarely,
  })
  .map((s) => (ctx) => {
    const careConnect = 'https://fhir.hl7.org.uk/STU3/StructureDefinition';
    const actual: FhirResource =
      s.withActual === 'allergy'
        ? {
            resourceType: 'AllergyIntolerance',
            id: ctx.id('problem-allergy'),
            clinicalStatus: 'active',
            verificationStatus: 'confirmed',
            category: ['medication'],
            code: sctConcept(s.code),
            patient: PATIENT,
            onsetDateTime: s.onset,
            assertedDate: s.asserted,
          }
        : {
            resourceType: 'Observation',
            id: ctx.id('problem-obs'),
            status: 'final',
            code: sctConcept(s.code),
            subject: PATIENT,
            effectiveDateTime: s.onset,
          };
    const resources: FhirResource[] = s.withActual === 'none' ? [] : [actual];
    const extension: Extension[] = [
      {
        url: `${careConnect}/Extension-CareConnect-ProblemSignificance-1`,
        valueCode: s.major ? 'major' : 'minor',
      },
    ];
    if (s.withActual !== 'none')
      extension.push({
        url: `${careConnect}/Extension-CareConnect-ActualProblem-1`,
        valueReference: { reference: `${actual.resourceType}/${actual.id}` },
      });
    if (s.related) {
      const rel: Observation = {
        resourceType: 'Observation',
        id: ctx.id('related'),
        status: 'final',
        code: sctConcept(s.related),
        subject: PATIENT,
        effectiveDateTime: s.onset,
      };
      resources.push(rel);
      extension.push({
        url: `${careConnect}/Extension-CareConnect-RelatedClinicalContent-1`,
        valueReference: { reference: `Observation/${rel.id}` },
      });
    }
    const condition: FhirResource = {
      resourceType: 'Condition',
      id: ctx.id('cond'),
      extension,
      clinicalStatus: s.active ? 'active' : 'inactive',
      verificationStatus: 'confirmed',
      code: sctConcept(s.code),
      subject: PATIENT,
      onsetDateTime: s.onset,
      ...(s.active ? {} : { abatementDateTime: s.abatement }),
      assertedDate: s.asserted,
      asserter: { reference: `Practitioner/${ctx.practitioner}` },
      ...(s.note ? { note: [{ text: s.note }] } : {}),
      ...(nopatMeta(s.nopat) ? { meta: nopatMeta(s.nopat) } : {}),
    };
    resources.unshift(condition);
    return { resources, listed: condition };
  });

/** A drug or non-drug allergy. */
export const allergyEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    drug: fc.boolean(),
    status: fc.constantFrom<'active' | 'inactive' | 'resolved'>('active', 'inactive', 'resolved'),
    drugCode: poolConcept(DRUG_ALLERGIES),
    otherCode: poolConcept(OTHER_ALLERGIES),
    onset: dateTime,
    asserted: dateTime,
    note: fc.option(line, { nil: undefined }),
    nopat: rarely,
  })
  .map(
    (s) => (ctx) =>
      single({
        resourceType: 'AllergyIntolerance',
        id: ctx.id('allergy'),
        clinicalStatus: s.status,
        verificationStatus: 'confirmed',
        category: [s.drug ? 'medication' : 'environment'],
        code: sctConcept(s.drug ? s.drugCode : s.otherCode),
        patient: PATIENT,
        onsetDateTime: s.onset,
        assertedDate: s.asserted,
        recorder: { reference: `Practitioner/${ctx.practitioner}` },
        ...(s.note ? { note: [{ text: s.note }] } : {}),
        ...(nopatMeta(s.nopat) ? { meta: nopatMeta(s.nopat) } : {}),
      }),
  );

/** An immunisation: the vaccination procedure in GP Connect's extension. */
export const immunizationEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    procedure: poolConcept(VACCINATIONS),
    date: dateTime,
    note: fc.option(line, { nil: undefined }),
    nopat: rarely,
  })
  .map(
    (s) => (ctx) =>
      single({
        resourceType: 'Immunization',
        id: ctx.id('imm'),
        extension: [
          {
            url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1',
            valueCodeableConcept: sctConcept(s.procedure),
          },
        ],
        status: 'completed',
        notGiven: false,
        primarySource: true,
        patient: PATIENT,
        date: s.date,
        vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/v3/NullFlavor', code: 'UNK' }] },
        ...(s.note ? { note: [{ text: s.note }] } : {}),
        ...(nopatMeta(s.nopat) ? { meta: nopatMeta(s.nopat) } : {}),
      }),
  );

/** A recall (ProcedureRequest, intent plan). */
export const planEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    code: poolConcept(PLANS),
    due: dateTime,
    authored: dateTime,
    note: fc.option(line, { nil: undefined }),
    nopat: rarely,
  })
  .map(
    (s) => (ctx) =>
      single({
        resourceType: 'ProcedureRequest',
        id: ctx.id('plan'),
        status: 'active',
        intent: 'plan',
        code: sctConcept(s.code),
        subject: PATIENT,
        occurrenceDateTime: s.due,
        authoredOn: s.authored,
        ...(s.note ? { note: [{ text: s.note }] } : {}),
        ...(nopatMeta(s.nopat) ? { meta: nopatMeta(s.nopat) } : {}),
      }),
  );

/** A referral (ReferralRequest, intent order). */
export const referralEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    code: poolConcept(REFERRALS),
    authored: dateTime,
    priority: fc.constantFrom('routine', 'urgent', 'stat'),
    note: fc.option(line, { nil: undefined }),
    nopat: rarely,
  })
  .map(
    (s) => (ctx) =>
      single({
        resourceType: 'ReferralRequest',
        id: ctx.id('ref'),
        status: 'active',
        intent: 'order',
        subject: PATIENT,
        reasonCode: [sctConcept(s.code)],
        priority: s.priority,
        authoredOn: s.authored,
        ...(s.note ? { note: [{ text: s.note }] } : {}),
        ...(nopatMeta(s.nopat) ? { meta: nopatMeta(s.nopat) } : {}),
      }),
  );

/** A document: with its attachment, or without content (sent as an absent-attachment placeholder). */
export const documentEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    title: line,
    indexed: instant,
    description: fc.option(line, { nil: undefined }),
    content: fc.boolean(),
    nopat: rarely,
  })
  .map((s) => (ctx) => {
    const id = ctx.id('doc');
    return single({
      resourceType: 'DocumentReference',
      id,
      status: 'current',
      type: { text: s.title },
      subject: PATIENT,
      indexed: s.indexed,
      ...(s.description ? { description: s.description } : {}),
      content: s.content
        ? [{ attachment: { contentType: 'application/pdf', url: `https://example.invalid/Binary/${id}` } }]
        : [],
      ...(nopatMeta(s.nopat) ? { meta: nopatMeta(s.nopat) } : {}),
    });
  });
