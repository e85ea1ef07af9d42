import type { Bundle, CodeableConcept, Resource } from 'fhir/r3.js';

/**
 * The clinical content of a resource, free of generated ids, timestamps' formatting and SNOMED preferred
 * terms (which depend on the terminology server's release): what a comparison between two translations of
 * the same record should agree on.
 */
export interface ClinicalFingerprint {
  readonly type: string;
  /** `system|code` of the main concept, sorted. */
  readonly codes: readonly string[];
  readonly text?: string;
  /** Named dates, normalised to the precision given (a trailing `.000` dropped). */
  readonly dates: Readonly<Record<string, string>>;
  /** Values and free texts (quantity, string, comment, notes, dosage). */
  readonly values: Readonly<Record<string, string>>;
}

/** The resource types a clinical comparison counts. */
export const CLINICAL_TYPES: readonly string[] = [
  'Encounter',
  'Condition',
  'AllergyIntolerance',
  'Medication',
  'MedicationRequest',
  'MedicationStatement',
  'Observation',
  'Immunization',
  'ProcedureRequest',
  'ReferralRequest',
  'DocumentReference',
  'DiagnosticReport',
  'List',
  'Specimen',
];

/** Resources of a bundle counted by type. */
export function countByType(bundle: Bundle): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of bundle.entry ?? []) {
    const t = e.resource?.resourceType;
    if (t) out[t] = (out[t] ?? 0) + 1;
  }
  return out;
}

/** The fingerprint of one resource. */
export function fingerprint(resource: Resource): ClinicalFingerprint {
  const r = resource as unknown as Record<string, unknown>;
  const concept = mainConcept(r);
  const dates: Record<string, string> = {};
  for (const key of DATE_FIELDS) {
    const v = r[key];
    if (typeof v === 'string') dates[key] = normaliseDate(v);
  }
  for (const key of ['effectivePeriod', 'period', 'occurrencePeriod'] as const) {
    const p = r[key] as { start?: string; end?: string } | undefined;
    if (p?.start) dates[`${key}.start`] = normaliseDate(p.start);
    if (p?.end) dates[`${key}.end`] = normaliseDate(p.end);
  }
  const values: Record<string, string> = {};
  const q = r.valueQuantity as { value?: number; unit?: string } | undefined;
  if (q) values.valueQuantity = `${q.value} ${q.unit ?? ''}`.trim();
  for (const key of ['valueString', 'comment', 'status', 'intent', 'clinicalStatus', 'title'] as const) {
    if (typeof r[key] === 'string') values[key] = r[key] as string;
  }
  const notes = (r.note as { text?: string }[] | undefined)?.map((n) => (n.text ?? '').trim()).join(' | ');
  if (notes) values.note = notes;
  const dosage = ((r.dosageInstruction ?? r.dosage) as { text?: string }[] | undefined)
    ?.map((d) => d.text)
    .join(' | ');
  if (dosage) values.dosage = dosage;
  const dispensed = (r.dispenseRequest as { quantity?: { value?: number; unit?: string } } | undefined)
    ?.quantity;
  if (dispensed) values.dispenseQuantity = `${dispensed.value} ${dispensed.unit ?? ''}`.trim();
  const category = r.category;
  if (Array.isArray(category) && typeof category[0] === 'string') values.category = category.join(',');
  return {
    type: resource.resourceType,
    codes: (concept?.coding ?? []).map((c) => `${c.system}|${c.code}`).sort(),
    ...(concept?.text ? { text: concept.text } : {}),
    dates,
    values,
  };
}

const DATE_FIELDS = [
  'effectiveDateTime',
  'onsetDateTime',
  'abatementDateTime',
  'assertedDate',
  'authoredOn',
  'occurrenceDateTime',
  'date',
  'issued',
  'dateAsserted',
] as const;

/** Drops a zero millisecond part so `…:00.000+00:00` and `…:00+00:00` compare equal. */
export function normaliseDate(v: string): string {
  // `[+-]|Z`, not `[+-Z]`: that class is the range '+'…'Z', digits included, and turned `.053` into `53`.
  return v.replace(/\.0+(?=[+-]|Z|$)/, '');
}

/**
 * The concept a resource is about (its code; a referral's reason; what an Immunization gave: its procedure, else,
 * where none is recorded, its vaccine, which GP2GP's one immunisation code then carries and a reader files as
 * the procedure).
 */
export function mainConcept(r: Record<string, unknown>): CodeableConcept | undefined {
  if (r.resourceType === 'Immunization') {
    const ext = (r.extension as { url: string; valueCodeableConcept?: CodeableConcept }[] | undefined)?.find(
      (e) => e.url.endsWith('VaccinationProcedure-1'),
    );
    const vaccine = r.vaccineCode as CodeableConcept | undefined;
    const vaccineKnown = vaccine?.coding?.some((c) => c.system !== 'http://hl7.org/fhir/v3/NullFlavor');
    return ext?.valueCodeableConcept ?? (vaccineKnown ? vaccine : undefined);
  }
  if (r.resourceType === 'ReferralRequest') return (r.reasonCode as CodeableConcept[] | undefined)?.[0];
  if (r.resourceType === 'Encounter') return (r.type as CodeableConcept[] | undefined)?.[0];
  return r.code as CodeableConcept | undefined;
}

/** A difference found between two fingerprints: the field and both values. */
export interface FingerprintDifference {
  readonly field: string;
  readonly ours: string | undefined;
  readonly expected: string | undefined;
}

/** Field-by-field differences between our fingerprint and the expected one. */
export function diffFingerprints(
  ours: ClinicalFingerprint,
  expected: ClinicalFingerprint,
): FingerprintDifference[] {
  const out: FingerprintDifference[] = [];
  const a = ours.codes.join(' ');
  const b = expected.codes.join(' ');
  if (a !== b) out.push({ field: 'codes', ours: a, expected: b });
  if (ours.text !== expected.text) out.push({ field: 'text', ours: ours.text, expected: expected.text });
  for (const [group, x, y] of [
    ['dates', ours.dates, expected.dates],
    ['values', ours.values, expected.values],
  ] as const) {
    for (const k of new Set([...Object.keys(x), ...Object.keys(y)])) {
      if (x[k] !== y[k]) out.push({ field: `${group}.${k}`, ours: x[k], expected: y[k] });
    }
  }
  return out;
}
