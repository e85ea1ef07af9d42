import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Immunization,
  Medication,
  MedicationRequest,
  Observation,
  Patient,
  Resource,
} from 'fhir/r3.js';
import { codingsOf, conceptText, isDegraded, systemName } from './fhir-text.ts';

/** One line of a record section. */
export interface SummaryLine {
  readonly id: string;
  readonly text: string;
  readonly date: string;
  readonly detail: string;
  readonly degraded: boolean;
}

/** A degraded entry, with the codes the sender gave. */
export interface DegradedEntry {
  readonly resourceType: string;
  readonly id: string;
  readonly text: string;
  readonly originalCodes: string;
}

/** A document of the record, with its stored id where the bytes are here. */
export interface SummaryDocument {
  readonly id: string;
  readonly title: string;
  readonly type: string;
  readonly date: string;
  readonly contentType: string;
  readonly url: string | undefined;
  readonly absent: boolean;
}

/** What a clinician or summariser sees first of a record. */
export interface RecordSummary {
  readonly patient: { readonly name: string; readonly birthDate: string; readonly gender: string };
  readonly problems: readonly SummaryLine[];
  readonly medication: readonly SummaryLine[];
  readonly allergies: readonly SummaryLine[];
  readonly consultations: readonly SummaryLine[];
  readonly immunisations: readonly SummaryLine[];
  readonly results: readonly SummaryLine[];
  readonly documents: readonly SummaryDocument[];
  readonly degraded: readonly DegradedEntry[];
  readonly counts: Readonly<Record<string, number>>;
}

const RECENT_CONSULTATIONS = 10;

/**
 * The sections of a GP Connect record a practice reads before integrating it: problems, medication,
 * allergies, recent consultations, immunisations, results and documents, and every degraded entry.
 *
 * @example
 * const s = summariseRecord(bundle); s.degraded.length // entries with no SNOMED CT code
 */
export function summariseRecord(bundle: Bundle): RecordSummary {
  const resources = (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is NonNullable<typeof r> => !!r);
  const byRef = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const of = <T extends Resource>(type: string) =>
    resources.filter((r) => r.resourceType === type) as unknown as T[];
  const line = (r: Resource, text: string, date: string | undefined, detail: string): SummaryLine => ({
    id: r.id ?? '',
    text: text || '(no description)',
    date: (date ?? '').slice(0, 10),
    detail,
    degraded: isDegraded(r),
  });
  const patient = of<Patient>('Patient')[0];
  const name = patient?.name?.[0];
  const medicationName = (m: MedicationRequest) => {
    const ref = m.medicationReference?.reference;
    const med = ref ? (byRef.get(ref) as Medication | undefined) : undefined;
    return conceptText(med?.code ?? m.medicationCodeableConcept);
  };
  const labResults = new Set(
    of<DiagnosticReport>('DiagnosticReport').flatMap((d) => (d.result ?? []).map((r) => r.reference ?? '')),
  );
  const degraded = resources
    .filter((r) => isDegraded(r as Resource))
    .map((r) => degradedEntry(r as Resource));
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.resourceType] = (counts[r.resourceType] ?? 0) + 1;
  return {
    patient: {
      name: name
        ? [name.prefix?.join(' '), name.given?.join(' '), name.family].filter(Boolean).join(' ')
        : '',
      birthDate: patient?.birthDate ?? '',
      gender: patient?.gender ?? '',
    },
    problems: of<Condition>('Condition').map((c) =>
      line(c, conceptText(c.code), c.onsetDateTime ?? c.assertedDate, c.clinicalStatus ?? ''),
    ),
    medication: of<MedicationRequest>('MedicationRequest')
      .filter((m) => m.intent === 'plan')
      .map((m) =>
        line(
          m,
          medicationName(m),
          m.authoredOn,
          [prescriptionType(m), m.status, m.dosageInstruction?.[0]?.text].filter(Boolean).join(' · '),
        ),
      ),
    allergies: of<AllergyIntolerance>('AllergyIntolerance').map((a) =>
      line(
        a,
        conceptText(a.code),
        a.assertedDate ?? a.onsetDateTime,
        (a.reaction ?? []).flatMap((x) => x.manifestation.map(conceptText)).join(', '),
      ),
    ),
    consultations: of<Encounter>('Encounter')
      .sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''))
      .slice(0, RECENT_CONSULTATIONS)
      .map((e) => line(e, conceptText(e.type?.[0]), e.period?.start, e.status)),
    immunisations: of<Immunization>('Immunization').map((i) =>
      line(i, conceptText(i.vaccineCode), i.date, i.notGiven ? 'not given' : 'given'),
    ),
    results: of<Observation>('Observation')
      .filter((o) => labResults.has(`Observation/${o.id}`))
      .map((o) => line(o, conceptText(o.code), o.issued ?? o.effectiveDateTime, observationValue(o))),
    documents: of<DocumentReference>('DocumentReference').map((d) => {
      const a = d.content?.[0]?.attachment;
      return {
        id: d.id ?? '',
        title: a?.title ?? conceptText(d.type) ?? 'Document',
        type: conceptText(d.type),
        date: (d.indexed ?? '').slice(0, 10),
        contentType: a?.contentType ?? '',
        url: a?.url,
        absent: !a?.url || /AbsentAttachment/i.test(a.title ?? ''),
      };
    }),
    degraded,
    counts,
  };
}

/** A degraded resource as the worklists show it: its words and the codes the sender gave. */
export function degradedEntry(r: Resource): DegradedEntry {
  const concept = codeOf(r);
  return {
    resourceType: r.resourceType,
    id: r.id ?? '',
    text: conceptText(concept) || '(no description)',
    originalCodes: codingsOf(concept)
      .filter((c) => !isDegradeCodeDisplay(c.display))
      .map((c) => `${systemName(c.system)} ${c.code}${c.display ? ` (${c.display})` : ''}`)
      .join('; '),
  };
}

/** The concept that says what an entry is, by resource type. */
export function codeOf(r: Resource) {
  const any = r as unknown as Record<string, unknown>;
  const key = ['code', 'vaccineCode', 'medicationCodeableConcept'].find((k) => k in any);
  if (key) return any[key] as import('fhir/r3.js').CodeableConcept;
  const reason = any.reasonCode as import('fhir/r3.js').CodeableConcept[] | undefined;
  return reason?.[0];
}

function isDegradeCodeDisplay(display: string | undefined): boolean {
  return display?.startsWith('Transfer-degraded') === true;
}

/** `repeat`, `acute` or `repeat-dispensing`, from the GP Connect prescription type extension. */
export function prescriptionType(m: MedicationRequest): string {
  const ext = m.extension?.find((e) => e.url.includes('PrescriptionType'));
  return ext?.valueCodeableConcept?.coding?.[0]?.code ?? '';
}

function observationValue(o: Observation): string {
  if (o.valueQuantity) return `${o.valueQuantity.value ?? ''} ${o.valueQuantity.unit ?? ''}`.trim();
  if (o.valueString) return o.valueString;
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  return o.comment ?? '';
}
