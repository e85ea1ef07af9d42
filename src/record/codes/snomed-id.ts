/**
 * SNOMED CT identifier checks. A code sent under the SNOMED CT code system is only taken as SNOMED CT when it is
 * a well-formed identifier: 6 to 18 digits, no leading zero, a concept or description partition, and a valid
 * Verhoeff check digit. Anything else (a local code filed under the wrong system, a typo) is treated as no SNOMED
 * code at all, so the entry is degraded with the code kept, instead of passing on a code no system can resolve.
 */

// Verhoeff's dihedral-group multiplication table and position permutation (the algorithm SNOMED CT uses).
const D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True where the digits (check digit last) pass Verhoeff's check. */
function verhoeffValid(digits: string): boolean {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const n = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = D[c]![P[i % 8]![n]!]!;
  }
  return c === 0;
}

/** Partition identifiers of concepts and descriptions, short (0x) and long (1x) form. */
const PARTITIONS = new Set(['00', '01', '10', '11']);
/** Partition identifiers of concepts only. */
const CONCEPT_PARTITIONS = new Set(['00', '10']);

/**
 * True for a well-formed SNOMED CT concept or description identifier.
 *
 * @example
 * isSnomedId('22298006') // true (myocardial infarction)
 * isSnomedId('22298007') // false: check digit
 * isSnomedId('H33..')    // false: a Read code filed as SNOMED
 */
export function isSnomedId(code: string | undefined): boolean {
  if (code === undefined || !/^[1-9]\d{5,17}$/.test(code)) return false;
  return PARTITIONS.has(code.slice(-3, -1)) && verhoeffValid(code);
}

/**
 * True for a well-formed SNOMED CT concept id: a description id (partition 01 or 11) names a term, not a
 * concept, and is never used as a code.
 *
 * @example
 * isSnomedConceptId('22298006') // true
 * isSnomedConceptId('37436014') // false: the description "Myocardial infarction" of 22298006
 */
export function isSnomedConceptId(code: string | undefined): boolean {
  return isSnomedId(code) && CONCEPT_PARTITIONS.has(code!.slice(-3, -1));
}

/**
 * True for a well-formed SNOMED CT description id (partition 01 or 11).
 *
 * @example
 * isSnomedDescriptionId('2807821000000115') // true
 */
export function isSnomedDescriptionId(code: string | undefined): boolean {
  return isSnomedId(code) && !CONCEPT_PARTITIONS.has(code!.slice(-3, -1));
}
