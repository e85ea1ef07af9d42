import type { XmlElement } from '../../xml/index.ts';
import { annotationsOf } from './statement.ts';

/**
 * Recognises a "transformed problem header": the ObservationStatement a GP2GP sender makes for a LinkSet to name
 * when the problem's actual entry is not an ObservationStatement (an allergy, an immunisation…). The NHS sending
 * adaptor writes its annotation as `Problem Info: [Related Problem: …] [Problem Notes: n1; n2] Transformed
 * {Type} problem header Originally coded: {text}` (code 55607006 "Problem"); our writer puts the marker first and
 * the notes after it, one a line (`to-hl7/problem-header.ts`). Such a statement is the problem's shape, not an
 * entry of its own: the Condition takes its notes, and its actual problem is the linked entry of that type.
 */

/** What a transformed problem header says. */
export interface TransformedHeader {
  /** The FHIR resource type of the actual problem ("AllergyIntolerance", "Immunization"…). */
  readonly type: string;
  /** The problem's text as the sender coded it, where given. */
  readonly originallyCoded?: string;
  /** The problem's own notes (and any other annotation of the header). */
  readonly notes: readonly string[];
}

const MARKER = /Transformed ([A-Za-z]+) problem header(?: Originally coded: ([^\n]*))?/;

/** The header's facts, or undefined where the statement is not a transformed problem header. */
export function transformedHeaderOf(statement: XmlElement | undefined): TransformedHeader | undefined {
  if (statement?.local !== 'ObservationStatement') return undefined;
  const annotations = annotationsOf(statement);
  const i = annotations.findIndex((a) => a.startsWith('Problem Info:') && MARKER.test(a));
  if (i < 0) return undefined;
  const text = annotations[i] ?? '';
  const m = MARKER.exec(text);
  if (!m?.[1]) return undefined;
  const rest = `${text.slice(0, m.index)}\n${text.slice(m.index + m[0].length)}`
    .replace(/^\s*Problem Info:/, '')
    .trim();
  const notes: string[] = [];
  const at = rest.indexOf('Problem Notes:');
  // What comes before the notes (the NHS adaptor's "Related Problem: …") is kept as a note of its own.
  const before = (at < 0 ? rest : rest.slice(0, at)).trim();
  if (before) notes.push(before);
  if (at >= 0) {
    const own = rest.slice(at + 'Problem Notes:'.length).trim();
    if (own) notes.push(own);
  }
  const others = annotations.filter((_, j) => j !== i);
  const originallyCoded = m[2]?.trim();
  return { type: m[1], ...(originallyCoded ? { originallyCoded } : {}), notes: [...notes, ...others] };
}

/** True where the statement is a transformed problem header (not an entry of its own). */
export function isTransformedProblemHeader(statement: XmlElement): boolean {
  return transformedHeaderOf(statement) !== undefined;
}
