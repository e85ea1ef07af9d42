import type { Observation, ObservationComponent, Reference } from 'fhir/r3.js';
import { child, textOf, type XmlElement } from '../../xml/index.ts';
import { allCodes, readHl7Code, toFhirCodeableConcept } from '../codes/index.ts';
import { markApproximate } from '../uncertainty.ts';
import type { MappingContext } from './context.ts';
import { toQuantity } from './datatypes.ts';
import { isUncertain, mapObservation } from './observation.ts';
import { pmipOf, splitLabelledLines } from './pmip.ts';
import { annotationsOf, codeOf, type StatementScope, statementId } from './statement.ts';

/*
 * A blood pressure: GP2GP sends one measurement as a BATTERY of a systolic and a diastolic ObservationStatement
 * (and a narrative for its comment); GP Connect sends it as one Observation with two components. The battery is
 * read as GP Connect sends it, so the pair stays one measurement at the receiver.
 */

// SNOMED CT blood pressure panels and their systolic and diastolic parts (GP Connect 1.6 Observation guidance
// and the codes suppliers send: "O/E - Systolic BP reading" and the like).
const PANELS = new Set(['163020007', '386534000', '75367002', '163034007', '163035008', '163033001']);
const SYSTOLIC = new Set(['72313002', '271649006', '163030003', '400974009', '407554009', '407556006']);
const DIASTOLIC = new Set([
  '1091811000000102',
  '271650006',
  '163031004',
  '400975005',
  '407555005',
  '407557002',
]);

/** The parts of a blood pressure battery, where the compound is one. */
interface BloodPressureShape {
  readonly systolic: XmlElement;
  readonly diastolic: XmlElement;
  readonly narratives: readonly XmlElement[];
}

/**
 * The blood pressure a BATTERY holds: coded as a blood pressure panel, holding one systolic and one diastolic
 * ObservationStatement and otherwise only narratives. Anything else is a battery like any other.
 */
export function bloodPressureShapeOf(compound: XmlElement): BloodPressureShape | undefined {
  if (compound.attrs.classCode !== 'BATTERY' || !codedAs(codeOf(compound), PANELS)) return undefined;
  const inner = compound.children.flatMap((c) =>
    typeof c === 'object' && c.local === 'component' ? c.children.filter((i) => typeof i === 'object') : [],
  ) as XmlElement[];
  const observations = inner.filter((i) => i.local === 'ObservationStatement');
  const narratives = inner.filter((i) => i.local === 'NarrativeStatement');
  if (observations.length !== 2 || observations.length + narratives.length !== inner.length) return undefined;
  const systolic = observations.find((o) => codedAs(codeOf(o), SYSTOLIC));
  const diastolic = observations.find((o) => codedAs(codeOf(o), DIASTOLIC));
  return systolic && diastolic ? { systolic, diastolic, narratives } : undefined;
}

/**
 * A blood pressure battery → one Observation (the battery's id and code) with a systolic and a diastolic
 * component, each with its value, interpretation and range; the parts' notes and the battery's narrative are its
 * comment, less the labelled lines that go back to fields (a missing measurement's reason, the panel's
 * interpretation and range text).
 */
export function mapBloodPressure(
  compound: XmlElement,
  shape: BloodPressureShape,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  const ref = mapObservation(compound, scope, ctx);
  const obs = ctx.made(ref) as Observation | undefined;
  const parts = [shape.systolic, shape.diastolic];
  if (!obs) {
    // The battery made nothing (no id, a duplicate): its parts went with it.
    const outcome = ctx.accountOf(compound).result;
    for (const s of [...parts, ...shape.narratives]) ctx.accountOf(s).record(outcome);
    return undefined;
  }
  const notes: string[] = [];
  obs.component = parts.map((part) => {
    const component: ObservationComponent = {
      code: toFhirCodeableConcept(codeOf(part) ?? { translations: [] }).concept,
    };
    // The part's statement id, so the measurement can be traced to where it came from.
    const partId = statementId(part);
    if (partId) component.id = partId;
    const quantity = toQuantity(child(part, 'value'));
    if (quantity) component.valueQuantity = isUncertain(part) ? markApproximate(quantity) : quantity;
    const interpretation = child(part, 'interpretationCode');
    if (interpretation) component.interpretation = toFhirCodeableConcept(readHl7Code(interpretation)).concept;
    notes.push(...annotationsOf(part));
    ctx.fold(part);
    return component;
  });
  for (const narrative of shape.narratives) {
    const pmip = pmipOf(narrative);
    notes.push(pmip.type ? pmip.body : textOf(child(narrative, 'text')).trim());
    ctx.fold(narrative);
  }
  const comment = readBatteryNote(obs, notes.join('\n'));
  const kept = [obs.comment, comment].filter((c) => c).join('\n');
  if (kept) obs.comment = kept;
  else delete obs.comment;
  return ref;
}

/**
 * Takes back what the battery's note says of fields: "Systolic/Diastolic Measurement Absent: reason" (the
 * component's data-absent reason), "Interpretation:" and "Range Text:" (the panel's own); "Interpretation(s):"
 * restates the components' interpretations. Returns the rest: the comment.
 */
function readBatteryNote(obs: Observation, note: string): string {
  const { labelled, rest } = splitLabelledLines(note, [
    'Systolic Measurement Absent',
    'Diastolic Measurement Absent',
    'Interpretation',
    'Interpretation(s)',
    'Range Text',
  ]);
  const absent = (label: string, index: number) => {
    const reason = labelled.get(label);
    const component = obs.component?.[index];
    if (reason && component && !component.valueQuantity) component.dataAbsentReason = { text: reason };
  };
  absent('Systolic Measurement Absent', 0);
  absent('Diastolic Measurement Absent', 1);
  const interpretation = labelled.get('Interpretation');
  if (interpretation && !obs.interpretation) obs.interpretation = { text: interpretation };
  const rangeText = labelled.get('Range Text');
  if (rangeText) obs.referenceRange = [{ ...(obs.referenceRange?.[0] ?? {}), text: rangeText }];
  return rest.join('\n').trim();
}

function codedAs(code: ReturnType<typeof codeOf>, codes: ReadonlySet<string>): boolean {
  return code !== undefined && allCodes(code).some((c) => codes.has(c.code));
}
