/**
 * Pathology comments in GP2GP travel as NarrativeStatements in the PMIP form (`text/x-h7uk-pmip`): a
 * `CommentType:` line, a `CommentDate:` line, then the comment. Senders put facts that have no HL7 home in
 * them as labelled lines ("Status: final", "Site: Left arm"); this module reads both layers back.
 */

import { child, textOf, type XmlElement } from '../../xml/index.ts';
import { toFhirDateTime } from './hl7-time.ts';

/** Report-level comment types and the one carrying a specimen's details. */
export const COMMENT_TYPES = {
  labResult: 'LABORATORY RESULT COMMENT(E141)',
  specimen: 'LAB SPECIMEN COMMENT(E271)',
  aggregate: 'AGGREGATE COMMENT SET',
  user: 'USER COMMENT',
} as const;

/** A narrative's text split into its PMIP parts (type and date are absent where the text is not PMIP). */
export interface PmipComment {
  readonly type?: string;
  /** The comment date as a FHIR dateTime, where it is a valid HL7 TS. */
  readonly date?: string;
  readonly body: string;
}

const PMIP = /^\s*CommentType:([^\n]*)\r?\n\s*CommentDate:([^\n]*)(?:\r?\n([\s\S]*))?$/;

/**
 * Splits a narrative text into comment type, date and body. The body is kept as written (a laid-out pathology
 * table starts its lines with spaces); only the two header lines, which the PMIP form adds, are taken off.
 */
export function readPmip(text: string): PmipComment {
  const m = PMIP.exec(text);
  if (!m) return { body: text.trim() };
  const date = toFhirDateTime(m[2]?.trim());
  const body = m[3] ?? '';
  return { type: m[1]?.trim(), ...(date ? { date } : {}), body: body.trim() === '' ? '' : body };
}

/** The PMIP parts of a NarrativeStatement's text, read untrimmed. */
export function pmipOf(narrative: XmlElement): PmipComment {
  return readPmip(textOf(child(narrative, 'text')));
}

/** The placeholder text senders write where a report or specimen has nothing in it. */
export const EMPTY_REPORT = 'EMPTY REPORT';

/**
 * Labelled lines a comment body starts with: `Label: value`. Returns the values by label (first wins) and the
 * lines that carry no known label, which are the comment proper.
 */
export function splitLabelledLines(
  body: string,
  labels: readonly string[],
): { readonly labelled: Map<string, string>; readonly rest: string[] } {
  const labelled = new Map<string, string>();
  const rest: string[] = [];
  for (const line of body.split('\n')) {
    const label = labels.find((l) => line.startsWith(`${l}: `));
    if (label && !labelled.has(label)) labelled.set(label, line.slice(label.length + 2).trim());
    else rest.push(line);
  }
  while (rest.length > 0 && rest[rest.length - 1]?.trim() === '') rest.pop();
  return { labelled, rest };
}

/**
 * The lines of a comment as one text: blank lines at either end are dropped, every other line is kept as written
 * (its leading spaces are layout).
 */
export function joinCommentLines(lines: readonly string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start]?.trim() === '') start++;
  while (end > start && lines[end - 1]?.trim() === '') end--;
  return lines.slice(start, end).join('\n');
}

/**
 * A readable "YYYY-MM-DD[ HH:MM[:SS]]" time as senders write it in comments (UK wall-clock time) → FHIR
 * dateTime; undefined where it is not one.
 */
export function readableTimeToFhir(text: string | undefined): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2})(?::(\d{2}))?(?: ([+-]\d{4}))?)?$/.exec(
    text?.trim() ?? '',
  );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, zone] = m;
  if (h === undefined) return toFhirDateTime(`${y}${mo}${d}`);
  return toFhirDateTime(`${y}${mo}${d}${h}${mi}${s ?? '00'}${zone ?? ''}`);
}
