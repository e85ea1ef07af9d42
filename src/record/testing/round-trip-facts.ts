import type { FhirResource, Practitioner, Reference, Resource } from 'fhir/r3.js';
import { DEGRADE_CODES, DEGRADED_TAG } from '../codes/index.ts';
import { fingerprint, mainConcept } from './clinical-fingerprint.ts';
import type { Index } from './round-trip-index.ts';
import { codesOf, codingKey, conceptText, instantOf, quantityOf, type Side } from './round-trip-values.ts';

/*
 * The facts of each resource type the round-trip comparison holds beyond the shared fingerprint, and the codings
 * that stand in for a missing code (left out on both sides).
 */

/** The transfer-degraded codes a sender puts first where an entry has no SNOMED CT code (DESIGN.md §2). */
const DEGRADE_CODINGS = new Set(Object.values(DEGRADE_CODES).map((d) => `http://snomed.info/sct|${d.code}`));

/** True where the reader flagged the entry as degraded: its degrade code was added, not sent. */
function isDegraded(resource: FhirResource): boolean {
  return resource.meta?.tag?.some((t) => t.code === DEGRADED_TAG.code) === true;
}

/** "Other report": the composition code GP2GP requires, written for a consultation whose type has no SNOMED code. */
const OTHER_REPORT = 'http://snomed.info/sct|24591000000103';

/**
 * Codings that stand in for a missing code rather than name a concept, left out on both sides:
 * - a transfer-degraded code: a sender's (GP Connect bundles carry them too) and the one the reader adds are the
 *   same fact, that the entry has no SNOMED CT code, and the other codes are compared;
 * - "Other report" on a consultation: an ehrComposition must have a code from GP2GP's composition set, so a
 *   consultation type known only by its text travels as "Other report" with that text (compared).
 */
export function isStandIn(resource: FhirResource, coding: string, side: Side): boolean {
  if (DEGRADE_CODINGS.has(coding)) return side === 'original' || isDegraded(resource);
  return resource.resourceType === 'Encounter' && coding === OTHER_REPORT;
}

