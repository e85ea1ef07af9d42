/**
 * Codes that say only "an allergy" (or "a drug allergy", "an adverse reaction") without naming what to: on such
 * an allergy the allergen is the ObservationStatement's `value` (a dm+d drug, or any coded substance), and the
 * code alone would lose it. Sources: the GP2GP allergy structure (Read v2 14L..00 "H/O: drug allergy" and
 * SN53.00 "Allergy, unspecified" headers), the SNOMED CT concepts those map to and their generic kin, and the
 * transfer-degraded allergy codes (docs/protocol.md#degraded-codes), which a sender uses for an allergy it
 * could not code.
 */

import { isSnomed } from './code-systems.ts';

/** Generic allergy codes by system family: SNOMED CT concept ids, and Read v2 / CTV3 codes. */
const GENERIC_SNOMED: ReadonlySet<string> = new Set([
  '416098002', // Allergy to drug
  '419199007', // Allergy to substance
  '419511003', // Propensity to adverse reactions to drug
  '418038007', // Propensity to adverse reactions to substance
  '420134006', // Propensity to adverse reactions
  '609328004', // Allergic disposition
  '106190000', // Allergy
  '473010000', // Hypersensitivity condition
  '62014003', // Adverse reaction to drug
  '196461000000101', // Transfer-degraded drug allergy
  '196471000000108', // Transfer-degraded non-drug allergy
]);
const GENERIC_READ: ReadonlySet<string> = new Set([
  '14L..00', // H/O: drug allergy (Read v2)
  '14L..', // H/O: drug allergy (CTV3)
  'SN53.00', // Allergy, unspecified
  'SN53.',
  'SN52.00', // Drug hypersensitivity NOS
  'SN52.',
  'ZV14.00', // [V]Personal history of drug allergy
  'ZV14z00', // [V]Personal history of allergy to unspecified medicinal agents
]);

/**
 * True where a code (of any system) says only that there is an allergy, not to what.
 *
 * @example
 * isGenericAllergyCode('416098002', '2.16.840.1.113883.2.1.3.2.4.15') // true: "Allergy to drug"
 * isGenericAllergyCode('91936005', 'http://snomed.info/sct') // false: "Allergy to penicillin"
 */
export function isGenericAllergyCode(code: string | undefined, system: string | undefined): boolean {
  if (code === undefined) return false;
  return isSnomed(system) ? GENERIC_SNOMED.has(code) : GENERIC_READ.has(code);
}
