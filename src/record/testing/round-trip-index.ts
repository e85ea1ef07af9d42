import type { Bundle, FhirResource, Observation, Reference } from 'fhir/r3.js';

/** The resources of one side of a round-trip comparison, by reference, with the links the comparison follows. */
export class Index {
  readonly resources: FhirResource[];
  /** Statements the sender made up (left out of the comparison). */
  madeUp: ReadonlySet<FhirResource> = new Set();
  readonly #byRef = new Map<string, FhirResource>();
  constructor(bundle: Bundle) {
    this.resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as FhirResource] : []));
    for (const r of this.resources) this.#byRef.set(`${r.resourceType}/${r.id}`, r);
  }
  membersOf(obs: Observation): FhirResource[] {
    const ref = `Observation/${obs.id}`;
    const out = new Set<FhirResource>();
    for (const r of obs.related ?? []) {
      const target = r.type === 'has-member' ? this.resolve(r.target) : undefined;
      if (target) out.add(target);
    }
    for (const other of this.ofType('Observation')) {
      if (other.resourceType !== 'Observation') continue;
      if (other.related?.some((r) => r.type === 'derived-from' && r.target.reference === ref)) out.add(other);
    }
    return [...out].filter((m) => !this.madeUp.has(m));
  }
  /** The List that holds a resource as an entry (a category's topic, a topic's consultation), if any. */
  holderOf(resource: FhirResource): FhirResource | undefined {
    const ref = `${resource.resourceType}/${resource.id}`;
    return this.ofType('List').find(
      (l) => l.resourceType === 'List' && l.entry?.some((e) => e.item.reference === ref),
    );
  }
  ofType(type: string): FhirResource[] {
    return this.resources.filter((r) => r.resourceType === type);
  }
  resolve(ref: Reference | undefined): FhirResource | undefined {
    return ref?.reference ? this.#byRef.get(ref.reference) : undefined;
  }
}