/** Facts of each type beyond the shared fingerprint. */
export function extraFacts(resource: FhirResource, index: Index, side: Side): Record<string, unknown> {
  switch (resource.resourceType) {
    case 'Observation':
      return {
        range: resource.referenceRange?.map((range) => [
          quantityOf(range.low),
          quantityOf(range.high),
          range.text,
        ]),
        components: resource.component?.map((c) => [codesOf(c.code), quantityOf(c.valueQuantity)]),
        interpretation: conceptText(resource.interpretation),
        site: conceptText(resource.bodySite),
        method: conceptText(resource.method),
        valueConcept: codesOf(resource.valueCodeableConcept) || undefined,
        specimen: typeOfSpecimen(index.resolve(resource.specimen)),
        // Members either way round: has-member from the group, or derived-from back to it (GP2GP readers
        // link a result's comments with derived-from where GP Connect senders use has-member).
        members: nonEmpty(
          index
            .membersOf(resource)
            .map((m) => codesOf(mainConcept(asRecord(m))))
            .sort(),
        ),
      };
    case 'ReferralRequest':
      return {
        priority: resource.priority,
        // Spaces around the text are layout; recipients are compared by name (GP2GP names them in the text).
        description: resource.description?.trim() || undefined,
        recipients: nonEmpty(
          ([] as Reference[])
            .concat(resource.recipient ?? [])
            .map((r) => recipientName(r, index))
            .sort(),
        ),
        // Its letters and other supporting entries, by what they are.
        supporting: nonEmpty(
          (resource.supportingInfo ?? []).map((r) => relatedKey(index.resolve(r), side)).sort(),
        ),
      };
    case 'List':
      // What each List holds, by the types of its entries (ids differ).
      return {
        entries: (resource.entry ?? [])
          .map((e) => index.resolve(e.item)?.resourceType ?? 'unresolved')
          .sort(),
      };
    case 'DiagnosticReport':
      return {
        conclusion: resource.conclusion,
        diagnoses: resource.codedDiagnosis?.map((d) => d.text),
        results: (resource.result ?? [])
          .map((ref) => JSON.stringify(fingerprint(index.resolve(ref) ?? { resourceType: 'Missing' }).codes))
          .sort(),
        specimens: (resource.specimen ?? []).map((ref) => typeOfSpecimen(index.resolve(ref))).sort(),
      };
    case 'Specimen':
      return {
        specimenType: resource.type?.text,
        accession: resource.accessionIdentifier?.value,
        collected: instantOf(resource.collection?.collectedDateTime),
        received: instantOf(resource.receivedTime),
        site: resource.collection?.bodySite?.text,
        method: resource.collection?.method?.text,
        volume: quantityOf(resource.collection?.quantity),
        fasting: resource.collection?.extension
          ?.filter((e) => e.url.endsWith('FastingStatus-1'))
          .map((e) => e.valueCodeableConcept?.text ?? quantityOf(e.valueDuration)),
      };
    case 'Condition':
      return {
        significance: resource.extension?.find((e) => e.url.endsWith('ProblemSignificance-1'))?.valueCode,
        // Recorded as uncertain (GP2GP has no other verification status: confirmed is the default).
        uncertain:
          resource.verificationStatus === 'provisional' || resource.verificationStatus === 'differential',
        related: (resource.extension ?? [])
          .filter((e) => e.url.endsWith('RelatedClinicalContent-1'))
          .map((e) => relatedKey(index.resolve(e.valueReference), side))
          .sort(),
      };
    case 'MedicationRequest':
    case 'MedicationStatement': {
      const dosage =
        resource.resourceType === 'MedicationRequest' ? resource.dosageInstruction : resource.dosage;
      const medication = index.resolve(resource.medicationReference);
      return {
        // The drug's codes, less a stand-in degrade code (as for the Medication itself).
        medication: (mainConcept(asRecord(medication))?.coding ?? [])
          .map(codingKey)
          .filter((c) => !(medication && isStandIn(medication, c, side)))
          .sort()
          .join(' '),
        // Supply quantities compare as values do: a unit by its UCUM form where it has one.
        dispensed: quantityOf(
          resource.resourceType === 'MedicationRequest' ? resource.dispenseRequest?.quantity : undefined,
        ),
        patientInstruction: nonEmpty((dosage ?? []).flatMap((d) => d.patientInstruction ?? [])),
      };
    }
    case 'DocumentReference':
      return {
        documentType: resource.type?.text,
        // An absent attachment is flagged in the description for the practice (docs: deliberate difference).
        description:
          resource.description?.replace(/^Absent attachment: (AbsentAttachment\S*)?/, '') || undefined,
        // `indexed` is an instant: a day alone (no valid instant) is read as that day's start, as readers do.
        indexed: instantOf(
          /^\d{4}-\d{2}-\d{2}$/.test(resource.indexed ?? '')
            ? `${resource.indexed}T00:00:00Z`
            : resource.indexed,
        ),
        created: instantOf(resource.created),
      };
    case 'Practitioner':
      return { name: nameOf(resource) };
    case 'PractitionerRole': {
      const practitioner = index.resolve(resource.practitioner);
      const org = index.resolve(resource.organization);
      return {
        role: resource.code?.map((c) => c.text ?? c.coding?.[0]?.display),
        practitioner: practitioner?.resourceType === 'Practitioner' ? nameOf(practitioner) : undefined,
        organization:
          org?.resourceType === 'Organization' ? [org.name, org.identifier?.[0]?.value] : undefined,
      };
    }
    default:
      return {};
  }
}

/** A referral recipient's name: the resource's, else the reference's display; runs of spaces are layout. */
function recipientName(ref: Reference, index: Index): string | undefined {
  const r = index.resolve(ref);
  const name =
    r?.resourceType === 'Organization'
      ? r.name
      : r?.resourceType === 'Practitioner'
        ? [...(r.name?.[0]?.given ?? []), r.name?.[0]?.family].join(' ')
        : ref.display;
  return name?.replace(/\s+/g, ' ').trim();
}

/** What a problem's related entry is, by type and codes (stand-in codings left out, as for the entry itself). */
function relatedKey(target: FhirResource | undefined, side: Side): string {
  if (!target) return 'unresolved';
  const codes = (mainConcept(asRecord(target))?.coding ?? [])
    .map(codingKey)
    .filter((c) => !isStandIn(target, c, side))
    .sort();
  return `${target.resourceType} ${codes.join(' ')}`.trim();
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined;
}

/** A person's name parts; spaces around a part are layout, not name (the HL7 writer trims them). */
function nameOf(p: Practitioner): unknown {
  const trim = (parts: string[] | undefined) => parts?.map((x) => x.trim());
  return p.name?.map((n) => [trim(n.prefix), trim(n.given), n.family?.trim()]);
}

function typeOfSpecimen(r: FhirResource | undefined): string | undefined {
  return r?.resourceType === 'Specimen' ? r.type?.text : undefined;
}

function asRecord(r: Resource | undefined): Record<string, unknown> {
  return (r ?? {}) as unknown as Record<string, unknown>;
}
