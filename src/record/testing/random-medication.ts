import fc from 'fast-check';
import type { FhirResource } from 'fhir/r3.js';
import type { EntryBuilder } from './random-entries.ts';
import { DRUGS, date, line, nopatMeta, poolConcept, rarely, sctConcept } from './random-values.ts';

const PATIENT = { reference: 'Patient/pat-1' };

/** A medication course: Medication, the authorisation (plan), its MedicationStatement and issues (orders). */
export const medicationEntry: fc.Arbitrary<EntryBuilder> = fc
  .record({
    drug: poolConcept(DRUGS),
    start: date,
    course: fc.constantFrom('ongoing', 'ended', 'stopped'),
    days: fc.integer({ min: 1, max: 400 }),
    dosage: line,
    quantity: fc.integer({ min: 1, max: 200 }),
    repeats: fc.integer({ min: 0, max: 6 }),
    issues: fc.integer({ min: 0, max: 2 }),
    note: fc.option(line, { nil: undefined }),
    nopat: rarely,
  })
  .map((s) => (ctx) => {
    const med = { resourceType: 'Medication', id: ctx.id('med'), code: sctConcept(s.drug) } as FhirResource;
    const planId = ctx.id('plan-med');
    const meta = nopatMeta(s.nopat);
    const end = s.course === 'ongoing' ? undefined : addDays(s.start, s.days);
    const common = {
      subject: PATIENT,
      medicationReference: { reference: `Medication/${med.id}` },
      dosageInstruction: [{ text: s.dosage }],
      ...(meta ? { meta } : {}),
    };
    const gpc = 'https://fhir.nhs.uk/STU3/StructureDefinition';
    const plan: FhirResource = {
      resourceType: 'MedicationRequest',
      id: planId,
      extension: [
        {
          url: `${gpc}/Extension-CareConnect-GPC-MedicationRepeatInformation-1`,
          extension: [{ url: 'numberOfRepeatPrescriptionsAllowed', valueUnsignedInt: s.repeats }],
        },
        ...(s.course === 'stopped'
          ? [
              {
                url: `${gpc}/Extension-CareConnect-GPC-MedicationStatusReason-1`,
                extension: [
                  { url: 'statusChangeDate', valueDateTime: end },
                  { url: 'statusReason', valueCodeableConcept: { text: 'No longer required' } },
                ],
              },
            ]
          : []),
      ],
      status: s.course === 'ongoing' ? 'active' : s.course === 'ended' ? 'completed' : 'stopped',
      intent: 'plan',
      authoredOn: s.start,
      recorder: { reference: `Practitioner/${ctx.practitioner}` },
      dispenseRequest: {
        quantity: { value: s.quantity, unit: 'tablet' },
        validityPeriod: { start: s.start, ...(end ? { end } : {}) },
      },
      ...(s.note ? { note: [{ text: s.note }] } : {}),
      ...common,
    };
    const statement: FhirResource = {
      resourceType: 'MedicationStatement',
      id: ctx.id('ms'),
      basedOn: [{ reference: `MedicationRequest/${planId}` }],
      status: s.course === 'ongoing' ? 'active' : s.course === 'ended' ? 'completed' : 'stopped',
      effectivePeriod: { start: s.start, ...(end ? { end } : {}) },
      dateAsserted: s.start,
      taken: 'unk',
      medicationReference: common.medicationReference,
      subject: PATIENT,
      dosage: [{ text: s.dosage }],
      ...(meta ? { meta } : {}),
    };
    // An acute course (no repeats) is issued once at most; a repeat course up to its repeats.
    const issues = Math.min(s.issues, Math.max(1, s.repeats));
    const orders: FhirResource[] = Array.from({ length: issues }, () => ({
      resourceType: 'MedicationRequest',
      id: ctx.id('order'),
      status: 'completed',
      intent: 'order',
      basedOn: [{ reference: `MedicationRequest/${planId}` }],
      authoredOn: s.start,
      dispenseRequest: { quantity: { value: s.quantity, unit: 'tablet' } },
      ...common,
    }));
    return { resources: [med, plan, statement, ...orders], listed: plan };
  });

function addDays(day: string, days: number): string {
  return new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);
}
