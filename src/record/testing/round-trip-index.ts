import type { Bundle, FhirResource, Observation, Reference } from 'fhir/r3.js';

/** The Lists that shape a consultation (consultation, topic, category), not the clinical-area indexes. */
const CONSULTATION_STRUCTURE = new Set(['325851000000107', '25851000000105', '24781000000107']);

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
  /**
   * What holds a resource: the consultation List it is an entry of (a category's topic, a topic's consultation), else the
   * report listing it as a result, else the test group it is a member of.
   */
  holderOf(resource: FhirResource): FhirResource | undefined {
    const ref = `${resource.resourceType}/${resource.id}`;
    const list = this.ofType('List').find(
      (l) =>
        l.resourceType === 'List' &&
        l.code?.coding?.some((c) => CONSULTATION_STRUCTURE.has(c.code ?? '')) &&
        l.entry?.some((e) => e.item.reference === ref),
    );
    if (list || resource.resourceType !== 'Observation') return list;
    const report = this.ofType('DiagnosticReport').find(
      (r) => r.resourceType === 'DiagnosticReport' && r.result?.some((x) => x.reference === ref),
    );
    if (report) return report;
    const up = resource.related?.find((r) => r.type === 'derived-from');
    if (up) return this.resolve(up.target);
    return this.ofType('Observation').find(
      (o) =>
        o.resourceType === 'Observation' &&
        o.related?.some((r) => r.type === 'has-member' && r.target.reference === ref),
    );
  }
  ofType(type: string): FhirResource[] {
    return this.resources.filter((r) => r.resourceType === type);
  }
  resolve(ref: Reference | undefined): FhirResource | undefined {
    return ref?.reference ? this.#byRef.get(ref.reference) : undefined;
  }
}
