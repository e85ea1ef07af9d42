/**
 * Uncertainty as both sides carry it. HL7: an `uncertaintyCode` (ActUncertainty `U`, "Recorded as uncertain") on
 * the statement. GP Connect: on a quantity, the CareConnect ValueApproximation extension (as the NHS adaptors map
 * it); on a problem, `verificationStatus` provisional; on any other observation, which has no element for it, a
 * comment line in the code's own words.
 */

import type { Quantity } from 'fhir/r3.js';

/** CareConnect's extension marking a quantity as approximate (recorded as uncertain). */
export const VALUE_APPROXIMATION =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-ValueApproximation-1';

/** HL7 v3 ActUncertainty, and its code for "stated with uncertainty". */
export const UNCERTAINTY = {
  code: 'U',
  codeSystem: '2.16.840.1.113883.5.1053',
  displayName: 'Recorded as uncertain',
} as const;

/** The comment line an Observation without a quantity carries for its uncertainty. */
export const UNCERTAIN_LINE = UNCERTAINTY.displayName;

/** True where a quantity carries the ValueApproximation extension set true. */
export function isApproximate(quantity: Quantity | undefined): boolean {
  return (
    Array.isArray(quantity?.extension) &&
    quantity.extension.some((e) => e?.url === VALUE_APPROXIMATION && e.valueBoolean === true)
  );
}

/** The quantity marked approximate (a copy). */
export function markApproximate(quantity: Quantity): Quantity {
  return {
    ...quantity,
    extension: [...(quantity.extension ?? []), { url: VALUE_APPROXIMATION, valueBoolean: true }],
  };
}
