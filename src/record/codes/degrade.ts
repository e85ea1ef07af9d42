import type { Coding } from 'fhir/r3.js';
import { CODE_SYSTEMS } from './code-systems.ts';

/**
 * Transfer-degraded codes (SNOMED CT UK extension, DESIGN.md §2): what an entry is coded as when the receiving
 * side cannot find a SNOMED CT code for it. The original code and text always travel alongside.
 */

/** The kinds of entry that have their own degrade code. */
export type DegradeKind =
  | 'drug-allergy'
  | 'non-drug-allergy'
  | 'medication'
  | 'plan'
  | 'referral'
  | 'request'
  | 'record-entry';

/** A degrade code: SNOMED concept id and preferred term. */
export interface DegradeCode {
  readonly code: string;
  readonly display: string;
}

/** The degrade code for each kind of entry. */
export const DEGRADE_CODES: Readonly<Record<DegradeKind, DegradeCode>> = {
  'drug-allergy': { code: '196461000000101', display: 'Transfer-degraded drug allergy' },
  'non-drug-allergy': { code: '196471000000108', display: 'Transfer-degraded non-drug allergy' },
  medication: { code: '196421000000109', display: 'Transfer-degraded medication entry' },
  plan: { code: '196451000000104', display: 'Transfer-degraded plan' },
  referral: { code: '196431000000106', display: 'Transfer-degraded referral' },
  request: { code: '196441000000102', display: 'Transfer-degraded request' },
  'record-entry': { code: '196411000000103', display: 'Transfer-degraded record entry' },
};

const DEGRADE_CODE_SET: ReadonlySet<string> = new Set(Object.values(DEGRADE_CODES).map((d) => d.code));

/** The SNOMED coding to use for a degraded entry of this kind. */
export function degradeCodeFor(kind: DegradeKind): Coding {
  const d = DEGRADE_CODES[kind];
  return { system: CODE_SYSTEMS.snomed.url, code: d.code, display: d.display };
}

/** True where the SNOMED concept id is one of the transfer-degraded codes. */
export function isDegradeCode(code: string | undefined): boolean {
  return code !== undefined && DEGRADE_CODE_SET.has(code);
}

/**
 * The `meta.tag` put on every degraded resource so the practice's degrades worklist can find them with one
 * search (`_tag=…|transfer-degraded`), whatever the resource type.
 */
export const DEGRADED_TAG: Readonly<Coding> = {
  system: 'https://gp2gp.example.org/CodeSystem/record-flags',
  code: 'transfer-degraded',
  display: 'Transfer-degraded: no SNOMED CT code could be found; original code preserved',
};
