/**
 * Codes and degrades for both translation directions: code systems (OID ⇄ URI), the transfer-degraded codes by
 * entry kind, a curated SNOMED subset, and HL7 coded value ⇄ FHIR CodeableConcept.
 */

export * from './allergy-codes.ts';
export * from './code-systems.ts';
export * from './degrade.ts';
export * from './fhir-concept.ts';
export * from './hl7-code.ts';
export * from './immunisation-codes.ts';
export * from './snomed-id.ts';
export * from './snomed-subset.ts';
export * from './ucum-units.ts';
