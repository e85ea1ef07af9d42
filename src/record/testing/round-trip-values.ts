import type { CodeableConcept, Coding, FhirResource, Quantity } from 'fhir/r3.js';
import { codeSystemByUrl, systemUrlForOid } from '../codes/index.ts';
import { ucumCodeOf } from '../codes/ucum-units.ts';
import { isApproximate } from '../uncertainty.ts';

/**
 * How the round-trip comparison reads single values (codes, quantities, times, notes), so that two spellings of
 * the same content compare equal and only content differences remain. Each rule says why the spellings are
 * the same content; docs/record-translation.md lists them.
 */

/**
 * A coding's system as GP2GP carries it: one OID per code system. Two FHIR URIs for one OID (EMIS drug codes are
 * `https://fhir.hl7.org.uk/Id/emis-drug-codes` in EMIS Web's GP Connect and `urn:oid:2.16.840.1.113883.2.1.6.9`
 * from the NHS requesting adaptor) name the same system; HL7 has no place for which URI the sender used.
 */
export function canonicalSystem(system: string | undefined): string | undefined {
  const known = codeSystemByUrl(system);
  return known ? systemUrlForOid(known.oid) : system;
}

/** `system|code` of a coding, its system canonical. */
export function codingKey(c: { system?: string; code?: string }): string {
  return `${canonicalSystem(c.system)}|${c.code}`;
}

/** The codings of a concept as sorted `system|code` keys, space-separated. */
export function codesOf(concept: { coding?: { system?: string; code?: string }[] } | undefined): string {
  return (concept?.coding ?? []).map(codingKey).sort().join(' ');
}

/** GP Connect's extension naming the SNOMED CT description a clinician chose for a coding. */
const DESCRIPTION_ID = 'Extension-coding-sctdescid';

/**
 * A concept's text as a person reads it: its text; else the term of the coding the clinician picked
 * (`userSelected`); else the SNOMED CT description the clinician chose (GP Connect's `descriptionDisplay`, which
 * GP2GP carries as the displayName); else its first coding's display. A SNOMED CT coding's display on its own is
 * the preferred term of a terminology release, not what was recorded.
 */
export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (concept?.text) return concept.text;
  const codings = concept?.coding ?? [];
  const picked = codings.find((c) => c.userSelected === true);
  if (picked) return descriptionOf(picked) ?? picked.display;
  for (const coding of codings) {
    const chosen = descriptionOf(coding);
    if (chosen) return chosen;
  }
  return codings[0]?.display;
}

function descriptionOf(coding: Coding): string | undefined {
  const ext = coding.extension?.find((e) => e.url.endsWith(DESCRIPTION_ID));
  return ext?.extension?.find((e) => e.url === 'descriptionDisplay')?.valueString;
}

/** A quantity as value and unit, the UCUM code standing for the unit where there is one. */
export function quantityOf(q: unknown): string | undefined {
  const quantity = q as
    | {
        value?: number;
        unit?: string;
        code?: string;
        system?: string;
        comparator?: string;
        extension?: unknown[];
      }
    | undefined;
  if (!quantity) return undefined;
  // Units compare by their UCUM form where they have one: a text unit comes back coded (its text kept).
  const unit =
    quantity.system === 'http://unitsofmeasure.org'
      ? quantity.code
      : (ucumCodeOf(quantity.unit) ?? quantity.unit);
  // A one-sided result keeps its comparator (> is not >=), and an approximate one says so.
  const approximate = isApproximate(quantity as Quantity) ? ' (approximate)' : '';
  return `${quantity.comparator ?? ''}${quantity.value} ${unit ?? ''}`.trim() + approximate;
}

/** A FHIR time as the instant it names (UTC), keeping date-only values as they are. */
export function instantOf(v: string | undefined): string | undefined {
  if (v === undefined || !v.includes('T')) return v;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

/** Which record a value comes from. */
export type Side = 'original' | 'round-trip';

/** Notes, without the lines a GP2GP sender writes for fields the extract has no element for. */
export function notesOf(resource: FhirResource, side: Side): string {
  const notes = ((resource as { note?: { text?: string }[] }).note ?? []).flatMap((n) =>
    (n.text ?? '').split('\n'),
  );
  const kept = side === 'original' ? notes : notes.filter((l) => !isCarrierLine(resource.resourceType, l));
  return kept
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' | ');
}

/**
 * Note lines that restate a structured field because the extract has no element for it (the field itself is
 * compared where it survives, or is listed as not surviving in docs/record-translation.md).
 */
const CARRIER_LINES: Readonly<Record<string, RegExp>> = {
  // Allergy status, type, criticality and reactions: an ObservationStatement has no place for them.
  AllergyIntolerance: /^(Status: |Type: |Criticality: |Reaction: )/,
  // The problem's status and significance are the LinkSet code; its original text restates them.
  Condition: /^((Active|Inactive) Problem, (major|minor)|Defaulted )/,
  // Prescription type and repeat counts travel as supply annotations.
  MedicationRequest: /^(Prescription type: |Repeats issued: |Expected Supply Duration: )/,
};

function isCarrierLine(type: string, line: string): boolean {
  return CARRIER_LINES[type]?.test(line.trim()) === true;
}
