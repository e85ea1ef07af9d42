import type { Bundle, FhirResource, Observation } from 'fhir/r3.js';
import { batteryHeaderOf, batteryMembers, isBattery } from '../battery.ts';
import { BundleIndex } from '../bundle-index.ts';
import { conceptText } from '../coded.ts';
import { keptText } from '../text.ts';

/** How writing GP Connect batteries as BATTERY CompoundStatements changes the NHS sending adaptor's counts. */
export interface BatteryShift {
  /** Headers written as a CompoundStatement instead of an ObservationStatement. */
  readonly headers: number;
  /** ehrCompositions the adaptor gives members and headers of their own, which we write inside one. */
  readonly compositionsSaved: number;
  /** NarrativeStatements holding a header's own comment and interpretation (the adaptor annotates its loose header). */
  readonly narratives: number;
}

// GP Connect's consultation structure Lists (topic and category) hold a consultation's entries.
const CONSULTATION_LISTS = ['25851000000105', '24781000000107'];

/**
 * The adaptor writes a battery's header and members as loose statements, each outside a consultation in an
 * ehrComposition of its own; we write the whole battery once, inside a consultation where any part of it is.
 */
export function batteryShift(bundle: Bundle): BatteryShift {
  const index = new BundleIndex(bundle);
  const inConsultation = new Set<FhirResource>();
  for (const list of index.ofType('List')) {
    if (!list.code?.coding?.some((c) => CONSULTATION_LISTS.includes(c.code ?? ''))) continue;
    for (const e of list.entry ?? []) {
      const target = index.resolve(e.item);
      if (target) inConsultation.add(target);
    }
  }
  const observations = index.ofType('Observation');
  const headers = observations.filter((o) => isBattery(index, o));
  let compositionsSaved = 0;
  for (const top of headers.filter((h) => batteryHeaderOf(index, h) === undefined)) {
    const group = groupOf(index, top);
    const loose = group.filter((r) => !inConsultation.has(r)).length;
    compositionsSaved += loose - (loose === group.length ? 1 : 0);
  }
  const narratives = headers.filter((h) => conceptText(h.interpretation) || keptText(h.comment)).length;
  return { headers: headers.length, compositionsSaved, narratives };
}

/** A battery with its members, and their members in turn. */
function groupOf(index: BundleIndex, header: Observation): Observation[] {
  const out = [header];
  for (const m of isBattery(index, header) ? batteryMembers(index, header) : [])
    out.push(...groupOf(index, m));
  return out;
}
