import type { Bundle, FhirResource, List, Observation, Reference, Resource } from 'fhir/r3.js';

/** Key for a resource in the index: `Type/id`. */
export type ResourceKey = string;

/** The resource's `Type/id` key, or undefined when it has no usable id. */
export function keyOf(resource: Resource): ResourceKey | undefined {
  return typeof resource.id === 'string' && resource.id !== ''
    ? `${resource.resourceType}/${resource.id}`
    : undefined;
}

/**
 * Look-ups over one GP Connect Bundle: resources by `Type/id` (and by fullUrl), by type in bundle order, and the
 * resources contained in Lists, so translators never scan the bundle themselves.
 */
export class BundleIndex {
  readonly resources: readonly FhirResource[];
  readonly #byKey = new Map<string, FhirResource>();

  constructor(bundle: Bundle) {
    const all: FhirResource[] = [];
    for (const entry of Array.isArray(bundle.entry) ? bundle.entry : []) {
      const resource = entry?.resource as FhirResource | undefined;
      if (!resource || typeof resource !== 'object' || typeof resource.resourceType !== 'string') continue;
      all.push(resource);
      const key = keyOf(resource);
      if (key && !this.#byKey.has(key)) this.#byKey.set(key, resource);
      if (typeof entry.fullUrl === 'string' && !this.#byKey.has(entry.fullUrl))
        this.#byKey.set(entry.fullUrl, resource);
      if (resource.resourceType === 'List') this.#indexContained(resource);
    }
    this.resources = all;
  }

  /**
   * The Observations that name `target` as what they are `derived-from` (a reader's link from a result's comment
   * back to the result, the other way round from GP Connect's `has-member`), in bundle order.
   */
  derivedFrom(target: Resource): Observation[] {
    if (!this.#derived) {
      this.#derived = new Map();
      for (const obs of this.ofType('Observation'))
        for (const r of Array.isArray(obs.related) ? obs.related : []) {
          const to = r?.type === 'derived-from' ? this.resolve(r.target) : undefined;
          if (to) this.#derived.set(to, [...(this.#derived.get(to) ?? []), obs]);
        }
    }
    return this.#derived.get(target as FhirResource) ?? [];
  }
  #derived: Map<FhirResource, Observation[]> | undefined;

  /** Resources of one type, in bundle order. */
  ofType<T extends FhirResource['resourceType']>(type: T): Extract<FhirResource, { resourceType: T }>[] {
    return this.resources.filter(
      (r): r is Extract<FhirResource, { resourceType: T }> => r.resourceType === type,
    );
  }

  /** The resource a reference points at (`Type/id`, absolute URL ending in `Type/id`, fullUrl, or `List/id#cid`). */
  resolve(reference: Reference | string | undefined): FhirResource | undefined {
    const ref = typeof reference === 'string' ? reference : reference?.reference;
    if (typeof ref !== 'string' || ref === '') return undefined;
    const direct = this.#byKey.get(ref);
    if (direct) return direct;
    const tail = /([A-Za-z]+\/[^/]+)$/.exec(ref)?.[1];
    return tail ? this.#byKey.get(tail) : undefined;
  }

  /** The key (`Type/id`) of the resource a reference points at, when it resolves. */
  resolveKey(reference: Reference | string | undefined): ResourceKey | undefined {
    const resource = this.resolve(reference);
    return resource ? this.keyFor(resource) : undefined;
  }

  /** The key under which a resource (possibly contained in a List) was indexed. */
  keyFor(resource: Resource): ResourceKey | undefined {
    for (const [key, value] of this.#containedKeys) if (value === resource) return key;
    return keyOf(resource);
  }

  readonly #containedKeys = new Map<string, Resource>();

  #indexContained(list: List): void {
    if (!Array.isArray(list.contained) || typeof list.id !== 'string') return;
    for (const inner of list.contained as FhirResource[]) {
      if (!inner || typeof inner.id !== 'string') continue;
      const local = inner.id.replace(/^#/, '');
      const key = `List/${list.id}#${local}`;
      this.#byKey.set(key, inner);
      this.#containedKeys.set(key, inner);
    }
  }
}

/** True where a CodeableConcept-like value has a coding with one of the codes. */
export function hasCode(
  concept: { coding?: { code?: string }[] } | undefined,
  codes: readonly string[],
): boolean {
  return (
    Array.isArray(concept?.coding) &&
    concept.coding.some((c) => typeof c?.code === 'string' && codes.includes(c.code))
  );
}
