import type { CodeableConcept, FhirResource, Meta, Reference } from 'fhir/r3.js';
import { CODE_SYSTEMS } from '../codes/index.ts';
import { legacyConcept, legacyEquivalent } from './legacy-codes.ts';
import type { SeededRandom } from './random.ts';
import type { Concept } from './vocabulary.ts';

/** A member of the practice's staff as the record refers to them. */
export interface StaffMember {
  readonly practitioner: Reference;
  readonly role: 'gp' | 'nurse' | 'hca';
}

/** When an entry happened, when it was typed into the system, and by whom. */
export interface Recorded {
  /** The clinical time: in a consultation, the consultation's (as GP systems date its entries). */
  readonly at: number;
  /** When it was entered (FHIR `issued`): a little later. */
  readonly entered: number;
  readonly by: StaffMember;
}

/** The agents every entry can point at: the patient, the practice and its staff. */
export interface RecordAgents {
  readonly patient: Reference;
  readonly organization: Reference;
  readonly location: Reference;
  readonly staff: readonly StaffMember[];
}

/**
 * A record being built: where resources are collected, with the seeded randomness, fresh ids, the agents and
 * the chance that a coded entry carries a legacy code instead of SNOMED CT. Every entry builder writes into one.
 */
export class RecordDraft {
  readonly random: SeededRandom;
  readonly agents: RecordAgents;
  readonly #legacyRate: number;
  /** What every branch of the draft writes into: the resources, and what is made once per record. */
  #store: { readonly resources: FhirResource[]; readonly shared: Map<string, unknown> };

  constructor(random: SeededRandom, agents: RecordAgents, legacyRate: number) {
    this.random = random;
    this.agents = agents;
    this.#legacyRate = legacyRate;
    this.#store = { resources: [], shared: new Map() };
  }

  /** The resources written so far, in order. */
  get resources(): readonly FhirResource[] {
    return this.#store.resources;
  }

  /**
   * The same record drawn from another stream of randomness: what is written through it lands in this record,
   * but leaves this draft's own draws (and so everything else in the record) as they were.
   */
  branch(random: SeededRandom): RecordDraft {
    const branch = new RecordDraft(random, this.agents, this.#legacyRate);
    branch.#store = this.#store;
    return branch;
  }

  /** A fresh resource id. */
  id(): string {
    return this.random.uuid();
  }

  /** Adds resources to the record; returns the first, for chaining. */
  add<T extends FhirResource>(resource: T, ...more: FhirResource[]): T {
    this.#store.resources.push(resource, ...more);
    return resource;
  }

  /** An entry recorded outside any consultation, at `at`, by one of the clinicians. */
  recordedAt(at: number): Recorded {
    return { at, entered: at + this.random.int(30, 900) * 1000, by: this.clinician() };
  }

  /** The value made once per record for `key` (one Medication per drug, one Organization per hospital). */
  shared<T>(key: string, make: () => T): T {
    const { shared } = this.#store;
    if (shared.has(key)) return shared.get(key) as T;
    const value = make();
    shared.set(key, value);
    return value;
  }

  /** A clinician: a GP most of the time, else a nurse or health care assistant where the practice has one. */
  clinician(preferred?: StaffMember['role']): StaffMember {
    const { staff } = this.agents;
    const wanted =
      preferred ??
      this.random.weighted<StaffMember['role']>([
        ['gp', 70],
        ['nurse', 22],
        ['hca', 8],
      ]);
    const matching = staff.filter((s) => s.role === wanted);
    return this.random.pick(matching.length > 0 ? matching : staff);
  }

  /**
   * An entry's code: the concept in SNOMED CT or, now and then (the draft's legacy rate) where an older system
   * had a code for it, that Read v2 or EMIS code alone, which must degrade on transfer.
   */
  entryCode(concept: Concept): CodeableConcept {
    const legacy = legacyEquivalent(concept.code);
    return legacy && this.random.chance(this.#legacyRate) ? legacyConcept(legacy) : snomedConcept(concept);
  }
}

/** The NOPAT label for an entry the patient must not see online (a fresh object each time). */
export function nopatMeta(): Meta {
  return {
    security: [
      {
        system: 'http://hl7.org/fhir/v3/ActCode',
        code: 'NOPAT',
        display: "no disclosure to patient, family or caregivers without attending provider's authorization",
      },
    ],
  };
}

/** A SNOMED CT CodeableConcept for a concept. */
export function snomedConcept(concept: Concept): CodeableConcept {
  return { coding: [{ system: CODE_SYSTEMS.snomed.url, code: concept.code, display: concept.display }] };
}

/** A reference to a resource in the record. */
export function refTo(resource: FhirResource): Reference {
  return { reference: `${resource.resourceType}/${resource.id}` };
}
