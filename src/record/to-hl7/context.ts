import { randomUUID } from 'node:crypto';
import type { FhirResource, Reference, Resource } from 'fhir/r3.js';
import type { XmlSpec } from '../../xml/index.ts';
import { x } from '../../xml/index.ts';
import { type BundleIndex, keyOf, type ResourceKey } from './bundle-index.ts';
import { earlierTime, laterTime } from './hl7-time.ts';

/** FHIR `meta.security` code that marks a resource as not to be shown to the patient. */
export const NOPAT_CODE = 'NOPAT';

/**
 * Everything one translation shares: the bundle index, HL7 ids handed out per FHIR resource, which resources
 * are already written (so nothing is written twice), the agent directory's ids and the warnings collected.
 */
export class TranslationContext {
  readonly index: BundleIndex;
  readonly warnings: string[] = [];
  readonly newId: () => string;
  /** Agent id used wherever an author or performer is missing or unknown. */
  defaultAgentId = '';
  /** Set once any written statement carried NOPAT, which makes the message UK07. */
  usedNopat = false;
  readonly #ids = new Map<string, string>();
  readonly #mapped = new Set<ResourceKey>();
  readonly #agents = new Map<ResourceKey, string>();
  /** Earliest and latest composition times, for the folder's effectiveTime. */
  earliest: string | undefined;
  latest: string | undefined;

  constructor(index: BundleIndex, newId: (() => string) | undefined) {
    this.index = index;
    this.newId = newId ?? (() => randomUUID().toUpperCase());
  }

  /** The HL7 id for a resource key, made on first use so references and statements agree. */
  idFor(key: ResourceKey | undefined): string {
    if (key === undefined) return this.newId();
    let id = this.#ids.get(key);
    if (!id) {
      id = this.newId();
      this.#ids.set(key, id);
    }
    return id;
  }

  /** The HL7 id for a resource (by its key). */
  idOf(resource: Resource): string {
    return this.idFor(this.index.keyFor(resource) ?? keyOf(resource));
  }

  /** Records that a resource has been written. */
  markMapped(resource: Resource): void {
    const key = this.index.keyFor(resource);
    if (key) this.#mapped.add(key);
  }

  /** True where the resource has already been written somewhere in the extract. */
  isMapped(resource: Resource): boolean {
    const key = this.index.keyFor(resource);
    return key !== undefined && this.#mapped.has(key);
  }

  /** Registers an agent (Practitioner or Organization key) under an agent id. */
  registerAgent(key: ResourceKey, agentId: string): void {
    this.#agents.set(key, agentId);
  }

  /** The agent id for a reference to a Practitioner, PractitionerRole or Organization, else the default. */
  agentIdFor(reference: Reference | undefined): string {
    const resource = this.index.resolve(reference);
    if (resource?.resourceType === 'PractitionerRole') return this.agentIdFor(resource.practitioner);
    const key = resource ? this.index.keyFor(resource) : undefined;
    return (key && this.#agents.get(key)) || this.defaultAgentId;
  }

  /** Widens the record's time span to include a composition time. */
  noteTime(time: string | undefined): void {
    this.earliest = earlierTime(this.earliest, time);
    this.latest = laterTime(this.latest, time);
  }

  /** Records a warning about one resource. */
  warn(resource: Resource | undefined, message: string): void {
    const where = resource ? `${resource.resourceType}/${resource.id ?? '?'}` : 'bundle';
    this.warnings.push(`${where}: ${message}`);
  }

  /** The `confidentialityCode` element for a NOPAT resource (and notes that UK07 is needed), else undefined. */
  confidentiality(resource: Resource | undefined): XmlSpec | undefined {
    if (!isNopat(resource)) return undefined;
    this.usedNopat = true;
    return x('confidentialityCode', {
      code: NOPAT_CODE,
      codeSystem: '2.16.840.1.113883.4.642.3.47',
      displayName:
        "no disclosure to patient, family or caregivers without attending provider's authorization",
    });
  }
}

/** True where the resource carries the NOPAT security label. */
export function isNopat(resource: Resource | undefined): boolean {
  const security = resource?.meta?.security;
  return Array.isArray(security) && security.some((s) => s?.code === NOPAT_CODE);
}

/** True where any resource in the list (or contained in a List) is NOPAT. */
export function anyNopat(resources: readonly FhirResource[]): boolean {
  return resources.some(
    (r) =>
      isNopat(r) || (r.resourceType === 'List' && Array.isArray(r.contained) && r.contained.some(isNopat)),
  );
}
