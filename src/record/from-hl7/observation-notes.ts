import type { Observation, Quantity } from 'fhir/r3.js';
import { joinCommentLines, splitLabelledLines } from './pmip.ts';

/**
 * Facts a sender could not put in an ObservationStatement's elements travel as labelled lines in its notes
 * ("Interpretation: High", "Site: Left arm"); this reads them back into the Observation's fields.
 */

/** Labels senders use for result facts that have no place in an ObservationStatement. */
const RESULT_LABELS = [
  'Interpretation',
  'Value',
  'Range Text',
  'Range Units',
  'Range',
  'Data Absent',
  'Site',
  'Method',
] as const;

/** Reads a result note's labelled lines back into the Observation; the other lines join its comment. */
export function applyResultNote(obs: Observation, body: string): void {
  const comment = takeLabelledFacts(obs, body);
  if (comment) obs.comment = obs.comment ? `${obs.comment}\n${comment}` : comment;
}

/** Sets the Observation's fields from the labelled lines of a note; returns the note's other lines. */
export function takeLabelledFacts(obs: Observation, body: string): string {
  const { labelled, rest } = splitLabelledLines(body, RESULT_LABELS);
  const text = (label: (typeof RESULT_LABELS)[number]) => labelled.get(label);
  const interpretation = text('Interpretation');
  if (interpretation && !obs.interpretation) obs.interpretation = { text: interpretation };
  const value = text('Value');
  if (value && !hasValue(obs)) obs.valueString = value;
  const rangeText = text('Range Text');
  const range = parseRange(text('Range'));
  if (rangeText || range) {
    const first = obs.referenceRange?.[0] ?? {};
    if (rangeText) first.text = rangeText;
    if (range?.low && !first.low) first.low = range.low;
    if (range?.high && !first.high) first.high = range.high;
    obs.referenceRange = [first, ...(obs.referenceRange?.slice(1) ?? [])];
  }
  const absent = text('Data Absent');
  if (absent) obs.dataAbsentReason = { text: absent };
  const site = text('Site');
  if (site) obs.bodySite = { text: site };
  const method = text('Method');
  if (method) obs.method = { text: method };
  return joinCommentLines(rest);
}

function hasValue(obs: Observation): boolean {
  return (
    obs.valueQuantity !== undefined ||
    obs.valueString !== undefined ||
    obs.valueCodeableConcept !== undefined ||
    obs.valueRange !== undefined
  );
}

/** "Low: 1 mmol/L High: 2 mmol/L" (either part optional) → the bounds. */
function parseRange(text: string | undefined): { low?: Quantity; high?: Quantity } | undefined {
  if (!text) return undefined;
  const m = /^(?:Low: (\S+)(?: (.*?))?)?\s*(?:High: (\S+)(?: (.*))?)?$/.exec(text.trim());
  if (!m) return undefined;
  const quantity = (v: string | undefined, unit: string | undefined): Quantity | undefined => {
    const value = Number(v);
    if (v === undefined || !Number.isFinite(value)) return undefined;
    return unit?.trim() ? { value, unit: unit.trim() } : { value };
  };
  const low = quantity(m[1], m[2]);
  const high = quantity(m[3], m[4]);
  return low || high ? { ...(low ? { low } : {}), ...(high ? { high } : {}) } : undefined;
}

/**
 * A battery's header has no annotation (a CompoundStatement has none), so a sender writes the header's own
 * interpretation and range text as labelled lines of the battery's comment narrative: they go back to the header
 * and leave the comment.
 */
export function liftBatteryFacts(header: Observation, comments: readonly Observation[]): void {
  for (const note of comments) {
    if (!note.comment) continue;
    const { labelled, rest } = splitLabelledLines(note.comment, ['Interpretation', 'Range Text']);
    const interpretation = labelled.get('Interpretation');
    const rangeText = labelled.get('Range Text');
    if (!interpretation && !rangeText) continue;
    if (interpretation && !header.interpretation) header.interpretation = { text: interpretation };
    if (rangeText) {
      const first = header.referenceRange?.[0] ?? {};
      first.text = rangeText;
      header.referenceRange = [first, ...(header.referenceRange?.slice(1) ?? [])];
    }
    const comment = joinCommentLines(rest);
    if (comment) note.comment = comment;
    else delete note.comment;
  }
}
