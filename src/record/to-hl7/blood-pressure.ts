import type { Observation, ObservationComponent } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { hasCode } from './bundle-index.ts';
import { codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import { component, idElement, statusCode, tsElement } from './datatypes.ts';
import { componentStatement, narrative, observationAvailability, performer } from './observation.ts';
import { effectiveFrom } from './statement-times.ts';
import { joinText } from './text.ts';

// SNOMED CT blood pressure panel and component codes (GP Connect 1.6 Observation guidance, as the NHS sending
// adaptor recognises them): a panel with a systolic and a diastolic component becomes a BATTERY.
const PANELS = ['163020007', '386534000', '75367002'];
const SYSTOLIC = ['72313002', '271649006'];
const DIASTOLIC = ['1091811000000102', '271650006'];
const POSTURE_TRIPLES: readonly (readonly [string, string, string])[] = [
  ['163034007', '400974009', '400975005'],
  ['163035008', '407554009', '407555005'],
  ['163033001', '407556006', '407557002'],
];

/** True where the Observation is a blood pressure panel with both systolic and diastolic components. */
export function isBloodPressure(obs: Observation): boolean {
  const parts = Array.isArray(obs.component) ? obs.component : [];
  const partHas = (codes: readonly string[]) => parts.some((p) => hasCode(p?.code, codes));
  if (hasCode(obs.code, PANELS)) return partHas(SYSTOLIC) && partHas(DIASTOLIC);
  return POSTURE_TRIPLES.some(
    ([panel, sys, dia]) => hasCode(obs.code, [panel]) && partHas([sys]) && partHas([dia]),
  );
}

/**
 * A BATTERY CompoundStatement for a blood pressure: one ObservationStatement per systolic/diastolic component
 * and a NarrativeStatement for the comment, so the pair stays together at the receiver.
 */
export function bloodPressureBattery(ctx: TranslationContext, obs: Observation): XmlSpec {
  const parts = (Array.isArray(obs.component) ? obs.component : []).filter((p) =>
    hasCode(p?.code, ALL_PARTS),
  );
  const statements = parts.map((p) => componentStatement(ctx, obs, p));
  const note = batteryNote(obs, parts);
  if (note) statements.push(narrative(ctx, ctx.newId(), note, observationAvailability(obs), obs));
  return x(
    'CompoundStatement',
    { classCode: 'BATTERY', moodCode: 'EVN' },
    idElement(ctx.idOf(obs)),
    codedElement('code', obs.code, 'record-entry').element,
    statusCode(),
    effectiveFrom(obs.effectiveDateTime, obs.effectivePeriod),
    tsElement('availabilityTime', observationAvailability(obs)),
    ctx.confidentiality(obs),
    ...statements.map(component),
    performer(ctx, obs),
  );
}

const ALL_PARTS = [...SYSTOLIC, ...DIASTOLIC, ...POSTURE_TRIPLES.flatMap(([, s, d]) => [s, d])];

// What the two component statements cannot hold: the comment, missing measurements and interpretations.
function batteryNote(obs: Observation, parts: ObservationComponent[]): string | undefined {
  const absent = parts
    .filter((p) => p.valueQuantity?.value === undefined && p.dataAbsentReason)
    .map(
      (p) =>
        `${hasCode(p.code, SYSTOLIC_ALL) ? 'Systolic' : 'Diastolic'} Measurement Absent: ${conceptText(p.dataAbsentReason) ?? 'Unknown'}`,
    );
  // The battery's own interpretation and range text are labelled lines of their own, which readers take back
  // to the header; the measurements' interpretations are listed together.
  const interpretations = parts.map((p) => conceptText(p.interpretation)).filter((t) => t !== undefined);
  const header = conceptText(obs.interpretation);
  const rangeText = Array.isArray(obs.referenceRange) ? obs.referenceRange[0]?.text : undefined;
  return joinText(
    [
      obs.comment,
      ...absent,
      header && `Interpretation: ${header}`,
      rangeText && `Range Text: ${rangeText}`,
      interpretations.length > 0 ? `Interpretation(s): ${interpretations.join(', ')}` : undefined,
    ],
    '\n',
  );
}

const SYSTOLIC_ALL = [...SYSTOLIC, ...POSTURE_TRIPLES.map(([, s]) => s)];
