/** Resource types that become statements in the extract. */
export const STATEMENT_TYPES: ReadonlySet<string> = new Set([
  'AllergyIntolerance',
  'Condition',
  'DiagnosticReport',
  'DocumentReference',
  'Immunization',
  'MedicationRequest',
  'Observation',
  'ProcedureRequest',
  'ReferralRequest',
]);
